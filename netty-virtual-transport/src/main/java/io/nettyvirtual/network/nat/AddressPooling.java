package io.nettyvirtual.network.nat;

/** Which external address of a NAT's pool a new mapping gets (RFC 4787 section 4.1, "IP address pooling"). */
public enum AddressPooling {
    /**
     * Every mapping of one internal address uses the same external address while it has any mapping (RFC 4787
     * REQ-2 recommends it, RFC 6888 REQ-2 requires it of a carrier-grade NAT): applications that open several
     * flows see one public address.
     */
    PAIRED,
    /** Each new mapping takes the next external address in turn, whatever the internal address. */
    ARBITRARY
}
