package io.nettyvirtual.network.route;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The addresses handed out in one subnet: given ones are checked, free ones are assigned in order.
 *
 * <p>Automatic assignment takes the lowest free host address, so a topology built in the same order always gets the
 * same addresses. It skips the IPv4 network and broadcast addresses (except in a /31, RFC 3021, and a /32) and the
 * IPv6 subnet-router anycast address (all host bits zero, RFC 4291 section 2.6.1).
 */
public final class Subnet {
    private final IpPrefix prefix;
    private final Set<InetAddress> taken = new HashSet<>();
    private final List<InetAddress> assigned = new ArrayList<>();
    private long cursor;

    /** An empty subnet over {@code prefix}. */
    public Subnet(IpPrefix prefix) {
        if (prefix == null) {
            throw new IllegalArgumentException("subnet prefix is null");
        }
        this.prefix = prefix;
        this.cursor = firstHostOffset();
    }

    /** The subnet's prefix. */
    public IpPrefix prefix() {
        return prefix;
    }

    /**
     * Records a given address as used.
     *
     * @throws IllegalArgumentException if the address is outside the subnet, is its network or broadcast address,
     *         or is already assigned
     */
    public InetAddress assign(InetAddress address) {
        if (address == null) {
            throw new IllegalArgumentException("address for " + prefix + " is null");
        }
        String text = IpPrefix.format(address);
        if (!prefix.contains(address)) {
            throw new IllegalArgumentException("address " + text + " is outside its subnet " + prefix);
        }
        if (!isHost(address)) {
            throw new IllegalArgumentException("address " + text + " is the "
                    + (address.equals(prefix.network()) ? "network" : "broadcast") + " address of " + prefix);
        }
        if (!taken.add(address)) {
            throw new IllegalArgumentException("address " + text + " is already assigned in " + prefix);
        }
        assigned.add(address);
        return address;
    }

    /**
     * Assigns the lowest free host address.
     *
     * @throws IllegalStateException if every host address is taken
     */
    public InetAddress assignNext() {
        for (long offset = cursor; ; offset++) {
            InetAddress candidate = prefix.addressAt(offset);
            if (candidate == null || !isHost(candidate)) {
                throw new IllegalStateException(
                        "subnet " + prefix + " has no free address left (" + assigned.size() + " assigned)");
            }
            if (!taken.contains(candidate)) {
                cursor = offset + 1;
                return assign(candidate);
            }
        }
    }

    /** Whether {@code address} is assigned here. */
    public boolean isAssigned(InetAddress address) {
        return taken.contains(address);
    }

    /** The assigned addresses, in the order they were assigned. */
    public List<InetAddress> assigned() {
        return Collections.unmodifiableList(assigned);
    }

    /**
     * Checks that {@code candidate} shares no address with any of {@code existing}, e.g. before giving a router a
     * new interface.
     *
     * @throws IllegalArgumentException naming both prefixes if they overlap
     */
    public static void requireDisjoint(IpPrefix candidate, Collection<IpPrefix> existing) {
        for (IpPrefix p : existing) {
            if (p.overlaps(candidate)) {
                throw new IllegalArgumentException("subnet " + candidate + " overlaps subnet " + p);
            }
        }
    }

    private long firstHostOffset() {
        int hostBits = (prefix.isIpv6() ? 128 : 32) - prefix.length();
        return !prefix.isIpv6() && hostBits <= 1 ? 0 : 1;
    }

    private boolean isHost(InetAddress address) {
        int hostBits = (prefix.isIpv6() ? 128 : 32) - prefix.length();
        if (hostBits == 0 || (!prefix.isIpv6() && hostBits == 1)) {
            return true;
        }
        if (address.equals(prefix.network())) {
            return false;
        }
        return prefix.isIpv6() || !address.equals(prefix.lastAddress());
    }

    @Override
    public String toString() {
        return "Subnet(" + prefix + ", " + assigned.size() + " assigned)";
    }
}
