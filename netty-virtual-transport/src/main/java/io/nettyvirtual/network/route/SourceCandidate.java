package io.nettyvirtual.network.route;

import java.net.InetAddress;

/**
 * One address a host could send from, with what RFC 6724 source address selection needs to know about it.
 *
 * @param address the candidate source address
 * @param prefixLength the length of the address's on-link prefix (64 for a typical IPv6 address); the longest
 *        matching prefix rule compares no further than this
 * @param deprecated whether the address is deprecated (its preferred lifetime is over, RFC 4862)
 * @param onOutgoingInterface whether the address belongs to the interface the route to the destination uses
 */
public record SourceCandidate(InetAddress address, int prefixLength, boolean deprecated, boolean onOutgoingInterface) {
    /** Checks the address is present and the prefix length fits its family. */
    public SourceCandidate {
        if (address == null) {
            throw new IllegalArgumentException("source candidate address is null");
        }
        int width = address.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > width) {
            throw new IllegalArgumentException("source candidate " + IpPrefix.format(address) + " has prefix length "
                    + prefixLength + ", outside 0.." + width);
        }
    }

    /** A preferred (not deprecated) address on the outgoing interface. */
    public static SourceCandidate of(InetAddress address, int prefixLength) {
        return new SourceCandidate(address, prefixLength, false, true);
    }
}
