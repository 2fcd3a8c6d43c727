package io.nettyvirtual.network;

/**
 * One attachment point of a node. Plugged ports come in pairs; a pair joined by a wire sends through the wire's
 * link for that direction, a pair joined directly (a host plugged into a switch) hands packets straight across.
 */
final class Port {
    final Node node;
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
            to.node.receive(p, to);
        }
    }

    boolean isPlugged() {
        return peer != null;
    }
}
