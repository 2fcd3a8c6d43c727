package io.nettyvirtual.network.link;

import io.nettyvirtual.packet.Packet;
import java.net.Inet6Address;

/**
 * A datagram's bytes on the wire and its IP fragments ({@link LinkConfig#overhead(int)},
 * {@link LinkConfig#mtu(int)}): the UDP header (8 B, RFC 768) once, and per IP packet the IP header (20 B for IPv4,
 * RFC 791; 40 B for IPv6, RFC 8200, plus its 8 B fragment header when fragmented) and the link's framing. A
 * fragment's data is a multiple of 8 bytes except the last, as both RFCs require.
 */
final class WireOverhead {
    static final int UDP = 8;
    static final int IPV4 = 20;
    static final int IPV6 = 40;
    static final int IPV6_FRAGMENT = 8;

    private WireOverhead() {}

    static boolean ipv6(Packet p) {
        return p.destination().getAddress() instanceof Inet6Address;
    }

    /** The IP packet's size before fragmenting: payload, UDP and IP headers. */
    static int ipSize(Packet p) {
        return p.size() + UDP + (ipv6(p) ? IPV6 : IPV4);
    }

    /** How many IP packets carry {@code p} over a link of {@code mtu} (0: no MTU, one). */
    static int fragments(Packet p, int mtu) {
        if (mtu == 0) {
            return 1;
        }
        boolean v6 = ipv6(p);
        int udp = p.size() + UDP;
        int header = v6 ? IPV6 : IPV4;
        if (udp + header <= mtu) {
            return 1;
        }
        int perFragment = (mtu - header - (v6 ? IPV6_FRAGMENT : 0)) & ~7;
        return (udp + perFragment - 1) / perFragment;
    }

    /** The bytes {@code p} takes on the wire with {@code framing} bytes per frame (-1: the payload only). */
    static long wireBytes(Packet p, int framing, int mtu) {
        if (framing < 0) {
            return p.size();
        }
        boolean v6 = ipv6(p);
        int n = fragments(p, mtu);
        int perPacket = (v6 ? IPV6 + (n > 1 ? IPV6_FRAGMENT : 0) : IPV4) + framing;
        return (long) p.size() + UDP + (long) n * perPacket;
    }
}
