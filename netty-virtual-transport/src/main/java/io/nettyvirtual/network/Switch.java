package io.nettyvirtual.network;

import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A switch: delivers each packet out of the port behind which its destination address lives, at once. Hosts plug
 * in directly ({@link #plug(Host)}) or through wires ({@code VirtualNetwork.newWire}); both can be plugged and
 * unplugged while the simulation runs. A packet for an address no port leads to is dropped as
 * {@link DropReason#NO_ROUTE}. Its forwarding decision is its own table of its broadcast domain, rebuilt when that
 * domain changes (a wire or a host plugged or unplugged anywhere in it), not when the rest of the network does.
 */
public final class Switch extends Node {
    private final List<Port> ports = new ArrayList<>();
    private final Map<InetAddress, Port> routes = new HashMap<>();
    private final Map<Pluggable, Port> direct = new HashMap<>();
    /** The ports whose peer bridges too (another switch): the only ones a change of the domain is passed on to. */
    private final List<Port> bridgePorts = new ArrayList<>(2);
    /** Whether the broadcast domain changed since {@link #routes} was built. */
    private boolean stale = true;

    Switch(NetworkModel model, String name) {
        super(model, name);
    }

    /**
     * Plugs {@code target} straight into a port of this switch (no wire: no delay, no limit): a host (its next
     * unplugged interface), a router's or host's {@link Interface}, or another node.
     */
    public Switch plug(Pluggable target) {
        Node host = target.node();
        model.locked(() -> {
            if (host.model != model) {
                throw new IllegalArgumentException("node " + host.name + " belongs to another network");
            }
            if (direct.containsKey(target)) {
                throw new IllegalStateException(target + " is already plugged into " + name);
            }
            Port theirs = Node.plugPort(target);
            Port mine = newPort();
            Port.join(mine, theirs);
            direct.put(target, mine);
            model.topologyChanged(this, null);
        });
        return this;
    }

    /** Unplugs what was plugged in with {@link #plug(Pluggable)}. */
    public Switch unplug(Pluggable target) {
        Node host = target.node();
        model.locked(() -> {
            Port mine = direct.remove(target);
            if (mine == null) {
                throw new IllegalArgumentException(target + " is not plugged into " + name);
            }
            Port theirs = mine.peer;
            mine.split();
            portUnplugged(mine);
            host.portUnplugged(theirs);
            model.topologyChanged(this, host);
        });
        return this;
    }

    @Override
    void receive(Packet p, Port ingress) {
        Port out = route(p.nextHop());
        if (out == null || out == ingress) {
            drop(p, DropReason.NO_ROUTE);
            return;
        }
        forward(out, p);
    }

    private Port route(InetAddress address) {
        if (stale) {
            rebuildRoutes();
        }
        return routes.get(address);
    }

    /**
     * This switch's forwarding table, the whole of it at once: for every address of its broadcast domain (what a
     * learning switch knows once ARP / neighbour discovery has run), the first port (in plug order) behind which it
     * lives. The walk stops at nodes that do not bridge (a host answers for its own addresses) and shares one visited
     * set across ports: a node already reached through an earlier port keeps that port, as it would when the ports
     * were tried one by one. Rebuilding costs O(domain) once per change of the domain, where looking addresses up one
     * at a time cost O(ports) per new destination (O(n^2) for n hosts that all talk).
     */
    private void rebuildRoutes() {
        routes.clear();
        stale = false;
        Set<Node> visited = new HashSet<>();
        visited.add(this);
        for (Port candidate : ports) {
            if (candidate.peer != null) {
                candidate.peer.node.collectRoutes(candidate.peer, candidate, routes, visited);
            }
        }
    }

    @Override
    void collectRoutes(Port entered, Port via, Map<InetAddress, Port> into, Set<Node> visited) {
        bridgeRoutes(ports, via, into, visited);
    }

    @Override
    void domainChanged(Set<Node> visited) {
        if (visited.add(this)) {
            stale = true;
            bridgeDomainChanged(bridgePorts, visited);
        }
    }

    @Override
    boolean bridges() {
        return true;
    }

    @Override
    void peersChanged(Port port) {
        bridgePorts.remove(port);
        if (port.peer != null && port.peer.node.bridges()) {
            bridgePorts.add(port);
        }
        // What lies behind this port changed (say a host plugged into a wire's far end): the domain did.
        domainChanged(new HashSet<>());
    }

    @Override
    Port newPort() {
        Port p = new Port(this);
        ports.add(p);
        return p;
    }

    @Override
    void portUnplugged(Port port) {
        ports.remove(port);
        bridgePorts.remove(port);
    }
}
