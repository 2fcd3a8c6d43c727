package io.nettyvirtual.network;

import io.netty.util.NetUtil;
import io.nettyvirtual.engine.Simulation;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.network.route.IpPrefix;
import io.nettyvirtual.network.route.Subnet;
import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.Counter;
import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.stats.PacketCounters;
import io.nettyvirtual.stats.PacketTap;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The root of a network model: what every element shares and nothing else. It holds the simulation (whose lock
 * guards every element's state), the network-wide {@link Counter} and the drop-by-reason accounting, the topology
 * version that forwarding tables are rebuilt against, and the registry of nodes, wires and owned addresses. The
 * user's entry point ({@code io.nettyvirtual.VirtualNetwork}) owns one and delegates to it; elements talk to it,
 * never to the entry point, so that the model does not depend on the layer above it.
 */
public final class NetworkModel {
    private final Simulation simulation;
    private final Map<InetAddress, Host> hostsByAddress = new HashMap<>();
    /** Every address owned by a node (a host's or a router's interface), for uniqueness. */
    private final Map<InetAddress, Node> owners = new HashMap<>();
    /** The subnets addresses were assigned in, in creation order (a list: overlap checks walk it in order). */
    private final List<Subnet> subnets = new ArrayList<>();

    private final List<Node> nodes = new ArrayList<>();
    private final List<Wire> wires = new ArrayList<>();
    private final Host localhost;
    private volatile Host defaultHost;
    final Counter total;
    /** Taps attached to the whole network, attached to every element made from now on too. */
    private final List<PacketTap> taps = new ArrayList<>(0);

    long topologyVersion;

    /** A model on {@code simulation}, with its {@code localhost}. */
    public NetworkModel(Simulation simulation) {
        if (simulation == null) {
            throw new NullPointerException("simulation");
        }
        this.simulation = simulation;
        this.total = new Counter("network", simulation::nanoTime, true);
        this.localhost = newHost("localhost", List.of());
        this.defaultHost = localhost;
    }

    /** The simulation this model runs on. */
    public Simulation simulation() {
        return simulation;
    }

    /** The host that owns the loopback addresses. */
    public Host localhost() {
        return localhost;
    }

    /** The host that takes wildcard and loopback binds. */
    public Host defaultHost() {
        return defaultHost;
    }

    /** Makes {@code host} take wildcard and loopback binds. */
    public void defaultHost(Host host) {
        if (host == null) {
            throw new NullPointerException("host");
        }
        if (host.model != this) {
            throw new IllegalArgumentException("host " + host.name() + " belongs to another network");
        }
        defaultHost = host;
    }

    /**
     * A new host named {@code name} that owns {@code addresses}.
     *
     * @throws IllegalArgumentException if an address is given twice, is wildcard, loopback or multicast, or is
     *         already owned by another host
     */
    public Host newHost(String name, List<InetAddress> addresses) {
        if (name == null) {
            throw new NullPointerException("name");
        }
        if (addresses == null) {
            throw new NullPointerException("addresses");
        }
        checkOpen("create host " + name);
        return locked(() -> {
            for (int i = 0; i < addresses.size(); i++) {
                InetAddress a = addresses.get(i);
                if (a == null) {
                    throw new NullPointerException("addresses[" + i + "]");
                }
                if (addresses.subList(0, i).contains(a)) {
                    throw new IllegalArgumentException(
                            "address " + a.getHostAddress() + " is given twice for host " + name);
                }
                if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isMulticastAddress()) {
                    throw new IllegalArgumentException("address " + a.getHostAddress()
                            + " cannot be owned by a host (wildcard, loopback or multicast)");
                }
                Node owner = owners.get(a);
                if (owner != null) {
                    throw new IllegalArgumentException("address " + a.getHostAddress() + " is already owned by "
                            + (owner instanceof Host ? "host " : "router ") + owner.name());
                }
            }
            Host h = new Host(this, name, addresses, Collections.nCopies(addresses.size(), null));
            for (InetAddress a : addresses) {
                hostsByAddress.put(a, h);
                owners.put(a, h);
            }
            return add(h);
        });
    }

    /**
     * Assigns {@code literals} to {@code iface} of {@code node}: each an address with its subnet
     * ({@code 192.168.1.10/24}) or a bare address; checked all first (malformed, owned already, outside or
     * overlapping a known subnet), then assigned. Called with the lock held.
     */
    void assign(Node node, Interface iface, String[] literals) {
        List<InetAddress> as = new ArrayList<>(literals.length);
        List<IpPrefix> ps = new ArrayList<>(literals.length);
        for (int i = 0; i < literals.length; i++) {
            String text = literals[i];
            if (text == null) {
                throw new NullPointerException("addresses[" + i + "]");
            }
            int slash = text.indexOf('/');
            InetAddress a = IpPrefix.parseAddress(slash < 0 ? text : text.substring(0, slash), text);
            IpPrefix p = null;
            if (slash >= 0) {
                int length;
                try {
                    length = Integer.parseInt(text.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("address '" + text + "': prefix length is not a number");
                }
                p = IpPrefix.containing(a, length);
            }
            checkAssignable(a, p, node.name);
            if (as.contains(a)) {
                throw new IllegalArgumentException("address " + a.getHostAddress() + " is given twice for " + iface);
            }
            as.add(a);
            ps.add(p);
        }
        for (int i = 0; i < as.size(); i++) {
            InetAddress a = as.get(i);
            IpPrefix p = ps.get(i);
            if (p != null) {
                subnetFor(p).assign(a);
            }
            iface.addresses.add(a);
            iface.prefixes.add(p);
            owners.put(a, node);
            if (node instanceof Host h) {
                hostsByAddress.put(a, h);
            }
        }
    }

    /** Records {@code a} as owned by {@code node} (a NAT's pool address); with the lock held. */
    void claim(Node node, InetAddress a) {
        Node owner = owners.get(a);
        if (owner != null && owner != node) {
            throw new IllegalArgumentException(
                    "address " + a.getHostAddress() + " is already owned by " + owner.name());
        }
        owners.put(a, node);
    }

    /** Assigns the next free address of {@code subnet} to {@code iface} of {@code node}; with the lock held. */
    InetAddress assignNext(Node node, Interface iface, IpPrefix subnet) {
        Subnet s = subnetFor(subnet);
        InetAddress a;
        do {
            a = s.assignNext();
        } while (owners.containsKey(a)); // taken as a bare address: skip it
        iface.addresses.add(a);
        iface.prefixes.add(subnet);
        owners.put(a, node);
        if (node instanceof Host h) {
            hostsByAddress.put(a, h);
        }
        return a;
    }

    private void checkAssignable(InetAddress a, IpPrefix p, String who) {
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isMulticastAddress()) {
            throw new IllegalArgumentException("address " + a.getHostAddress() + " cannot be owned by " + who
                    + " (wildcard, loopback or multicast)");
        }
        Node owner = owners.get(a);
        if (owner != null) {
            throw new IllegalArgumentException("address " + a.getHostAddress() + " is already owned by "
                    + (owner instanceof Host ? "host " : "router ") + owner.name());
        }
        if (p != null) {
            for (Subnet s : subnets) {
                IpPrefix q = s.prefix();
                if (q.equals(p)) {
                    if (s.isAssigned(a)) {
                        throw new IllegalArgumentException(
                                "address " + a.getHostAddress() + " is already assigned in subnet " + q);
                    }
                } else if (q.overlaps(p)) {
                    throw new IllegalArgumentException("subnet " + p + " of address " + a.getHostAddress()
                            + " overlaps subnet " + q + " already in use");
                }
            }
        }
    }

    /** The subnet registered for {@code prefix}, registered now if it is new (and overlaps none). */
    Subnet subnetFor(IpPrefix prefix) {
        for (Subnet s : subnets) {
            if (s.prefix().equals(prefix)) {
                return s;
            }
        }
        Subnet.requireDisjoint(prefix, subnetPrefixes());
        Subnet s = new Subnet(prefix);
        subnets.add(s);
        return s;
    }

    private List<IpPrefix> subnetPrefixes() {
        List<IpPrefix> out = new ArrayList<>(subnets.size());
        for (Subnet s : subnets) {
            out.add(s.prefix());
        }
        return out;
    }

    /** The subnets in use (given to an interface or declared), in the order they were first used. */
    public List<IpPrefix> subnets() {
        return locked(this::subnetPrefixes);
    }

    /**
     * Declares the subnet {@code cidr} ({@code "192.168.1.0/24"}) so that interfaces can take its next free
     * address ({@code Host.newInterface(name, subnet)}); a subnet is also declared by the first address given in it.
     *
     * @throws IllegalArgumentException if it is malformed, has host bits set, or overlaps a subnet in use
     */
    public IpPrefix newSubnet(String cidr) {
        IpPrefix p = IpPrefix.parse(cidr);
        return locked(() -> subnetFor(p).prefix());
    }

    /** A new router named {@code name}, with no interface yet ({@link Router#newInterface}). */
    public Router newRouter(String name) {
        if (name == null) {
            throw new NullPointerException("name");
        }
        checkOpen("create router " + name);
        return locked(() -> add(new Router(this, name)));
    }

    /**
     * A new host named {@code name} that owns {@code addresses} (IPv4 or IPv6 literals).
     *
     * @throws IllegalArgumentException if an address is not a literal, or as {@link #newHost(String, List)}
     */
    public Host newHost(String name, String... addresses) {
        if (addresses == null) {
            throw new NullPointerException("addresses");
        }
        boolean withSubnets = false;
        for (String a : addresses) {
            withSubnets |= a != null && a.indexOf('/') >= 0;
        }
        if (withSubnets) {
            // Addresses with their subnet: eth0 routes (on-link subnets; add a gateway for the rest).
            if (name == null) {
                throw new NullPointerException("name");
            }
            checkOpen("create host " + name);
            return locked(() -> {
                Host h = new Host(this, name, List.of(), List.of());
                assign(h, h.iface("eth0"), addresses);
                h.rebuild();
                return add(h);
            });
        }
        List<InetAddress> list = new ArrayList<>(addresses.length);
        for (String a : addresses) {
            list.add(parseAddress(a));
        }
        return newHost(name, list);
    }

    private static InetAddress parseAddress(String literal) {
        if (literal == null) {
            throw new NullPointerException("address");
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(literal);
        if (bytes == null) {
            throw new IllegalArgumentException("address: '" + literal + "' (expected an IPv4 or IPv6 literal)");
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address: '" + literal + "'", e);
        }
    }

    /** A new switch named {@code name}. */
    public Switch newSwitch(String name) {
        if (name == null) {
            throw new NullPointerException("name");
        }
        checkOpen("create switch " + name);
        return locked(() -> add(new Switch(this, name)));
    }

    /**
     * Registers a node made by its own constructor (every node is registered: hosts and switches by their
     * factories, other element types by theirs or, in tests, directly); called with the lock held.
     */
    <N extends Node> N add(N node) {
        nodes.add(node);
        for (PacketTap t : taps) {
            node.counter.attach(t);
        }
        return node;
    }

    /** A free wire with separate settings for each direction: plug its ends. */
    public Wire newWire(LinkConfig startToEnd, LinkConfig endToStart) {
        if (startToEnd == null) {
            throw new NullPointerException(startToEnd == endToStart ? "config" : "startToEnd (config)");
        }
        if (endToStart == null) {
            throw new NullPointerException("endToStart (config)");
        }
        checkOpen("create a wire");
        return locked(() -> {
            Wire w = new Wire(this, "wire" + (wires.size() + 1), startToEnd, endToStart);
            wires.add(w);
            for (PacketTap t : taps) {
                w.aToB().counter.attach(t);
                w.bToA().counter.attach(t);
            }
            return w;
        });
    }

    /** Fails with a message that says the network is closed, for anything that would add to a closed network. */
    public void checkOpen(String what) {
        if (simulation.isClosed()) {
            throw new IllegalStateException("cannot " + what + ": " + this + " is closed");
        }
    }

    /** The host that owns {@code address}, or null; loopback and wildcard addresses map to the default host. */
    public Host hostOwning(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress()) {
            return defaultHost;
        }
        return locked(() -> hostsByAddress.get(address));
    }

    /** Every node, in creation order. */
    public List<Node> nodes() {
        return locked(() -> Collections.unmodifiableList(new ArrayList<>(nodes)));
    }

    /** Every wire, in creation order. */
    public List<Wire> wires() {
        return locked(() -> Collections.unmodifiableList(new ArrayList<>(wires)));
    }

    /** Network-wide counts: sent by hosts, delivered to channels, dropped anywhere, in flight. */
    public PacketCounters counters() {
        return snapshot(total);
    }

    /** Packets inside wires now, counted from the wires' queues and propagation lines (not from the counters). */
    public long packetsInWires() {
        return locked(() -> {
            long n = 0;
            for (Wire w : wires) {
                n += w.aToB().occupancy() + w.bToA().occupancy();
            }
            return n;
        });
    }

    /** Drops everything inside the wires, releasing the buffers; for a closing network. */
    public void clearWires() {
        locked(() -> {
            for (Wire w : wires) {
                w.aToB().clear();
                w.bToA().clear();
            }
        });
    }

    /** A one-paragraph summary: clock, and per element packets delivered and dropped. */
    public String summary() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                "virtual time %.3f ms, seed %d%n", simulation.clock().millis(), simulation.seed()));
        b.append("  ").append(counters()).append(System.lineSeparator());
        for (Node n : nodes()) {
            PacketCounters c = n.counters();
            if (c.sent() > 0) {
                b.append("  ").append(c).append(System.lineSeparator());
            }
        }
        for (Wire w : wires()) {
            b.append("  ").append(w.aToB().counters()).append(System.lineSeparator());
            b.append("  ").append(w.bToA().counters()).append(System.lineSeparator());
        }
        return b.toString();
    }

    /**
     * Attaches {@code tap} to the whole network: it sees every packet sent into and delivered out of the network,
     * and every event at every node and link, present and made later, in the order they happen.
     */
    public void addTap(PacketTap tap) {
        if (tap == null) {
            throw new NullPointerException("tap");
        }
        locked(() -> {
            taps.add(tap);
            total.attach(tap);
            for (Node n : nodes) {
                n.counter.attach(tap);
            }
            for (Wire w : wires) {
                w.aToB().counter.attach(tap);
                w.bToA().counter.attach(tap);
            }
        });
    }

    /** Detaches a tap attached with {@link #addTap(PacketTap)} from the network and every element. */
    public void removeTap(PacketTap tap) {
        locked(() -> {
            if (!taps.remove(tap)) {
                return;
            }
            total.detach(tap);
            for (Node n : nodes) {
                n.counter.detach(tap);
            }
            for (Wire w : wires) {
                w.aToB().counter.detach(tap);
                w.bToA().counter.detach(tap);
            }
        });
    }

    /**
     * Something was plugged or unplugged between {@code a} and {@code b} (either may be null): the broadcast
     * domains they are in now are told, so that their elements rebuild their tables; the version counts every
     * change, for tables that depend on more than a domain.
     */
    void topologyChanged(Node a, Node b) {
        topologyVersion++;
        changed(a == null ? "network" : a.name, "topology changed", b);
        Set<Node> visited = new HashSet<>();
        if (a != null) {
            a.domainChanged(visited);
        }
        if (b != null) {
            b.domainChanged(visited);
        }
    }

    /**
     * Tells the network-wide taps ({@link PacketTap#changed}) that {@code element} changed: {@code change}, then
     * {@code ": "} and {@code detail} if it is not null; the text is made only when a tap is attached. Called with
     * the lock held, by the elements where their topology or settings change.
     */
    void changed(String element, String change, Object detail) {
        if (taps.isEmpty()) {
            return;
        }
        String what = detail == null ? change : change + ": " + detail;
        long now = simulation.nanoTime();
        for (int i = 0; i < taps.size(); i++) {
            taps.get(i).changed(now, element, what);
        }
    }

    PacketCounters snapshot(Counter c) {
        return locked(c::snapshot);
    }

    /** Counts {@code p} as sent into the network (by the host that made it). */
    void sent(Packet p) {
        total.in(p);
    }

    /** Counts {@code p} as delivered out of the network (into a socket). */
    void delivered(Packet p) {
        total.out(p);
    }

    /** Counts {@code p} as dropped for {@code reason} at {@code at} and network-wide, and releases it. */
    void drop(Packet p, DropReason reason, Counter at) {
        at.drop(p, reason);
        total.drop(p, reason);
        p.release();
    }

    /**
     * Runs {@code r} with the simulation's lock held. The one way the model takes its lock, except on the
     * per-packet send path, where a capturing lambda would allocate per packet (see {@link Host}).
     */
    void locked(Runnable r) {
        simulation.lock().lock();
        try {
            r.run();
        } finally {
            simulation.lock().unlock();
        }
    }

    /** Returns what {@code s} computes with the simulation's lock held; what it throws passes through. */
    <T, E extends Exception> T locked(LockedCall<T, E> s) throws E {
        simulation.lock().lock();
        try {
            return s.get();
        } finally {
            simulation.lock().unlock();
        }
    }

    /** A computation run with the lock held, which may throw a checked exception (a bind's). */
    @FunctionalInterface
    interface LockedCall<T, E extends Exception> {
        T get() throws E;
    }

    @Override
    public String toString() {
        return "VirtualNetwork(" + simulation.mode() + ", seed " + simulation.seed() + ", " + simulation.clock() + ")";
    }
}
