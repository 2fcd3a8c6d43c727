package io.nettyvirtual.network.firewall;

/** What a firewall does with a datagram. */
public enum FirewallAction {
    /** Let it pass. */
    ALLOW,
    /** Discard it silently: the sender sees nothing and waits (iptables {@code DROP}). */
    DROP,
    /**
     * Discard it and tell the sender, as iptables {@code REJECT} does with an ICMP port unreachable: a connected
     * sender sees an error at once instead of a timeout.
     */
    REJECT
}
