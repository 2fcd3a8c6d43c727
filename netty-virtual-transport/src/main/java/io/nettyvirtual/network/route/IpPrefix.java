package io.nettyvirtual.network.route;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 prefix in CIDR notation ({@code 10.0.0.0/24}, {@code 2001:db8::/32}): the block of addresses a
 * subnet, a route or a firewall rule covers.
 *
 * <p>The address is kept as 128 bits ({@code hi}, {@code lo}; an IPv4 address in the low 32 bits of {@code lo}) so
 * that {@link #contains(InetAddress)} and the {@link RoutingTable} compare bits rather than byte arrays. A prefix
 * never has host bits set: {@code 10.0.0.1/24} is refused with the network address to use instead, since a route or
 * a rule written that way almost always hides a typo.
 */
public final class IpPrefix {
    /** The IPv4 default route, {@code 0.0.0.0/0}. */
    public static final IpPrefix ANY_IPV4 = new IpPrefix(false, 0, 0, 0);
    /** The IPv6 default route, {@code ::/0}. */
    public static final IpPrefix ANY_IPV6 = new IpPrefix(true, 0, 0, 0);

    private final boolean ipv6;
    private final long hi;
    private final long lo;
    private final int length;

    private IpPrefix(boolean ipv6, long hi, long lo, int length) {
        this.ipv6 = ipv6;
        this.hi = hi;
        this.lo = lo;
        this.length = length;
    }

    /**
     * Parses {@code address/length}, e.g. {@code 192.168.1.0/24} or {@code fd00::/8}. The address must be a literal
     * (no host name is ever resolved) with no host bits set.
     *
     * @throws IllegalArgumentException naming the text if it is not a valid prefix
     */
    public static IpPrefix parse(String cidr) {
        if (cidr == null) {
            throw new IllegalArgumentException("prefix is null");
        }
        int slash = cidr.indexOf('/');
        if (slash < 0 || slash != cidr.lastIndexOf('/')) {
            throw new IllegalArgumentException("prefix '" + cidr + "' is not address/length (e.g. 10.0.0.0/24)");
        }
        InetAddress address = parseAddress(cidr.substring(0, slash), cidr);
        String len = cidr.substring(slash + 1);
        int length;
        try {
            length = len.isEmpty() || len.length() > 3 || !len.chars().allMatch(c -> c >= '0' && c <= '9')
                    ? -1
                    : Integer.parseInt(len);
        } catch (NumberFormatException e) {
            length = -1;
        }
        if (length < 0) {
            throw new IllegalArgumentException("prefix '" + cidr + "' has a bad length '" + len + "'");
        }
        return of(address, length, cidr);
    }

    /**
     * The prefix of {@code length} bits starting at {@code network}.
     *
     * @throws IllegalArgumentException if the length is out of range for the family or host bits are set
     */
    public static IpPrefix of(InetAddress network, int length) {
        if (network == null) {
            throw new IllegalArgumentException("prefix address is null");
        }
        return of(network, length, network.getHostAddress() + "/" + length);
    }

    /**
     * The prefix of {@code length} bits that contains {@code address} (its host bits cleared), e.g. the subnet
     * {@code 10.0.0.0/24} of an interface configured as {@code 10.0.0.7/24}.
     */
    public static IpPrefix containing(InetAddress address, int length) {
        if (address == null) {
            throw new IllegalArgumentException("prefix address is null");
        }
        boolean v6 = address instanceof Inet6Address;
        checkLength(v6, length, address.getHostAddress() + "/" + length);
        long[] bits = bits(address);
        return new IpPrefix(v6, maskHi(v6, bits[0], length), maskLo(v6, bits[1], length), length);
    }

    private static IpPrefix of(InetAddress network, int length, String text) {
        boolean v6 = network instanceof Inet6Address;
        checkLength(v6, length, text);
        long[] bits = bits(network);
        long hi = maskHi(v6, bits[0], length);
        long lo = maskLo(v6, bits[1], length);
        if (hi != bits[0] || lo != bits[1]) {
            IpPrefix fixed = new IpPrefix(v6, hi, lo, length);
            throw new IllegalArgumentException("prefix '" + text + "' has host bits set; the network is " + fixed);
        }
        return new IpPrefix(v6, hi, lo, length);
    }

    private static void checkLength(boolean v6, int length, String text) {
        int width = v6 ? 128 : 32;
        if (length < 0 || length > width) {
            throw new IllegalArgumentException("prefix '" + text + "' has length " + length + ", outside 0.." + width
                    + " for " + (v6 ? "IPv6" : "IPv4"));
        }
    }

    /**
     * Parses an IP address literal without ever resolving a name: dotted quad for IPv4 (four decimal parts, no
     * shorthand), anything with a colon for IPv6.
     *
     * @throws IllegalArgumentException naming {@code context} if the text is not an address literal
     */
    public static InetAddress parseAddress(String text, String context) {
        if (text.indexOf(':') >= 0) {
            if (text.indexOf('%') >= 0 || text.indexOf('[') >= 0) {
                throw new IllegalArgumentException(
                        "'" + context + "' is not a plain IPv6 address (no zone or brackets)");
            }
            try {
                InetAddress a = InetAddress.getByName(text); // a literal with ':' is never looked up
                if (a instanceof Inet4Address) { // Java folds ::ffff:a.b.c.d into IPv4; keep it IPv6
                    byte[] v6 = new byte[16];
                    v6[10] = (byte) 0xff;
                    v6[11] = (byte) 0xff;
                    System.arraycopy(a.getAddress(), 0, v6, 12, 4);
                    return Inet6Address.getByAddress(null, v6, -1);
                }
                return a;
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("'" + context + "' has a bad IPv6 address '" + text + "'");
            }
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + context + "' has a bad IPv4 address '" + text + "'");
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty()
                    || p.length() > 3
                    || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(p) > 255) {
                throw new IllegalArgumentException("'" + context + "' has a bad IPv4 address '" + text + "'");
            }
            b[i] = (byte) Integer.parseInt(p);
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** True for an IPv6 prefix, false for IPv4. */
    public boolean isIpv6() {
        return ipv6;
    }

    /** The number of leading bits that are fixed. */
    public int length() {
        return length;
    }

    /**
     * Whether {@code address} lies in this prefix; an address of the other family never does. Copies the address
     * bytes out of the {@code InetAddress}; {@link #containsV4(int)} and {@link #containsV6(long, long)} do not.
     */
    public boolean contains(InetAddress address) {
        if ((address instanceof Inet6Address) != ipv6) {
            return false;
        }
        if (!ipv6) {
            return containsV4(v4Bits(address));
        }
        byte[] b = address.getAddress();
        return containsV6(toLong(b, 0), toLong(b, 8));
    }

    /** Whether the IPv4 address given as 32 bits lies in this prefix (always false for an IPv6 prefix). */
    public boolean containsV4(int address) {
        return !ipv6 && maskLo(false, address & 0xffffffffL, length) == lo;
    }

    /** Whether the IPv6 address given as 128 bits lies in this prefix (always false for an IPv4 prefix). */
    public boolean containsV6(long addressHi, long addressLo) {
        return ipv6 && maskHi(true, addressHi, length) == hi && maskLo(true, addressLo, length) == lo;
    }

    /** Whether every address of {@code other} lies in this prefix. */
    public boolean contains(IpPrefix other) {
        return other.ipv6 == ipv6
                && other.length >= length
                && maskHi(ipv6, other.hi, length) == hi
                && maskLo(ipv6, other.lo, length) == lo;
    }

    /** Whether the two prefixes share at least one address (for prefixes: one contains the other). */
    public boolean overlaps(IpPrefix other) {
        return contains(other) || other.contains(this);
    }

    /** The first address of the prefix (the network address). */
    public InetAddress network() {
        return toAddress(ipv6, hi, lo);
    }

    /**
     * The last address of the prefix: the IPv4 broadcast address ({@code 10.0.0.255} for {@code 10.0.0.0/24});
     * IPv6 has no broadcast, so there it is simply the highest address of the block.
     */
    public InetAddress lastAddress() {
        return toAddress(ipv6, hi | ~maskHi(ipv6, -1L, length), lo | (~maskLo(ipv6, -1L, length) & widthMask()));
    }

    /**
     * The address {@code offset} places after the network address, or null if that lies beyond the prefix.
     * Used to walk the hosts of a subnet; {@code offset} is unsigned and at most 2<sup>63</sup> - 1.
     */
    InetAddress addressAt(long offset) {
        long hostBits = ipv6 ? 128 - length : 32 - length;
        if (offset < 0 || (hostBits < 63 && offset >>> hostBits != 0)) {
            return null;
        }
        long newLo = lo + offset;
        long newHi = hi + (Long.compareUnsigned(newLo, lo) < 0 ? 1 : 0);
        return toAddress(ipv6, newHi, ipv6 ? newLo : newLo & 0xffffffffL);
    }

    long hi() {
        return hi;
    }

    long lo() {
        return lo;
    }

    /** The bit at {@code index} (0 = most significant) of the prefix's network address. */
    int bit(int index) {
        return bitOf(ipv6, hi, lo, index);
    }

    static int bitOf(boolean v6, long hi, long lo, int index) {
        if (!v6) {
            return (int) (lo >>> (31 - index)) & 1;
        }
        return index < 64 ? (int) (hi >>> (63 - index)) & 1 : (int) (lo >>> (127 - index)) & 1;
    }

    private long widthMask() {
        return ipv6 ? -1L : 0xffffffffL;
    }

    static long maskHi(boolean v6, long hi, int length) {
        if (!v6) {
            return 0;
        }
        return length == 0 ? 0 : length >= 64 ? hi : hi & (-1L << (64 - length));
    }

    static long maskLo(boolean v6, long lo, int length) {
        if (!v6) {
            return length == 0 ? 0 : lo & (0xffffffffL << (32 - length)) & 0xffffffffL;
        }
        return length <= 64 ? 0 : length == 128 ? lo : lo & (-1L << (128 - length));
    }

    /** The address as {hi, lo}; IPv4 in the low 32 bits of lo. */
    static long[] bits(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return new long[] {0, toLong(b, 0) >>> 32};
        }
        return new long[] {toLong(b, 0), toLong(b, 8)};
    }

    /** The 32 bits of an IPv4 address, most significant byte first. */
    public static int v4Bits(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length != 4) {
            throw new IllegalArgumentException(address.getHostAddress() + " is not an IPv4 address");
        }
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    static long toLong(byte[] b, int from) {
        long v = 0;
        int end = Math.min(b.length, from + 8);
        for (int i = from; i < end; i++) {
            v = v << 8 | (b[i] & 0xff);
        }
        return v << (8 * (from + 8 - end));
    }

    static InetAddress toAddress(boolean v6, long hi, long lo) {
        try {
            if (!v6) {
                return InetAddress.getByAddress(
                        new byte[] {(byte) (lo >>> 24), (byte) (lo >>> 16), (byte) (lo >>> 8), (byte) lo});
            }
            byte[] b = new byte[16];
            for (int i = 0; i < 8; i++) {
                b[i] = (byte) (hi >>> (56 - 8 * i));
                b[8 + i] = (byte) (lo >>> (56 - 8 * i));
            }
            return Inet6Address.getByAddress(null, b, -1);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpPrefix p && p.ipv6 == ipv6 && p.hi == hi && p.lo == lo && p.length == length;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(hi * 31 + lo) * 31 + length * 2 + (ipv6 ? 1 : 0);
    }

    /** The CIDR text, e.g. {@code 10.0.0.0/24} or {@code 2001:db8::/32} (IPv6 in the RFC 5952 form). */
    @Override
    public String toString() {
        return format(network()) + "/" + length;
    }

    /** The address as text, IPv6 in the RFC 5952 form ({@code 2001:db8::1}, not Java's {@code 2001:db8:0:0:0:0:0:1}). */
    static String format(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = (b[2 * i] & 0xff) << 8 | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
