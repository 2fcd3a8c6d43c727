package io.nettyvirtual.network;

/**
 * The sending channel's side of its send buffer (SO_SNDBUF): the network returns a packet's bytes once the packet
 * has left the sending host (serialized onto the first wire, handed to a switch, delivered locally, or dropped).
 * Implemented by the transport's channel.
 */
public interface SendCredit {
    /** {@code bytes} of this channel's send buffer are free again. Called with the simulation's lock held. */
    void release(int bytes);
}
