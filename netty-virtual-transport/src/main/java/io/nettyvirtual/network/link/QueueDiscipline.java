package io.nettyvirtual.network.link;

import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;
import java.util.SplittableRandom;

/**
 * The queue in front of a link's rate limiter, as a Linux qdisc: it decides which waiting packet is serialized next,
 * and which packets are dropped or ECN-marked to keep the queue short. It holds only packets that wait; the one
 * being serialized is the rate limiter's. Without a rate limit the queue is not used.
 *
 * <p>The built-in disciplines are made by {@link QueueDisciplines} and chosen per link with
 * {@link LinkConfig#queue(Factory)}; the default is a tail-drop FIFO limited by {@link LinkConfig#queuePackets(int)}
 * and {@link LinkConfig#queueBytes(long)}. A user discipline implements this interface and a {@link Factory}:
 * <pre>{@code
 * LinkConfig c = LinkConfig.limited(1_250_000).queue(ctx -> new MyQueue(ctx));
 * }</pre>
 *
 * <p>A discipline owns every packet it holds: it hands each one on through {@link #dequeue()}, or drops it through
 * {@link Context#drop} (never releasing it itself), so that every drop is counted at the link and network-wide
 * with its reason. It marks through {@link Context#mark} and reports each departing packet's sojourn time through
 * {@link Context#departed}; the link keeps the statistics ({@link QueueStats}). Every method is called with the
 * simulation's lock held, on the per-packet path: it must not block, and should not allocate per packet. Only
 * {@link Context#random()} may be used for randomness, so that a run repeats by seed.
 */
public interface QueueDiscipline {
    /** Takes {@code p}, which must wait: queues it, or drops it (or another packet) to stay within its limits. */
    void enqueue(Packet p);

    /**
     * Removes and returns the packet to serialize next, or null when none waits; it may drop or mark packets on the
     * way (as CoDel does at the head of the queue).
     */
    Packet dequeue();

    /** Packets waiting now. */
    int packets();

    /** Bytes waiting now (payload sizes, as {@link Packet#size()}). */
    long bytes();

    /** Drops every waiting packet through {@link Context#drop} as {@link DropReason#UNPLUGGED}. */
    void clear();

    /** Makes one discipline for one link direction; a config holds the factory, each link its own discipline. */
    @FunctionalInterface
    interface Factory {
        /** A new, empty discipline that uses {@code ctx} for time, randomness, drops, marks and statistics. */
        QueueDiscipline create(Context ctx);
    }

    /** What a discipline may use of its link: the clock, the seeded random source, drops, marks and statistics. */
    interface Context {
        /** Simulation time now, in nanoseconds. */
        long now();

        /** The simulation's seeded random source: the only randomness a discipline may use. */
        SplittableRandom random();

        /** The link's rate limit now in bytes per second (0 when unlimited), e.g. for RED's idle-time estimate. */
        long bytesPerSecond();

        /** Drops {@code p}, which the discipline owned: counted at the link and network-wide, then released. */
        void drop(Packet p, DropReason reason);

        /**
         * Marks {@code p} Congestion Experienced if it is ECN-capable (ECT(0), ECT(1) or already CE) and returns true;
         * returns false, leaving it unchanged, if it is Not-ECT: the discipline then drops it instead (RFC 3168).
         */
        boolean mark(Packet p, MarkReason reason);

        /** Records that a packet leaves the discipline for the rate limiter after {@code sojournNanos} of waiting. */
        void departed(long sojournNanos);
    }
}
