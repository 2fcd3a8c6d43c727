package io.nettyvirtual.network.nat;

/**
 * How far a NAT's mapping or filtering depends on the remote endpoint (RFC 4787 sections 4.1 and 5).
 *
 * <p>As a <em>mapping</em> behaviour it says when an internal endpoint keeps its external endpoint: for every
 * destination ({@link #ENDPOINT_INDEPENDENT}), per destination address ({@link #ADDRESS_DEPENDENT}) or per
 * destination address and port ({@link #ADDRESS_AND_PORT_DEPENDENT}). As a <em>filtering</em> behaviour it says who
 * may send in through a mapping: anyone, any port of an address the internal endpoint has sent to, or only exactly
 * the endpoints it has sent to.
 */
public enum NatBehavior {
    /** The remote endpoint does not matter (RFC 4787 REQ-1 requires it for mapping). */
    ENDPOINT_INDEPENDENT,
    /** Only the remote address matters. */
    ADDRESS_DEPENDENT,
    /** The remote address and port both matter. */
    ADDRESS_AND_PORT_DEPENDENT;

    /** The short form used in tables: EI, AD, APD. */
    public String shortName() {
        return switch (this) {
            case ENDPOINT_INDEPENDENT -> "EI";
            case ADDRESS_DEPENDENT -> "AD";
            case ADDRESS_AND_PORT_DEPENDENT -> "APD";
        };
    }
}
