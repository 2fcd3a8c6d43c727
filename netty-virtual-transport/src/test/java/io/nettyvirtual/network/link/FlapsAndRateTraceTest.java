package io.nettyvirtual.network.link;

import static io.nettyvirtual.network.link.ChainRig.MS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nettyvirtual.stats.DropReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Link flaps and rate traces, at exact virtual times from when the config was applied. */
class FlapsAndRateTraceTest {
    /** The send times (ms) of the packets, one a millisecond for {@code ms}, that were dropped as link down. */
    private static List<Integer> downMillis(long seed, LinkConfig config, int ms) throws Exception {
        List<Integer> down = new ArrayList<>();
        try (ChainRig rig = new ChainRig(seed, config)) {
            for (int i = 0; i < ms; i++) {
                int t = i;
                rig.at(i * MS, () -> {
                    long before = rig.counters().dropped(DropReason.LINK_DOWN);
                    rig.chain.accept(countedPacket(rig));
                    if (rig.counters().dropped(DropReason.LINK_DOWN) > before) {
                        down.add(t);
                    }
                });
            }
            rig.sim.runUntilIdle();
            rig.assertExact();
        }
        return down;
    }

    private static io.nettyvirtual.packet.Packet countedPacket(ChainRig rig) {
        io.nettyvirtual.packet.Packet p = rig.packet(10);
        rig.total.in(p);
        return p;
    }

    @Test
    void periodicFlapsGoDownAndUpAtExactTimes() throws Exception {
        List<Integer> down = downMillis(
                51, LinkConfig.ideal().flaps(LinkFlaps.periodic(Duration.ofMillis(10), Duration.ofMillis(5))), 31);
        assertEquals(List.of(10, 11, 12, 13, 14, 25, 26, 27, 28, 29), down);
    }

    @Test
    void aScheduleEndsUp() throws Exception {
        List<Integer> down = downMillis(
                52,
                LinkConfig.ideal()
                        .flaps(LinkFlaps.schedule(
                                Duration.ofMillis(3),
                                Duration.ofMillis(2),
                                Duration.ofMillis(4),
                                Duration.ofMillis(1))),
                20);
        assertEquals(List.of(3, 4, 9), down);
    }

    @Test
    void randomFlapsRepeatBySeedAndSpendTheirShareDown() throws Exception {
        LinkConfig c = LinkConfig.ideal().flaps(LinkFlaps.random(Duration.ofMillis(30), Duration.ofMillis(10)));
        List<Integer> down = downMillis(53, c, 20_000);
        assertEquals(down, downMillis(53, c, 20_000));
        double share = down.size() / 20_000.0;
        assertEquals(0.25, share, 0.05, "mean down / (mean up + mean down); seed 53");
    }

    @Test
    void reapplyingEqualFlapsKeepsThePhase() throws Exception {
        try (ChainRig rig = new ChainRig(
                54, LinkConfig.ideal().flaps(LinkFlaps.periodic(Duration.ofMillis(10), Duration.ofMillis(10))))) {
            rig.at(5 * MS, () -> rig.chain.configure(rig.chain.config().loss(0)));
            rig.at(12 * MS, () -> rig.chain.accept(countedPacket(rig)));
            rig.sim.runUntilIdle();
            assertEquals(1, rig.counters().dropped(DropReason.LINK_DOWN));
        }
    }

    @Test
    void aRateTraceChangesTheRateAtItsTimes() throws Exception {
        // 1,000,000 B/s, then 100,000 B/s from 10 ms: ten 1 ms packets, then each takes 10 ms.
        RateTrace t = RateTrace.of(8_000_000).then(Duration.ofMillis(10), 800_000);
        try (ChainRig rig = new ChainRig(55, LinkConfig.ideal().rateTrace(t))) {
            rig.send(12, 1000);
            rig.sim.runUntilIdle();
            long[] expected = new long[12];
            for (int i = 0; i < 10; i++) {
                expected[i] = (i + 1) * MS;
            }
            expected[10] = 20 * MS;
            expected[11] = 30 * MS;
            assertArrayEquals(expected, rig.arrivalTimes());
        }
    }

    @Test
    void aLoopedTraceStartsOver() throws Exception {
        RateTrace t =
                RateTrace.of(8_000_000).then(Duration.ofMillis(2), 800_000).loop(Duration.ofMillis(20));
        try (ChainRig rig = new ChainRig(56, LinkConfig.ideal().rateTrace(t))) {
            rig.send(2, 1000); // 1 and 2 ms at the fast rate
            rig.sendAt(21 * MS, 1000); // 21 ms is 1 ms into the loop: fast again
            rig.sendAt(32 * MS, 1000); // 12 ms into it: slow, 10 ms
            rig.sim.runUntilIdle();
            assertArrayEquals(new long[] {MS, 2 * MS, 22 * MS, 42 * MS}, rig.arrivalTimes());
            assertTrue(rig.chain.toString().contains("Serializer"));
        }
    }
}
