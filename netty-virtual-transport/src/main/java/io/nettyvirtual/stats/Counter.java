package io.nettyvirtual.stats;

import io.nettyvirtual.packet.Packet;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The mutable counts behind a {@link PacketCounters} snapshot, one per network element (a node, a link direction)
 * and one for the whole network. It is the network's bookkeeping, not a user API: it is updated only with the
 * simulation's lock held, and users read {@link #snapshot()}s through the elements' {@code counters()}.
 *
 * <p>It is also where {@link PacketTap}s attach: every count is one event, so with no tap attached an event costs
 * one null check.
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
    /** The virtual clock, for the taps' timestamps; null when no tap can attach. */
    private final LongSupplier clock;
    /** Whether this counts the whole network (in is SENT, out is DELIVERED, drops are told by the elements). */
    private final boolean network;
    /** Null when nothing is attached, the one tap, or one that calls them all in attach order. */
    private PacketTap tap;

    private final List<PacketTap> taps = new ArrayList<>(0);

    /** A counter of nothing yet for the element named {@code name}, without taps. */
    public Counter(String name) {
        this(name, null, false);
    }

    /**
     * A counter of nothing yet for the element named {@code name} (or, if {@code network}, the whole network) that
     * taps can attach to, timestamped by {@code clock} (virtual nanoseconds).
     */
    public Counter(String name, LongSupplier clock, boolean network) {
        this.name = name;
        this.clock = clock;
        this.network = network;
    }

    /** Attaches {@code tap}: it sees every packet event counted here from now on. */
    public void attach(PacketTap tap) {
        if (tap == null) {
            throw new NullPointerException("tap");
        }
        if (clock == null) {
            throw new IllegalStateException("counter " + name + " has no clock: taps cannot attach to it");
        }
        taps.add(tap);
        rebuild();
    }

    /** Detaches {@code tap} (its first attachment); no-op if it is not attached. */
    public void detach(PacketTap tap) {
        if (taps.remove(tap)) {
            rebuild();
        }
    }

    private void rebuild() {
        if (taps.isEmpty()) {
            tap = null;
        } else if (taps.size() == 1) {
            tap = taps.get(0);
        } else {
            PacketTap[] all = taps.toArray(new PacketTap[0]);
            tap = (nanos, event, element, packet, reason) -> {
                for (PacketTap t : all) {
                    t.packet(nanos, event, element, packet, reason);
                }
            };
        }
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
        PacketTap t = tap;
        if (t != null) {
            t.packet(clock.getAsLong(), network ? PacketTap.Event.SENT : PacketTap.Event.ENTERED, name, p, null);
        }
    }

    /** {@code p} left the element, handed on. */
    public void out(Packet p) {
        delivered++;
        deliveredBytes += p.size();
        inFlight--;
        inFlightBytes -= p.size();
        PacketTap t = tap;
        if (t != null) {
            t.packet(clock.getAsLong(), network ? PacketTap.Event.DELIVERED : PacketTap.Event.LEFT, name, p, null);
        }
    }

    /** {@code p} was dropped inside the element for {@code reason}. */
    public void drop(Packet p, DropReason reason) {
        dropped[reason.ordinal()]++;
        droppedBytes[reason.ordinal()] += p.size();
        inFlight--;
        inFlightBytes -= p.size();
        PacketTap t = tap;
        if (t != null && !network) {
            t.packet(clock.getAsLong(), PacketTap.Event.DROPPED, name, p, reason);
        }
    }

    /** The counts now. */
    public PacketCounters snapshot() {
        return new PacketCounters(
                name, sent, sentBytes, delivered, deliveredBytes, dropped, droppedBytes, inFlight, inFlightBytes);
    }
}
