package io.nettyvirtual.network.link;

import io.nettyvirtual.stats.DropReason;
import java.util.Arrays;

/**
 * A snapshot of what a link's queue discipline did: its backlog now, how many packets left it for the rate limiter
 * and their sojourn (waiting) time, and the packets it dropped and ECN-marked by reason. Drops are also counted, with
 * the same reasons, in the link's and the network's {@link io.nettyvirtual.stats.PacketCounters}.
 */
public final class QueueStats {
    private static final DropReason[] DROPS = DropReason.values();
    private static final MarkReason[] MARKS = MarkReason.values();

    private final int packets;
    private final long bytes;
    private final long departed;
    private final long sojournTotalNanos;
    private final long sojournMaxNanos;
    private final long[] drops;
    private final long[] marks;

    QueueStats(
            int packets,
            long bytes,
            long departed,
            long sojournTotalNanos,
            long sojournMaxNanos,
            long[] drops,
            long[] marks) {
        this.packets = packets;
        this.bytes = bytes;
        this.departed = departed;
        this.sojournTotalNanos = sojournTotalNanos;
        this.sojournMaxNanos = sojournMaxNanos;
        this.drops = drops.clone();
        this.marks = marks.clone();
    }

    /** Packets waiting now. */
    public int backlogPackets() {
        return packets;
    }

    /** Bytes waiting now. */
    public long backlogBytes() {
        return bytes;
    }

    /** Packets that left the queue for the rate limiter. */
    public long departed() {
        return departed;
    }

    /** The mean sojourn time of the packets that left, in nanoseconds (0 when none has). */
    public double meanSojournNanos() {
        return departed == 0 ? 0 : (double) sojournTotalNanos / departed;
    }

    /** The sum of the sojourn times of the packets that left, in nanoseconds. */
    public long totalSojournNanos() {
        return sojournTotalNanos;
    }

    /** The longest sojourn time of a packet that left, in nanoseconds. */
    public long maxSojournNanos() {
        return sojournMaxNanos;
    }

    /** Packets the discipline dropped for {@code reason}. */
    public long drops(DropReason reason) {
        return drops[reason.ordinal()];
    }

    /** Packets the discipline dropped, for every reason. */
    public long drops() {
        return Arrays.stream(drops).sum();
    }

    /** Packets the discipline marked CE for {@code reason}. */
    public long marks(MarkReason reason) {
        return marks[reason.ordinal()];
    }

    /** Packets the discipline marked CE, for every reason. */
    public long marks() {
        return Arrays.stream(marks).sum();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("QueueStats(backlog ")
                .append(packets)
                .append(" pkts / ")
                .append(bytes)
                .append(" B, departed ")
                .append(departed)
                .append(", mean sojourn ")
                .append(meanSojournNanos() / 1e6)
                .append(" ms, max ")
                .append(sojournMaxNanos / 1e6)
                .append(" ms");
        for (DropReason r : DROPS) {
            if (drops[r.ordinal()] != 0) {
                b.append(", dropped ")
                        .append(r.name().toLowerCase())
                        .append(' ')
                        .append(drops[r.ordinal()]);
            }
        }
        for (MarkReason r : MARKS) {
            if (marks[r.ordinal()] != 0) {
                b.append(", marked ").append(r.name().toLowerCase()).append(' ').append(marks[r.ordinal()]);
            }
        }
        return b.append(')').toString();
    }
}
