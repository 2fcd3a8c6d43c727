package io.nettyvirtual.stats;

import java.util.Arrays;

/**
 * A snapshot of what an element (or the whole network) did with packets: how many were sent into it, delivered out
 * of it, dropped by reason, and are still in flight inside it. For every snapshot
 * {@code sent() == delivered() + dropped() + inFlight()}, in packets and in bytes.
 *
 * <p>Every packet counts, whatever it carries: an ICMP error (port unreachable) is counted as sent, network-wide and
 * by its host, by the host that makes it, and then as delivered when it reaches the socket it reports to, or as
 * dropped wherever it dies (a lossy link, a filter, a closed socket), so the network's counts stay exact.
 */
public final class PacketCounters {
    private static final DropReason[] REASONS = DropReason.values();

    private final String name;
    private final long sent;
    private final long sentBytes;
    private final long delivered;
    private final long deliveredBytes;
    private final long[] dropped;
    private final long[] droppedBytes;
    private final long inFlight;
    private final long inFlightBytes;

    /** Creates a snapshot; {@code dropped} and {@code droppedBytes} are indexed by {@link DropReason#ordinal()}. */
    public PacketCounters(
            String name,
            long sent,
            long sentBytes,
            long delivered,
            long deliveredBytes,
            long[] dropped,
            long[] droppedBytes,
            long inFlight,
            long inFlightBytes) {
        this.name = name;
        this.sent = sent;
        this.sentBytes = sentBytes;
        this.delivered = delivered;
        this.deliveredBytes = deliveredBytes;
        this.dropped = Arrays.copyOf(dropped, REASONS.length);
        this.droppedBytes = Arrays.copyOf(droppedBytes, REASONS.length);
        this.inFlight = inFlight;
        this.inFlightBytes = inFlightBytes;
    }

    /** The element's name. */
    public String name() {
        return name;
    }

    /** Packets that entered the element. */
    public long sent() {
        return sent;
    }

    /** Bytes that entered the element. */
    public long sentBytes() {
        return sentBytes;
    }

    /** Packets the element handed on (for the network: into a receiving channel). */
    public long delivered() {
        return delivered;
    }

    /** Bytes the element handed on. */
    public long deliveredBytes() {
        return deliveredBytes;
    }

    /** Packets dropped, for every reason. */
    public long dropped() {
        long n = 0;
        for (long d : dropped) {
            n += d;
        }
        return n;
    }

    /** Packets dropped for {@code reason}. */
    public long dropped(DropReason reason) {
        return dropped[reason.ordinal()];
    }

    /** Bytes dropped, for every reason. */
    public long droppedBytes() {
        long n = 0;
        for (long d : droppedBytes) {
            n += d;
        }
        return n;
    }

    /** Bytes dropped for {@code reason}. */
    public long droppedBytes(DropReason reason) {
        return droppedBytes[reason.ordinal()];
    }

    /** Packets inside the element now: queued, being serialized or propagating. */
    public long inFlight() {
        return inFlight;
    }

    /** Bytes inside the element now. */
    public long inFlightBytes() {
        return inFlightBytes;
    }

    /** Whether sent = delivered + dropped + in flight, in packets and in bytes. */
    public boolean isBalanced() {
        return sent == delivered + dropped() + inFlight && sentBytes == deliveredBytes + droppedBytes() + inFlightBytes;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        b.append(name)
                .append(": sent ")
                .append(sent)
                .append(", delivered ")
                .append(delivered)
                .append(", dropped ")
                .append(dropped());
        String sep = " (";
        for (DropReason r : REASONS) {
            if (dropped[r.ordinal()] != 0) {
                b.append(sep).append(r.name().toLowerCase()).append(' ').append(dropped[r.ordinal()]);
                sep = ", ";
            }
        }
        if (!" (".equals(sep)) {
            b.append(')');
        }
        return b.append(", in flight ").append(inFlight).toString();
    }
}
