package io.nettyvirtual.packet;

import java.net.InetSocketAddress;

/**
 * The sending channel's side of a packet: the network returns a packet's bytes to its send buffer (SO_SNDBUF) once
 * the packet has left the sending host (serialized onto the first wire, handed to a switch, delivered locally, or
 * dropped), and reports when no channel was bound at the destination (what ICMP port unreachable reports on a real
 * network). Implemented by the transport's channel.
 */
public interface SendCredit {
    /** {@code bytes} of this channel's send buffer are free again. Called with the simulation's lock held. */
    void release(int bytes);

    /**
     * A packet this channel sent to {@code destination} was dropped there because no channel is bound to that port
     * (or the one bound there is connected elsewhere). Reported when the packet is dropped, without modelling the
     * return trip of an ICMP message. Called with the simulation's lock held; by default ignored.
     */
    default void portUnreachable(InetSocketAddress destination) {
    }
}
