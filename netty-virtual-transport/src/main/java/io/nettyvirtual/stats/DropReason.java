package io.nettyvirtual.stats;

/** Why the network dropped a packet. */
public enum DropReason {
    /** A queue in front of a rate limiter was full (tail drop), in packets or in bytes. */
    QUEUE_FULL,
    /** Random loss on a link, drawn from the simulation's seeded random source. */
    LOSS,
    /** No host owns the destination address, or no path leads to it. */
    NO_ROUTE,
    /** The destination host has no channel bound to the destination port (or the bound channel is connected elsewhere). */
    PORT_UNREACHABLE,
    /** The receiving channel's receive buffer (SO_RCVBUF) was full. */
    RECEIVE_BUFFER_FULL,
    /** The packet was inside an element that was unplugged or closed. */
    UNPLUGGED,
    /** The link was down (a blackhole) when the packet entered it. */
    LINK_DOWN,
    /** A test's packet filter on a link chose to drop it. */
    FILTERED,
    /** A link's packet filter threw instead of answering; the packet is dropped and the exception logged. */
    FILTER_FAILED,

    /** A bit of its payload was flipped on a link (netem's corrupt), so the receiver's UDP checksum failed. */
    CORRUPTED,
    /** One of the IP fragments of a datagram larger than a link's MTU was lost, so the datagram was lost. */
    FRAGMENT_LOST,
    /** It was larger than a link's MTU and its sender asked for don't-fragment. */
    MTU_EXCEEDED,

    /**
     * An active queue management discipline (RED, CoDel, FQ-CoDel, DualPI2) chose to drop a packet that was not
     * ECN-capable, to signal congestion before the queue is full.
     */
    AQM_DROP,
    /** A queue discipline's hard limit was exceeded (RED's or DualPI2's limit, FQ-CoDel's drop from the fattest flow). */
    OVERLIMIT,

    /** Its TTL (IPv4) or hop limit (IPv6) ran out at a router; the router sent an ICMP time-exceeded back. */
    TTL_EXPIRED,
    /** It reached an interface that was down (or its address is no longer assigned there). */
    INTERFACE_DOWN,
    /** A NAT's filtering refused it: the mapping exists, but its internal endpoint never sent to this remote. */
    NAT_FILTERED,
    /** It arrived at a NAT's external endpoint for which no mapping is live (never made, expired, or rebooted). */
    NAT_NO_MAPPING,
    /** A NAT had no external port left for a new mapping (or the subscriber's quota was used up). */
    NAT_PORTS_EXHAUSTED,
    /** It was sent to the NAT's own external address from inside while the NAT does not hairpin. */
    NAT_HAIRPINNING_DISABLED,
    /** A firewall's rule or default policy dropped it silently. */
    FIREWALL_DROPPED,
    /** A firewall rejected it and sent the sender an ICMP error. */
    FIREWALL_REJECTED,

    /** FQ-CoDel's {@code memory_limit} was exceeded: dropped from the fattest flow (Linux's {@code drop_overmemory}). */
    MEMORY_LIMIT
}
