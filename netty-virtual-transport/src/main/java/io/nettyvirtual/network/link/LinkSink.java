package io.nettyvirtual.network.link;

import io.nettyvirtual.packet.Packet;

/**
 * Where a link delivers the packets that crossed it: the port of the node at its far end. Implemented by the network
 * model, so that the link stages need nothing of the nodes.
 */
public interface LinkSink {
    /** Takes {@code p}, which crossed the link and was counted out of it. Called with the simulation's lock held. */
    void deliver(Packet p);
}
