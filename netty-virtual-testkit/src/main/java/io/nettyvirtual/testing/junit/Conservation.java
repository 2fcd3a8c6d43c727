package io.nettyvirtual.testing.junit;

import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.network.Node;
import io.nettyvirtual.network.Wire;
import io.nettyvirtual.stats.PacketCounters;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The conservation checks the extension runs after a test: every element's counters, and what is in flight. */
final class Conservation {
    private Conservation() {}

    /**
     * Where {@link #all} reads the counters: the network's own, or, in the extension's tests, snapshots that break
     * conservation on purpose (the network cannot be made to).
     */
    static volatile Function<VirtualNetwork, List<PacketCounters>> source = Conservation::read;

    /** The network's counters, then every node's, then both links of every wire. */
    static List<PacketCounters> all(VirtualNetwork net) {
        return source.apply(net);
    }

    static List<PacketCounters> read(VirtualNetwork net) {
        List<PacketCounters> all = new ArrayList<>();
        all.add(net.counters());
        for (Node n : net.nodes()) {
            all.add(n.counters());
        }
        for (Wire w : net.wires()) {
            all.add(w.aToB().counters());
            all.add(w.bToA().counters());
        }
        return all;
    }

    /** One line per snapshot whose sent is not delivered + dropped + in flight (in packets or in bytes). */
    static List<String> unbalanced(List<PacketCounters> counters) {
        List<String> problems = new ArrayList<>();
        for (PacketCounters c : counters) {
            if (!c.isBalanced()) {
                problems.add("conservation broken at " + c.name() + ": sent " + c.sent() + " != delivered "
                        + c.delivered() + " + dropped " + c.dropped() + " + in flight " + c.inFlight()
                        + " (bytes: " + c.sentBytes() + " != " + c.deliveredBytes() + " + " + c.droppedBytes()
                        + " + " + c.inFlightBytes() + ")");
            }
        }
        return problems;
    }

    /** One line naming what is still in flight, or none if the first snapshot (the network's) has nothing. */
    static List<String> inFlight(List<PacketCounters> counters) {
        List<String> problems = new ArrayList<>();
        if (counters.isEmpty() || counters.get(0).inFlight() == 0) {
            return problems;
        }
        StringBuilder b = new StringBuilder("still in flight after runUntilIdle(): ")
                .append(counters.get(0).inFlight())
                .append(" packet(s)");
        String sep = " (";
        for (int i = 1; i < counters.size(); i++) {
            PacketCounters c = counters.get(i);
            if (c.inFlight() != 0) {
                b.append(sep).append(c.name()).append(' ').append(c.inFlight());
                sep = ", ";
            }
        }
        if (!" (".equals(sep)) {
            b.append(')');
        }
        problems.add(b.toString());
        return problems;
    }
}
