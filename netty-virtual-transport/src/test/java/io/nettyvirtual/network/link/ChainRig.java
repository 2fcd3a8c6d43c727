package io.nettyvirtual.network.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.nettyvirtual.engine.Simulation;
import io.nettyvirtual.engine.TimedEvent;
import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.packet.SendCredit;
import io.nettyvirtual.stats.Counter;
import io.nettyvirtual.stats.PacketCounters;
import io.nettyvirtual.time.TimeMode;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One link direction on its own simulation, without hosts or channels: packets go in with {@link #send}, and the
 * far end records when each one arrives (and releases it). The send credit records when each packet left the
 * sender. Everything runs on the calling thread, in virtual time.
 */
final class ChainRig implements AutoCloseable {
    static final long MS = 1_000_000L;
    static final InetSocketAddress FROM = new InetSocketAddress("10.0.0.1", 1);
    static final InetSocketAddress TO = new InetSocketAddress("10.0.0.2", 2);

    /** A packet seen at the far end: its size and the virtual time it arrived. */
    static final class Arrival {
        final int size;
        final long nanos;

        Arrival(int size, long nanos) {
            this.size = size;
            this.nanos = nanos;
        }
    }

    final Simulation sim;
    final Counter link = new Counter("link");
    final Counter total = new Counter("network");
    final LinkChain chain;
    final List<Arrival> arrivals = new ArrayList<>();
    /** Virtual times at which send credit came back, one per packet. */
    final List<Long> credits = new ArrayList<>();

    private final SendCredit credit = new SendCredit() {
        @Override
        public void release(int bytes) {
            credits.add(sim.nanoTime());
        }
    };

    ChainRig(long seed, LinkConfig config) {
        this(seed, config, LinkChain.STANDARD);
    }

    ChainRig(long seed, LinkConfig config, List<Function<LinkContext, Stage>> order) {
        sim = new Simulation(TimeMode.DETERMINISTIC, seed);
        chain = new LinkChain(sim, link, total, config, order);
        chain.attach(p -> {
            arrivals.add(new Arrival(p.size(), sim.nanoTime()));
            total.out(p);
            p.release();
        });
    }

    /** Sends {@code count} packets of {@code size} bytes into the link now. */
    void send(int count, int size) {
        locked(() -> {
            for (int i = 0; i < count; i++) {
                Packet p = new Packet(FROM, TO, Unpooled.buffer(size).writeZero(size), credit);
                total.in(p);
                chain.accept(p);
            }
        });
    }

    /** Sends {@code p} into the link now, counted as sent network-wide first. */
    void send(Packet p) {
        locked(() -> {
            total.in(p);
            chain.accept(p);
        });
    }

    /** A packet of {@code size} zero bytes from {@link #FROM} to {@link #TO} with this rig's send credit. */
    Packet packet(int size) {
        return new Packet(FROM, TO, Unpooled.buffer(size).writeZero(size), credit);
    }

    /** Sends one packet of {@code size} bytes at virtual time {@code at}. */
    void sendAt(long at, int size) {
        at(at, () -> {
            Packet p = packet(size);
            total.in(p);
            chain.accept(p);
        });
    }

    /** Sends one packet of each size, in order. */
    void sendSizes(int... sizes) {
        for (int s : sizes) {
            send(1, s);
        }
    }

    void configure(LinkConfig config) {
        locked(() -> chain.configure(config));
    }

    /** Runs {@code r} at virtual time {@code at} (inside the simulation, lock held). */
    void at(long at, Runnable r) {
        sim.schedule(
                new TimedEvent() {
                    @Override
                    protected void fire() {
                        r.run();
                    }
                },
                at);
    }

    void locked(Runnable r) {
        sim.lock().lock();
        try {
            r.run();
        } finally {
            sim.lock().unlock();
        }
    }

    PacketCounters counters() {
        return link.snapshot();
    }

    /** The link's counters balance, and what they call in flight is what the stages hold. */
    void assertExact() {
        PacketCounters c = link.snapshot();
        assertTrue(c.isBalanced(), c.toString());
        assertTrue(total.snapshot().isBalanced(), total.snapshot().toString());
        int[] occupancy = new int[1];
        locked(() -> occupancy[0] = chain.occupancy());
        assertEquals(c.inFlight(), occupancy[0], "in flight = what the stages hold");
    }

    long[] arrivalTimes() {
        return arrivals.stream().mapToLong(a -> a.nanos).toArray();
    }

    @Override
    public void close() throws TimeoutException {
        locked(chain::clear);
        assertExact();
        sim.close();
    }
}
