package io.nettyvirtual.network.nat;

/** Why a {@link NatTable} refused to translate a datagram; a node drops the datagram and counts the reason. */
public enum NatRefusal {
    /** Inbound to an external endpoint with no live mapping (never created, expired, or lost in a reboot). */
    NO_MAPPING,
    /** Inbound through a live mapping from a remote endpoint its filtering behaviour does not admit. */
    FILTERED,
    /** Outbound needing a new mapping when no external port is free, or the subscriber's port quota is used up. */
    PORTS_EXHAUSTED,
    /** Outbound to the NAT's own external address while hairpinning is off. */
    HAIRPINNING_DISABLED
}
