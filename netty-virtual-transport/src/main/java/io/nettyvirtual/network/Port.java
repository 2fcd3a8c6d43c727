package io.nettyvirtual.network;

import io.nettyvirtual.network.link.LinkSink;
import io.nettyvirtual.packet.Packet;

/**
 * One attachment point of a node. Plugged ports come in pairs; a pair joined by a wire sends through the wire's
 * link for that direction (and the link delivers to the far port as its {@link LinkSink}), a pair joined directly
 * (a host plugged into a switch) hands packets straight across.
 */
final class Port implements LinkSink {
    final Node node;
    /** The interface of a host or router this port is, or null (a switch's port). */
    Interface iface;

    Port peer;
    /** The link that carries packets from this port to its peer, or null when joined directly. */
    Link out;

    Port(Node node) {
        this.node = node;
    }

    /** Hands {@code p} across to the peer; the caller has counted it out of its node. */
    void send(Packet p) {
        Link link = out;
        if (link != null) {
            link.accept(p);
        } else {
            p.releaseCredit();
            Port to = peer;
            to.node.arrive(p, to);
        }
    }

    /** A packet crossed the link that ends at this port. */
    @Override
    public void deliver(Packet p) {
        node.arrive(p, this);
    }

    /** Joins {@code a} and {@code b} as peers and tells both nodes. */
    static void join(Port a, Port b) {
        a.peer = b;
        b.peer = a;
        a.node.peersChanged(a);
        b.node.peersChanged(b);
    }

    /** Parts this port from its peer, if it has one, and tells both nodes. */
    void split() {
        Port other = peer;
        if (other != null) {
            other.peer = null;
            peer = null;
            other.node.peersChanged(other);
            node.peersChanged(this);
        }
    }

    boolean isPlugged() {
        return peer != null;
    }
}
