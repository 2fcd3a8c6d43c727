package io.nettyvirtual.network;

import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.packet.Packet;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A switch: delivers each packet out of the port behind which its destination address lives, at once. Hosts plug
 * in directly ({@link #plug(Host)}) or through wires ({@link VirtualNetwork#newWire}); both can be plugged and
 * unplugged while the simulation runs. A packet for an address no port leads to is dropped as
 * {@link DropReason#NO_ROUTE}.
 */
public final class Switch extends Node {
    private final List<Port> ports = new ArrayList<>();
    private final Map<InetAddress, Port> routes = new HashMap<>();
    private final Map<Host, Port> direct = new HashMap<>();
    private long routesVersion = -1;

    Switch(VirtualNetwork network, String name) {
        super(network, name);
    }

    /** Plugs {@code host} straight into a port of this switch (no wire: no delay, no limit). */
    public Switch plug(Host host) {
        network.lockedRun(() -> {
            if (host.network != network) {
                throw new IllegalArgumentException("host " + host.name + " belongs to another network");
            }
            if (direct.containsKey(host)) {
                throw new IllegalStateException("host " + host.name + " is already plugged into " + name);
            }
            Port mine = newPort();
            Port theirs = host.newPort();
            mine.peer = theirs;
            theirs.peer = mine;
            direct.put(host, mine);
            network.topologyChanged();
        });
        return this;
    }

    /** Unplugs a host that was plugged in with {@link #plug(Host)}. */
    public Switch unplug(Host host) {
        network.lockedRun(() -> {
            Port mine = direct.remove(host);
            if (mine == null) {
                throw new IllegalArgumentException("host " + host.name + " is not plugged into " + name);
            }
            Port theirs = mine.peer;
            mine.peer = null;
            theirs.peer = null;
            portUnplugged(mine);
            host.portUnplugged(theirs);
            network.topologyChanged();
        });
        return this;
    }

    @Override
    void receive(Packet p, Port ingress) {
        counter.in(p);
        Port out = route(p.recipient().getAddress());
        if (out == null || out == ingress) {
            network.drop(p, DropReason.NO_ROUTE, counter);
            return;
        }
        forward(out, p);
    }

    private Port route(InetAddress address) {
        if (routesVersion != network.topologyVersion) {
            rebuildRoutes();
        }
        return routes.get(address);
    }

    /**
     * The whole table at once, in one walk of the topology: for every address, the first port (in plug order)
     * behind which it lives. The walk shares one visited set across ports: a node already reached through an earlier
     * port keeps that port, as it would when the ports were tried one by one. Rebuilding costs O(nodes) once per
     * topology change, where looking addresses up one at a time cost O(ports) per new destination (O(n^2) for n
     * hosts that all talk).
     */
    private void rebuildRoutes() {
        routes.clear();
        routesVersion = network.topologyVersion;
        Set<Node> visited = new HashSet<>();
        visited.add(this);
        for (Port candidate : ports) {
            if (candidate.peer != null) {
                candidate.peer.node.collectRoutes(candidate, routes, visited);
            }
        }
    }

    @Override
    void collectRoutes(Port via, Map<InetAddress, Port> into, Set<Node> visited) {
        if (!visited.add(this)) {
            return;
        }
        for (Port p : ports) {
            if (p.peer != null) {
                p.peer.node.collectRoutes(via, into, visited);
            }
        }
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
    }
}
