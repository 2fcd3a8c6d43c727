package io.nettyvirtual.network.link;

import io.netty.buffer.Unpooled;
import io.nettyvirtual.packet.Packet;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link ChainRig} for queue disciplines: packets from any sender with an ECN codepoint, and a far end that
 * records each packet's size, sender port, codepoint and arrival time.
 */
final class QdiscRig {
    /** A packet seen at the far end. */
    record Seen(int size, int port, int ecn, long nanos) {}

    final ChainRig rig;
    final List<Seen> seen = new ArrayList<>();

    QdiscRig(long seed, LinkConfig config) {
        rig = new ChainRig(seed, config);
        rig.chain.attach(p -> {
            seen.add(new Seen(p.size(), p.source().getPort(), p.ecn(), rig.sim.nanoTime()));
            rig.total.out(p);
            p.release();
        });
    }

    /** Sends {@code count} packets of {@code size} bytes with codepoint {@code ecn} from port {@code port} now. */
    void send(int count, int size, int ecn, int port) {
        InetSocketAddress from = new InetSocketAddress("10.0.0.1", port);
        rig.locked(() -> {
            for (int i = 0; i < count; i++) {
                Packet p = new Packet(from, ChainRig.TO, Unpooled.buffer(size).writeZero(size), null);
                p.ecn(ecn);
                rig.total.in(p);
                rig.chain.accept(p);
            }
        });
    }

    QueueStats stats() {
        QueueStats[] s = new QueueStats[1];
        rig.locked(() -> s[0] = rig.chain.queueStats());
        return s[0];
    }

    /**
     * Runs until idle while sampling the discipline's drop (or mark) total half a millisecond after every whole
     * millisecond up to {@code untilMs}; returns the milliseconds whose count grew, once per packet dropped then.
     */
    List<Long> eventMillis(int untilMs, boolean marks) {
        List<Long> at = new ArrayList<>();
        long[] last = {0};
        for (long ms = 0; ms <= untilMs; ms++) {
            long t = ms;
            rig.at(ms * ChainRig.MS + ChainRig.MS / 2, () -> {
                QueueStats s = rig.chain.queueStats();
                long n = marks ? s.marks() : s.drops();
                for (long i = last[0]; i < n; i++) {
                    at.add(t);
                }
                last[0] = n;
            });
        }
        rig.sim.runUntilIdle();
        return at;
    }
}
