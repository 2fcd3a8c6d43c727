package io.nettyvirtual.network.route;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A routing table with longest-prefix match, as a host or router consults it for every datagram it sends.
 *
 * <p>The most specific prefix that contains the destination wins; among routes of that same prefix the lowest
 * metric wins, and among equal metrics the route added first (Linux keeps the first of equal routes too). The
 * default route is simply the prefix of length 0 ({@link IpPrefix#ANY_IPV4}, {@link IpPrefix#ANY_IPV6}).
 *
 * <p>Routes live in one binary trie per family, one level per prefix bit, so a lookup walks at most 32 (IPv4) or
 * 128 (IPv6) nodes and allocates nothing: {@link #routeV4(int)} and {@link #routeV6(long, long)} take the address as
 * bits for callers that keep it that way; {@link #route(InetAddress)} first copies it out of the {@code InetAddress}
 * ({@link InetAddress#getAddress()} returns a fresh array each time).
 * Not thread-safe: like every simulated element it is used under the simulation's lock.
 *
 * @param <T> what a route leads to (an interface, a next hop)
 */
public final class RoutingTable<T> {
    private static final class Node<T> {
        Node<T> zero;
        Node<T> one;
        /** Routes of exactly this prefix, best first. */
        List<Route<T>> routes;
    }

    private final Node<T> v4 = new Node<>();
    private final Node<T> v6 = new Node<>();
    private long added;
    private int size;

    /** Adds a route of metric 0. */
    public Route<T> add(IpPrefix prefix, T target) {
        return add(prefix, target, 0);
    }

    /**
     * Adds a route.
     *
     * @throws IllegalArgumentException if the prefix or target is null, the metric is negative, or the same route
     *         (prefix, target and metric) is already present
     */
    public Route<T> add(IpPrefix prefix, T target, int metric) {
        if (prefix == null) {
            throw new IllegalArgumentException("route prefix is null (to " + target + ")");
        }
        if (target == null) {
            throw new IllegalArgumentException("route to " + prefix + " leads nowhere: its target is null");
        }
        if (metric < 0) {
            throw new IllegalArgumentException("route to " + prefix + " has negative metric " + metric);
        }
        Node<T> node = prefix.isIpv6() ? v6 : v4;
        for (int i = 0; i < prefix.length(); i++) {
            if (prefix.bit(i) == 0) {
                node = node.zero == null ? (node.zero = new Node<>()) : node.zero;
            } else {
                node = node.one == null ? (node.one = new Node<>()) : node.one;
            }
        }
        if (node.routes == null) {
            node.routes = new ArrayList<>(1);
        }
        int at = 0;
        for (Route<T> r : node.routes) {
            if (r.metric() == metric && r.target().equals(target)) {
                throw new IllegalArgumentException("route " + r + " already exists");
            }
            if (r.metric() <= metric) {
                at++;
            }
        }
        Route<T> route = new Route<>(prefix, target, metric, added++);
        node.routes.add(at, route);
        size++;
        return route;
    }

    /** Removes one route; returns false if it was not in the table. */
    public boolean remove(Route<T> route) {
        Node<T> node = find(route.prefix());
        if (node == null || node.routes == null || !node.routes.remove(route)) {
            return false;
        }
        if (node.routes.isEmpty()) {
            node.routes = null; // the empty branch stays: a table's prefixes are few and come back
        }
        size--;
        return true;
    }

    /** Removes every route leading to {@code target} (its interface went down); returns how many. */
    public int removeAll(T target) {
        int removed = 0;
        for (Route<T> r : routes()) {
            if (r.target().equals(target) && remove(r)) {
                removed++;
            }
        }
        return removed;
    }

    /** The target of the best route to {@code destination}, or null if no route covers it. */
    public T lookup(InetAddress destination) {
        Route<T> r = route(destination);
        return r == null ? null : r.target();
    }

    /** The best route to {@code destination}, or null if no route covers it. */
    public Route<T> route(InetAddress destination) {
        if (destination instanceof Inet6Address) {
            byte[] b = destination.getAddress();
            return routeV6(IpPrefix.toLong(b, 0), IpPrefix.toLong(b, 8));
        }
        return routeV4(IpPrefix.v4Bits(destination));
    }

    /** The best route to the IPv4 address given as 32 bits, or null. Allocates nothing. */
    public Route<T> routeV4(int destination) {
        return walk(v4, false, 0, destination & 0xffffffffL);
    }

    /** The best route to the IPv6 address given as 128 bits, or null. Allocates nothing. */
    public Route<T> routeV6(long destinationHi, long destinationLo) {
        return walk(v6, true, destinationHi, destinationLo);
    }

    private Route<T> walk(Node<T> node, boolean ipv6, long hi, long lo) {
        int width = ipv6 ? 128 : 32;
        Route<T> best = null;
        for (int i = 0; ; i++) {
            if (node.routes != null) {
                best = node.routes.get(0);
            }
            if (i == width) {
                return best;
            }
            node = IpPrefix.bitOf(ipv6, hi, lo, i) == 0 ? node.zero : node.one;
            if (node == null) {
                return best;
            }
        }
    }

    private Node<T> find(IpPrefix prefix) {
        Node<T> node = prefix.isIpv6() ? v6 : v4;
        for (int i = 0; i < prefix.length() && node != null; i++) {
            node = prefix.bit(i) == 0 ? node.zero : node.one;
        }
        return node;
    }

    /** The number of routes. */
    public int size() {
        return size;
    }

    /** Every route: IPv4 then IPv6, each in address order (a prefix before those inside it), best first within a prefix. */
    public List<Route<T>> routes() {
        List<Route<T>> out = new ArrayList<>(size);
        collect(v4, out);
        collect(v6, out);
        return Collections.unmodifiableList(out);
    }

    private static <T> void collect(Node<T> node, List<Route<T>> out) {
        if (node == null) {
            return;
        }
        if (node.routes != null) {
            out.addAll(node.routes);
        }
        collect(node.zero, out);
        collect(node.one, out);
    }

    @Override
    public String toString() {
        return "RoutingTable" + routes();
    }
}
