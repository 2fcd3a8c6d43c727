package io.nettyvirtual.packet;

/**
 * The sending channel's side of a packet: the network returns a packet's bytes to its send buffer (SO_SNDBUF) once
 * the packet has left the sending host (serialized onto the first wire, handed to a switch, delivered locally, or
 * dropped). Host-side metadata, not part of what is on the wire. Implemented by the transport's channel.
 */
public interface SendCredit {
    /** {@code bytes} of this channel's send buffer are free again. Called with the simulation's lock held. */
    void release(int bytes);
}
