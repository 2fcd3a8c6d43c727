package io.nettyvirtual.stats;

import io.nettyvirtual.packet.Packet;

/**
 * The mutable counts behind a {@link PacketCounters} snapshot, one per network element (a node, a link direction)
 * and one for the whole network. It is the network's bookkeeping, not a user API: it is updated only with the
 * simulation's lock held, and users read {@link #snapshot()}s through the elements' {@code counters()}.
 */
public final class Counter {
    private static final int REASONS = DropReason.values().length;

    private String name;
    private long sent;
    private long sentBytes;
    private long delivered;
    private long deliveredBytes;
    private long inFlight;
    private long inFlightBytes;
    private final long[] dropped = new long[REASONS];
    private final long[] droppedBytes = new long[REASONS];

    /** A counter of nothing yet for the element named {@code name}. */
    public Counter(String name) {
        this.name = name;
    }

    /** The element's name. */
    public String name() {
        return name;
    }

    /** Renames the element (a wire direction takes its nodes' names when plugged). */
    public void name(String name) {
        this.name = name;
    }

    /** {@code p} entered the element. */
    public void in(Packet p) {
        sent++;
        sentBytes += p.size();
        inFlight++;
        inFlightBytes += p.size();
    }

    /** {@code p} left the element, handed on. */
    public void out(Packet p) {
        delivered++;
        deliveredBytes += p.size();
        inFlight--;
        inFlightBytes -= p.size();
    }

    /** {@code p} was dropped inside the element for {@code reason}. */
    public void drop(Packet p, DropReason reason) {
        dropped[reason.ordinal()]++;
        droppedBytes[reason.ordinal()] += p.size();
        inFlight--;
        inFlightBytes -= p.size();
    }

    /** The counts now. */
    public PacketCounters snapshot() {
        return new PacketCounters(name, sent, sentBytes, delivered, deliveredBytes, dropped, droppedBytes,
                inFlight, inFlightBytes);
    }
}
