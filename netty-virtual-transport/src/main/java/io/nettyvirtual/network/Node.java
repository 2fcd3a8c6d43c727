package io.nettyvirtual.network;

import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.stats.PacketCounters;
import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.Counter;

import java.net.InetAddress;
import java.util.Map;
import java.util.Set;

/**
 * Something on the network that wires plug into: a {@link Host} or a {@link Switch}.
 */
public abstract class Node {
    final VirtualNetwork network;
    final String name;
    final Counter counter;

    Node(VirtualNetwork network, String name) {
        this.network = network;
        this.name = name;
        this.counter = new Counter(name);
    }

    /** The node's name, as given at creation. */
    public final String name() {
        return name;
    }

    /** What this node did with packets so far. */
    public final PacketCounters counters() {
        return network.snapshot(counter);
    }

    /** The network this node belongs to. */
    public final VirtualNetwork network() {
        return network;
    }

    /** Receives {@code p} arriving on {@code ingress}; called with the simulation's lock held. */
    abstract void receive(Packet p, Port ingress);

    /**
     * Maps to {@code via} every address owned by this node or reachable through it without entering a node of
     * {@code visited} (adding the nodes it walks to {@code visited}); addresses already mapped keep their port.
     */
    abstract void collectRoutes(Port via, Map<InetAddress, Port> into, Set<Node> visited);

    /** A port to plug a wire or a peer into. */
    abstract Port newPort();

    /** Called when {@code port} is unplugged. */
    abstract void portUnplugged(Port port);

    /** Counts {@code p} out of this node and sends it through {@code out}, or drops it if {@code out} is unplugged. */
    final void forward(Port out, Packet p) {
        if (out == null || out.peer == null) {
            network.drop(p, DropReason.NO_ROUTE, counter);
            return;
        }
        counter.out(p);
        out.send(p);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + name + ")";
    }
}
