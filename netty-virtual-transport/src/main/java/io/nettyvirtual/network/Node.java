package io.nettyvirtual.network;

import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.Counter;
import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.stats.PacketCounters;
import io.nettyvirtual.stats.PacketTap;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A network element that wires plug into: a {@link Host}, a {@link Switch}, and the elements to come (router,
 * NAT, firewall). The contract they share, every method called with the simulation's lock held:
 * <ul>
 * <li>{@link #receive(Packet, Port)}: the node's own forwarding decision for a packet that arrived on a port
 *     (already counted in): it ends with exactly one of {@link #forward(Port, Packet)} (counted out, sent through
 *     the port), {@link #drop(Packet, DropReason)} (counted, released) or a delivery of its own (a host's socket).
 *     The decision uses the node's own table, never a walk of the whole network.</li>
 * <li>{@link #newPort()} and {@link #portUnplugged(Port)}: wires and switches plug and unplug ports.</li>
 * <li>{@link #collectRoutes} and {@link #domainChanged(Set)}: the node's part in the broadcast domain it is on: the
 *     addresses it answers for (or, if it bridges, what lies behind its other ports), and being told that the
 *     domain changed, so that a bridging node rebuilds its table and passes the news on.</li>
 * </ul>
 * A new element is one class in this package plus its test, registered with the model ({@code NetworkModel.add});
 * the tests' {@code Repeater} is a complete example in one small file.
 */
public abstract non-sealed class Node implements Pluggable {
    final NetworkModel model;
    final String name;
    final Counter counter;

    Node(NetworkModel model, String name) {
        this.model = model;
        this.name = name;
        this.counter = new Counter(name, model.simulation()::nanoTime, false);
    }

    /** The node's name, as given at creation. */
    public final String name() {
        return name;
    }

    /** What this node did with packets so far. */
    public final PacketCounters counters() {
        return model.snapshot(counter);
    }

    /** Attaches {@code tap} to this node: it sees each packet enter, leave and be dropped here. */
    public final void addTap(PacketTap tap) {
        if (tap == null) {
            throw new NullPointerException("tap");
        }
        model.locked(() -> counter.attach(tap));
    }

    /** Detaches {@code tap} from this node. */
    public final void removeTap(PacketTap tap) {
        model.locked(() -> counter.detach(tap));
    }

    /** This node itself, as what a wire plugs into. */
    @Override
    public final Node node() {
        return this;
    }

    /** The model of the network this node belongs to. */
    public final NetworkModel model() {
        return model;
    }

    /** A packet crossed to {@code ingress}: counted into this node, then handed to its decision. */
    final void arrive(Packet p, Port ingress) {
        counter.in(p);
        receive(p, ingress);
    }

    /** Decides what becomes of {@code p}, which arrived on {@code ingress} and is counted in; see the class doc. */
    abstract void receive(Packet p, Port ingress);

    /**
     * Maps to {@code via} every address owned by this node behind {@code entered} (the port of this node the walk
     * came in by: for a host or router, that interface's addresses) or reachable through it on its broadcast domain
     * without entering a node of {@code visited} (adding the nodes it walks to {@code visited}); addresses already
     * mapped keep their port.
     */
    abstract void collectRoutes(Port entered, Port via, Map<InetAddress, Port> into, Set<Node> visited);

    /**
     * This node's broadcast domain changed (something was plugged or unplugged in it). A node that keeps a table of
     * its domain marks it stale; a node that bridges passes the news on ({@link #bridgeDomainChanged}). By default
     * the node ends the domain (a host) and has nothing to do.
     */
    void domainChanged(Set<Node> visited) {
        visited.add(this);
    }

    /** For a bridging node: {@link #collectRoutes} through every plugged port of {@code ports}. */
    final void bridgeRoutes(List<Port> ports, Port via, Map<InetAddress, Port> into, Set<Node> visited) {
        if (!visited.add(this)) {
            return;
        }
        for (Port p : ports) {
            if (p.peer != null) {
                p.peer.node.collectRoutes(p.peer, via, into, visited);
            }
        }
    }

    /** For a bridging node: tells the nodes on every plugged port of {@code ports} that the domain changed. */
    final void bridgeDomainChanged(List<Port> ports, Set<Node> visited) {
        for (Port p : ports) {
            if (p.peer != null) {
                p.peer.node.domainChanged(visited);
            }
        }
    }

    /** A port to plug a wire or a peer into. */
    abstract Port newPort();

    /**
     * Whether this node bridges (passes on what its domain holds, as a switch): only such nodes are told when the
     * domain changes, so a change costs the number of bridges in the domain, not the number of hosts.
     */
    boolean bridges() {
        return false;
    }

    /** {@code port}'s peer changed (joined or parted); a bridging node keeps count of its bridging neighbours. */
    void peersChanged(Port port) {}

    /** The port of {@code iface}, an interface of this node, made for plugging it; only nodes with interfaces. */
    Port portFor(Interface iface) {
        throw new IllegalArgumentException(this + " has no interfaces");
    }

    /** Takes {@code iface}, an interface of this node, up or down; only nodes with interfaces. */
    void interfaceChanged(Interface iface, boolean up) {
        throw new IllegalArgumentException(this + " has no interfaces");
    }

    /** The routes of this node changed (an interface's address, gateway or metric); with the lock held. */
    void routesChanged() {}

    /** The port a wire or switch plugs into for {@code target}: a new port of a node, or an interface's own. */
    static Port plugPort(Pluggable target) {
        return target instanceof Interface i ? i.owner.portFor(i) : ((Node) target).newPort();
    }

    /** Called when {@code port} is unplugged. */
    abstract void portUnplugged(Port port);

    /** Counts {@code p} out of this node and sends it through {@code out}, or drops it if {@code out} is unplugged. */
    final void forward(Port out, Packet p) {
        if (out == null || out.peer == null) {
            drop(p, DropReason.NO_ROUTE);
            return;
        }
        counter.out(p);
        out.send(p);
    }

    /** Counts {@code p} as dropped here (and network-wide) for {@code reason}, and releases it. */
    final void drop(Packet p, DropReason reason) {
        model.drop(p, reason, counter);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + name + ")";
    }
}
