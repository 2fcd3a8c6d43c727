package io.nettyvirtual.packet;

/** The protocol a {@link Packet} carries, as the IP header's protocol (next header) field names it. */
public enum IpProtocol {
    /** A UDP datagram (IP protocol 17): what channels send and receive. */
    UDP,
    /**
     * An ICMP (or, between IPv6 addresses, ICMPv6) error message that a host sends about a datagram it could not
     * deliver; it quotes the datagram's endpoints ({@link Packet#quotedSource()}, {@link Packet#quotedDestination()}).
     */
    ICMP
}
