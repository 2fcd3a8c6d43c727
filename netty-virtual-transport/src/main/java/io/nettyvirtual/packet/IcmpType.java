package io.nettyvirtual.packet;

/**
 * The ICMP errors the network sends back about a UDP datagram, with their ICMPv4 and ICMPv6 type and code (RFC 792,
 * RFC 4443). What an application sees of each is what Linux shows a UDP socket without {@code IP_RECVERR}: only
 * port unreachable ({@code ECONNREFUSED}, Java's {@link java.net.PortUnreachableException}) and administratively
 * prohibited ({@code EHOSTUNREACH}, {@link java.net.NoRouteToHostException}) reach a connected socket; the others
 * are counted and seen in captures, not reported.
 */
public enum IcmpType {
    /** No socket at the destination port (host) or a firewall's reject (ICMPv4 3/3, ICMPv6 1/4). */
    PORT_UNREACHABLE(3, 3, 1, 4, true),
    /** A router has no route to the destination (ICMPv4 3/0, ICMPv6 1/0). */
    NET_UNREACHABLE(3, 0, 1, 0, false),
    /** The destination is on a router's subnet but no node answers for it (ICMPv4 3/1, ICMPv6 1/3). */
    HOST_UNREACHABLE(3, 1, 1, 3, false),
    /** The TTL or hop limit ran out at a router (ICMPv4 11/0, ICMPv6 3/0). */
    TIME_EXCEEDED(11, 0, 3, 0, false),
    /** A firewall rejected it "with icmp-admin-prohibited" (ICMPv4 3/13, ICMPv6 1/1). */
    ADMIN_PROHIBITED(3, 13, 1, 1, true);

    private final int v4Type;
    private final int v4Code;
    private final int v6Type;
    private final int v6Code;
    private final boolean reported;

    IcmpType(int v4Type, int v4Code, int v6Type, int v6Code, boolean reported) {
        this.v4Type = v4Type;
        this.v4Code = v4Code;
        this.v6Type = v6Type;
        this.v6Code = v6Code;
        this.reported = reported;
    }

    /** The ICMP type on the wire: ICMPv4's, or ICMPv6's when {@code ipv6}. */
    public int type(boolean ipv6) {
        return ipv6 ? v6Type : v4Type;
    }

    /** The ICMP code on the wire: ICMPv4's, or ICMPv6's when {@code ipv6}. */
    public int code(boolean ipv6) {
        return ipv6 ? v6Code : v4Code;
    }

    /**
     * Whether Linux reports this error to a connected UDP socket (the error is "hard": {@code icmp_err_convert}'s
     * fatal flag); the others are ignored by a socket without {@code IP_RECVERR}.
     */
    public boolean isReported() {
        return reported;
    }
}
