package io.nettyvirtual.network;

import io.nettyvirtual.packet.Packet;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A test-only network element, to show that a new element is one file: a two-port repeater (a bump in the wire,
 * like a media converter) that hands every packet out of the port it did not come in on. It bridges, so the
 * switches on either side see through it, and it passes on the news when its domain changes.
 */
final class Repeater extends Node {
    private final List<Port> ports = new ArrayList<>(2);

    private Repeater(NetworkModel model, String name) {
        super(model, name);
    }

    /** A new repeater registered with {@code model}. */
    static Repeater create(NetworkModel model, String name) {
        return model.locked(() -> model.add(new Repeater(model, name)));
    }

    @Override
    void receive(Packet p, Port ingress) {
        Port out = null;
        for (Port candidate : ports) {
            if (candidate != ingress) {
                out = candidate;
            }
        }
        forward(out, p); // dropped as NO_ROUTE when the other side is unplugged
    }

    @Override
    void collectRoutes(Port entered, Port via, Map<InetAddress, Port> into, Set<Node> visited) {
        bridgeRoutes(ports, via, into, visited);
    }

    @Override
    boolean bridges() {
        return true;
    }

    @Override
    void domainChanged(Set<Node> visited) {
        if (visited.add(this)) {
            bridgeDomainChanged(ports, visited);
        }
    }

    @Override
    Port newPort() {
        if (ports.size() == 2) {
            throw new IllegalStateException("repeater " + name() + " has two ports, both plugged");
        }
        Port p = new Port(this);
        ports.add(p);
        return p;
    }

    @Override
    void portUnplugged(Port port) {
        ports.remove(port);
    }
}
