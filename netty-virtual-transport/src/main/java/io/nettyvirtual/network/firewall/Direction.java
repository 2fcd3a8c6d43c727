package io.nettyvirtual.network.firewall;

/** Which way a datagram crosses a firewall. */
public enum Direction {
    /** From the outside (the protected side's remote peers) in. */
    INBOUND,
    /** From the protected side out. */
    OUTBOUND
}
