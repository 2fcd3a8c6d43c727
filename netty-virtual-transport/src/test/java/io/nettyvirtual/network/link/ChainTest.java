package io.nettyvirtual.network.link;

import static io.nettyvirtual.network.link.ChainRig.MS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.nettyvirtual.engine.Simulation;
import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.Counter;
import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.time.TimeMode;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** How stages compose, and what adding one takes: a stage class and a place in the order. */
class ChainTest {
    /**
     * A test-only impairment: drops every {@code n}-th packet that reaches it (0: off, and then absent from the
     * path). A real one would read {@code n} from its own {@link LinkConfig} setting in {@link #configure}.
     */
    static final class DropEveryNth extends Stage {
        private final int n;
        private int seen;

        DropEveryNth(LinkContext ctx, int n) {
            super(ctx);
            this.n = n;
        }

        @Override
        boolean configure(LinkConfig config) {
            return n > 0;
        }

        @Override
        void accept(Packet p) {
            if (++seen % n == 0) {
                ctx.drop(p, DropReason.LOSS);
            } else {
                next.accept(p);
            }
        }
    }

    private static List<Function<LinkContext, Stage>> withDropEveryNth(int n) {
        return List.of(
                Blackhole::new,
                Filter::new,
                Serializer::new,
                Loss::new,
                ctx -> new DropEveryNth(ctx, n),
                Propagation::new,
                Delivery::new);
    }

    @Test
    void aNewStageTakesItsPlaceInTheOrder() throws Exception {
        LinkConfig config = LinkConfig.delayed(Duration.ofMillis(10)).bytesPerSecond(1_000_000);
        try (ChainRig rig = new ChainRig(1, config, withDropEveryNth(3))) {
            assertEquals("Serializer -> DropEveryNth -> Propagation -> Delivery", rig.chain.toString());
            rig.send(6, 1000);
            rig.sim.runUntilIdle();
            // Serialized at 1..6 ms, the 3rd and 6th dropped after serialization, the others 10 ms later.
            assertArrayEquals(new long[] {11 * MS, 12 * MS, 14 * MS, 15 * MS}, rig.arrivalTimes());
            assertEquals(2, rig.counters().dropped(DropReason.LOSS));
            assertEquals(6, rig.credits.size());
        }
    }

    @Test
    void anInactiveStageIsAbsentFromThePath() throws Exception {
        try (ChainRig rig = new ChainRig(2, LinkConfig.ideal(), withDropEveryNth(0))) {
            assertEquals("Serializer -> Propagation -> Delivery", rig.chain.toString());
            rig.send(6, 1000);
            assertEquals(6, rig.arrivals.size());
        }
    }

    @Test
    void everyStageOnIsTheWholePathInOrder() throws Exception {
        LinkConfig all = LinkConfig.delayed(Duration.ofMillis(1))
                .bytesPerSecond(1000)
                .loss(0.1)
                .filter(p -> false)
                .down(true)
                .slot(Duration.ofMillis(2));
        try (ChainRig rig = new ChainRig(3, all)) {
            assertEquals("Blackhole -> Filter -> Serializer -> Loss -> Propagation -> Delivery", rig.chain.toString());
            assertEquals(all, rig.chain.config());
        }
    }

    @Test
    void aChainMustEndInDelivery() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new ChainRig(4, LinkConfig.ideal(), List.of(Serializer::new, Propagation::new)));
    }

    @Test
    void thePathAllocatesNothingPerPacket() throws Exception {
        LinkConfig all = LinkConfig.delayed(Duration.ofMillis(10))
                .bytesPerSecond(100_000_000)
                .loss(0.1)
                .filter(p -> false)
                .queuePackets(100_000);
        int n = 20_000;
        Simulation sim = new Simulation(TimeMode.DETERMINISTIC, 5);
        Counter link = new Counter("link");
        Counter total = new Counter("network");
        LinkChain chain = new LinkChain(sim, link, total, all);
        long[] delivered = new long[1];
        chain.attach(p -> {
            delivered[0]++;
            total.out(p);
            p.release();
        });
        Packet[] warm = packets(n, total);
        Packet[] measured = packets(n, total);
        run(sim, chain, warm); // grows the queue and the line once
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        run(sim, chain, measured);
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < n, allocated + " bytes allocated for " + n + " packets");
        assertEquals(2 * n, delivered[0] + link.snapshot().dropped(DropReason.LOSS));
        assertTrue(link.snapshot().isBalanced());
        sim.close();
    }

    private static Packet[] packets(int n, Counter total) {
        Packet[] ps = new Packet[n];
        for (int i = 0; i < n; i++) {
            ps[i] = new Packet(ChainRig.FROM, ChainRig.TO, Unpooled.buffer(100).writeZero(100), null);
            total.in(ps[i]);
        }
        return ps;
    }

    private static void run(Simulation sim, LinkChain chain, Packet[] ps) {
        sim.lock().lock();
        try {
            for (Packet p : ps) {
                chain.accept(p);
            }
        } finally {
            sim.lock().unlock();
        }
        sim.runUntilIdle();
    }
}
