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
    /** FQ-CoDel's {@code memory_limit} was exceeded: dropped from the fattest flow (Linux's {@code drop_overmemory}). */
    MEMORY_LIMIT
}
