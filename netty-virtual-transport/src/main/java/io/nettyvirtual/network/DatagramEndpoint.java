package io.nettyvirtual.network;

import io.nettyvirtual.packet.IcmpType;
import io.nettyvirtual.packet.Packet;
import java.net.InetSocketAddress;

/**
 * What a host delivers datagrams to: a bound channel. Implemented by the transport's channel.
 */
public interface DatagramEndpoint {
    /** Whether a datagram from {@code sender} is for this endpoint (a connected channel accepts only its peer). */
    boolean accepts(InetSocketAddress sender);

    /**
     * Takes {@code packet} into the receive buffer and returns {@code true}, or returns {@code false} without taking
     * it when the receive buffer is full. Called with the simulation's lock held, on any thread.
     */
    boolean deliver(Packet packet);

    /**
     * An ICMP port-unreachable message came back about a datagram this endpoint sent to {@code destination}: no
     * socket was bound there (or the one bound there is connected elsewhere). Called with the simulation's lock
     * held, on any thread, when the message reaches this endpoint's host (a return trip after the datagram died).
     */
    void portUnreachable(InetSocketAddress destination);

    /**
     * An ICMP error that Linux reports to a UDP socket ({@link IcmpType#isReported()}) came back about a datagram
     * this endpoint sent to {@code destination}. By default a port unreachable goes to {@link #portUnreachable} and
     * the rest is ignored.
     */
    default void icmpError(InetSocketAddress destination, IcmpType type) {
        if (type == IcmpType.PORT_UNREACHABLE) {
            portUnreachable(destination);
        }
    }
}
