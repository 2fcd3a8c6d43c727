package io.nettyvirtual.network;

import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.stats.PacketCounters;

/** The mutable counts behind {@link PacketCounters}; updated with the simulation's lock held. */
final class Counter {
    private static final int REASONS = DropReason.values().length;

    String name;
    long sent;
    long sentBytes;
    long delivered;
    long deliveredBytes;
    long inFlight;
    long inFlightBytes;
    final long[] dropped = new long[REASONS];
    final long[] droppedBytes = new long[REASONS];

    Counter(String name) {
        this.name = name;
    }

    void in(Packet p) {
        sent++;
        sentBytes += p.size;
        inFlight++;
        inFlightBytes += p.size;
    }

    void out(Packet p) {
        delivered++;
        deliveredBytes += p.size;
        inFlight--;
        inFlightBytes -= p.size;
    }

    void drop(Packet p, DropReason reason) {
        dropped[reason.ordinal()]++;
        droppedBytes[reason.ordinal()] += p.size;
        inFlight--;
        inFlightBytes -= p.size;
    }

    PacketCounters snapshot() {
        return new PacketCounters(name, sent, sentBytes, delivered, deliveredBytes, dropped, droppedBytes,
                inFlight, inFlightBytes);
    }
}
