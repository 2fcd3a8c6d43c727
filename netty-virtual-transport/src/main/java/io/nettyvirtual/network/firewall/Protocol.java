package io.nettyvirtual.network.firewall;

/** The transport protocol a firewall rule matches. Only UDP is tracked by {@link ConnectionTracker}. */
public enum Protocol {
    /** UDP (IP protocol 17). */
    UDP,
    /** TCP (IP protocol 6). */
    TCP,
    /** ICMP or ICMPv6; has no ports. */
    ICMP
}
