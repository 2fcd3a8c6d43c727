package io.nettyvirtual.network.route;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

/**
 * Default source address selection (RFC 6724 section 5): which of a host's addresses a wildcard-bound socket sends
 * from, for a given destination.
 *
 * <p>The rules applied, in order, are those that decide something on a simulated host: 1 prefer the destination
 * itself, 2 prefer the appropriate scope, 3 avoid deprecated addresses, 5 prefer the outgoing interface, 6 prefer a
 * matching label (the RFC's default policy table), 8 prefer the longest matching prefix. Rule 4 (home addresses)
 * and rule 7 (temporary addresses) are not modelled. Remaining ties go to the candidate listed first, so the choice
 * is deterministic. Only candidates of the destination's family are considered (an IPv4 destination needs an IPv4
 * source).
 */
public final class SourceAddressSelection {
    private SourceAddressSelection() {}

    /**
     * The candidate to send from, or null if none has the destination's family.
     *
     * @throws IllegalArgumentException if the destination is null
     */
    public static SourceCandidate select(InetAddress destination, List<SourceCandidate> candidates) {
        if (destination == null) {
            throw new IllegalArgumentException("destination is null");
        }
        boolean v6 = destination instanceof Inet6Address;
        SourceCandidate best = null;
        for (SourceCandidate c : candidates) {
            if ((c.address() instanceof Inet6Address) == v6 && (best == null || compare(c, best, destination) < 0)) {
                best = c;
            }
        }
        return best;
    }

    /** Negative if {@code a} is the better source for {@code d}, positive if {@code b} is, 0 if the rules tie. */
    static int compare(SourceCandidate a, SourceCandidate b, InetAddress d) {
        // Rule 1: prefer same address.
        boolean aSame = a.address().equals(d);
        if (aSame != b.address().equals(d)) {
            return aSame ? -1 : 1;
        }
        // Rule 2: prefer appropriate scope.
        int sa = scope(a.address());
        int sb = scope(b.address());
        int sd = scope(d);
        if (sa != sb) {
            if (sa < sb) {
                return sa < sd ? 1 : -1;
            }
            return sb < sd ? -1 : 1;
        }
        // Rule 3: avoid deprecated addresses.
        if (a.deprecated() != b.deprecated()) {
            return a.deprecated() ? 1 : -1;
        }
        // Rule 5: prefer outgoing interface.
        if (a.onOutgoingInterface() != b.onOutgoingInterface()) {
            return a.onOutgoingInterface() ? -1 : 1;
        }
        // Rule 6: prefer matching label.
        int ld = label(d);
        boolean aLabel = label(a.address()) == ld;
        if (aLabel != (label(b.address()) == ld)) {
            return aLabel ? -1 : 1;
        }
        // Rule 8: use longest matching prefix.
        return Integer.compare(commonPrefixLength(b, d), commonPrefixLength(a, d));
    }

    /** The scope value of RFC 6724 section 3.1 (2 link-local, 5 site-local, 14 global; multicast from the address). */
    static int scope(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) { // RFC 6724 section 3.2: loopback and 169.254/16 are link-local, the rest global
            return (b[0] & 0xff) == 127 || ((b[0] & 0xff) == 169 && (b[1] & 0xff) == 254) ? 2 : 14;
        }
        if ((b[0] & 0xff) == 0xff) {
            return b[1] & 0x0f;
        }
        if (address.isLoopbackAddress() || ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0x80)) {
            return 2;
        }
        if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0xc0) {
            return 5;
        }
        return 14;
    }

    /** The label of the RFC 6724 section 2.1 default policy table; IPv4 counts as its mapped form ::ffff:0:0/96. */
    static int label(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return 4;
        }
        if (address.isLoopbackAddress()) {
            return 0; // ::1/128
        }
        boolean first80Zero = true;
        for (int i = 0; i < 10; i++) {
            first80Zero &= b[i] == 0;
        }
        if (first80Zero && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return 4; // ::ffff:0:0/96
        }
        if (first80Zero && b[10] == 0 && b[11] == 0) {
            return 3; // ::/96
        }
        int w0 = (b[0] & 0xff) << 8 | (b[1] & 0xff);
        int w1 = (b[2] & 0xff) << 8 | (b[3] & 0xff);
        if (w0 == 0x2001 && w1 == 0) {
            return 5; // 2001::/32 (Teredo)
        }
        if (w0 == 0x2002) {
            return 2; // 2002::/16 (6to4)
        }
        if (w0 == 0x3ffe) {
            return 12; // 3ffe::/16 (6bone)
        }
        if ((w0 & 0xffc0) == 0xfec0) {
            return 11; // fec0::/10 (site-local)
        }
        if ((w0 & 0xfe00) == 0xfc00) {
            return 13; // fc00::/7 (unique local)
        }
        return 1; // ::/0
    }

    /** Bits the candidate shares with {@code d} from the left, no further than the candidate's prefix length. */
    static int commonPrefixLength(SourceCandidate s, InetAddress d) {
        byte[] a = s.address().getAddress();
        byte[] b = d.getAddress();
        int bits = 0;
        for (int i = 0; i < a.length; i++) {
            int x = (a[i] ^ b[i]) & 0xff;
            if (x != 0) {
                bits += Integer.numberOfLeadingZeros(x) - 24;
                break;
            }
            bits += 8;
        }
        return Math.min(bits, s.prefixLength());
    }
}
