package io.nettyvirtual.network;

import io.netty.buffer.ByteBuf;
import io.netty.util.NetUtil;
import io.netty.util.collection.IntObjectHashMap;
import io.nettyvirtual.network.route.IpPrefix;
import io.nettyvirtual.network.route.RoutingTable;
import io.nettyvirtual.network.route.SourceAddressSelection;
import io.nettyvirtual.network.route.SourceCandidate;
import io.nettyvirtual.packet.IpProtocol;
import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.packet.SendCredit;
import io.nettyvirtual.stats.DropReason;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A machine on the network: it owns addresses, channels bind to them, and it has network interfaces that a switch
 * or a wire plugs into. In its simple form ({@code net.newHost("a", "10.0.0.1")}) it has one interface, {@code eth0},
 * and every destination is on that interface's link. Given subnets ({@code "192.168.1.10/24"}) and a gateway, or
 * several interfaces ({@link #newInterface}), it routes as Linux does: the longest matching prefix, then the lowest
 * metric, over the interfaces that are up; a wildcard-bound socket sends from the address of the interface its route
 * leaves by (for IPv6, the address RFC 6724 selects), and a send with no route fails at once as
 * {@code Network is unreachable}. Datagrams to the host's own addresses or to a loopback address are delivered
 * locally without touching the network. Wildcard binds ({@code 0.0.0.0}, {@code ::}) on the network's default host
 * receive datagrams for every address of that host. A datagram that finds no socket here makes the host send an
 * ICMP port-unreachable packet back to its source, through the network like any packet; an ICMP error that
 * arrives is reported to the socket bound at the source of the datagram it quotes.
 */
public final class Host extends Node {
    /** First port handed out for binds to port 0. */
    public static final int FIRST_EPHEMERAL_PORT = 49152;

    private final List<Interface> interfaces = new ArrayList<>(1);
    /** Every usable address (of the interfaces that are up), rebuilt on change; read without the lock. */
    private volatile List<InetAddress> addresses;

    private final IntObjectHashMap<Binding> bindings = new IntObjectHashMap<>();
    /** Where every packet leaves while no interface has a subnet or gateway: the first interface's port. */
    private Port port;
    /** The host's routes, or null while no interface has a subnet or a gateway (every destination is on-link). */
    private volatile RoutingTable<Interface> routes;
    /** Counts every change of addresses or routes, for the channels' cached source choices; read without the lock. */
    private volatile int routeVersion;

    private int nextEphemeral = FIRST_EPHEMERAL_PORT;

    private static final class Binding {
        DatagramEndpoint wildcard;
        final List<InetAddress> addresses = new ArrayList<>(1);
        final List<DatagramEndpoint> endpoints = new ArrayList<>(1);

        boolean isEmpty() {
            return wildcard == null && endpoints.isEmpty();
        }

        DatagramEndpoint find(InetAddress address) {
            for (int i = 0; i < addresses.size(); i++) {
                if (addresses.get(i).equals(address)) {
                    return endpoints.get(i);
                }
            }
            return wildcard;
        }
    }

    Host(NetworkModel model, String name, List<InetAddress> addresses, List<IpPrefix> prefixes) {
        super(model, name);
        Interface eth0 = new Interface(this, "eth0", 0);
        eth0.addresses.addAll(addresses);
        eth0.prefixes.addAll(prefixes);
        interfaces.add(eth0);
        rebuild();
    }

    /**
     * The addresses this host owns now, on interfaces that are up, in interface order (loopback addresses are owned
     * implicitly).
     */
    public List<InetAddress> addresses() {
        return addresses;
    }

    /** Whether {@code address} is one of this host's own usable addresses or a loopback address. */
    public boolean isLocal(InetAddress address) {
        return addresses.contains(address) || isLoopback(address) || address.isAnyLocalAddress();
    }

    /** The host's interfaces, in creation order ({@code eth0} first). */
    public List<Interface> interfaces() {
        return model.locked(() -> Collections.unmodifiableList(new ArrayList<>(interfaces)));
    }

    /** The interface named {@code name}. */
    public Interface iface(String name) {
        return model.locked(() -> {
            for (Interface i : interfaces) {
                if (i.name.equals(name)) {
                    return i;
                }
            }
            throw new IllegalArgumentException("host " + this.name + " has no interface named '" + name + "'");
        });
    }

    /**
     * Adds an interface named {@code name} with {@code addresses}, each an address with its subnet
     * ({@code "192.168.1.10/24"}, {@code "2001:db8::10/64"}) or a bare address (a /32 or /128 of its own). Plug it
     * with {@code net.newWire(iface, router)} or {@code someSwitch.plug(iface)}; give it a default route with
     * {@link Interface#gateway(String)}. Routes through it have metric {@code metric} (Linux's defaults: 100 for
     * Ethernet, 600 for Wi-Fi; lowest wins).
     *
     * @throws IllegalArgumentException if the name is taken on this host, or an address is malformed, already
     *         owned, or its subnet overlaps another subnet of this host
     */
    public Interface newInterface(String name, int metric, String... addresses) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(addresses, "addresses");
        model.checkOpen("add interface " + name + " to host " + this.name);
        return model.locked(() -> {
            for (Interface i : interfaces) {
                if (i.name.equals(name)) {
                    if (i.addresses.isEmpty() && i.port == null && i.gateway == null) {
                        // The empty eth0 of a host made without addresses: this call configures it.
                        model.assign(this, i, addresses);
                        i.metric = metric;
                        rebuild();
                        model.topologyChanged(this, null);
                        return i;
                    }
                    throw new IllegalArgumentException(
                            "host " + this.name + " already has an interface named '" + name + "'");
                }
            }
            Interface i = new Interface(this, name, metric);
            model.assign(this, i, addresses);
            interfaces.add(i);
            rebuild();
            model.topologyChanged(this, null);
            return i;
        });
    }

    /** As {@link #newInterface(String, int, String...)} with metric 0. */
    public Interface newInterface(String name, String... addresses) {
        return newInterface(name, 0, addresses);
    }

    /** Sets the default route of this host through the interface whose subnet holds {@code gateway}. */
    public Host defaultGateway(String gateway) {
        InetAddress g = IpPrefix.parseAddress(gateway, "gateway");
        model.locked(() -> {
            for (Interface i : interfaces) {
                for (IpPrefix p : i.prefixes) {
                    if (p != null && p.contains(g)) {
                        i.gateway(gateway);
                        return;
                    }
                }
            }
            throw new IllegalArgumentException("gateway " + gateway + " is on no subnet of host " + name);
        });
        return this;
    }

    /** The route version: changes whenever addresses or routes do. */
    public int routeVersion() {
        return routeVersion;
    }

    /**
     * The source endpoint of a datagram to {@code destination} from a socket bound to {@code local}, as the kernel
     * chooses it: the bound address, or for a wildcard bind the address of the interface the route leaves by.
     *
     * @throws SocketException {@code Network is unreachable} when no route leads to {@code destination}
     * @throws BindException {@code Cannot assign requested address} when the bound address is no longer usable
     */
    public InetSocketAddress source(InetSocketAddress local, InetAddress destination) throws IOException {
        InetAddress bound = local.getAddress();
        if (routes == null && !bound.isAnyLocalAddress() && addresses.contains(bound)) {
            // The simple form, bound to a usable address: the source is the bound one, whatever the destination
            // (a server answering many peers asks once per datagram; no lock for it).
            return local;
        }
        return model.locked(() -> sourceLocked(local, destination));
    }

    private InetSocketAddress sourceLocked(InetSocketAddress local, InetAddress destination) throws IOException {
        InetAddress bound = local.getAddress();
        boolean wildcard = bound.isAnyLocalAddress();
        if (!wildcard && !isLocal(bound)) {
            throw new BindException("Cannot assign requested address: " + bound.getHostAddress()
                    + " is no longer an address of host " + name + " (its interface is down)");
        }
        if (isLocal(destination)) {
            return wildcard
                    ? new InetSocketAddress(
                            destination.isAnyLocalAddress() ? loopbackFor(destination) : destination, local.getPort())
                    : local;
        }
        Interface out = routeFor(destination);
        if (out == null) {
            throw new SocketException(
                    "Network is unreachable: host " + name + " has no route to " + destination.getHostAddress());
        }
        if (!wildcard) {
            return local;
        }
        InetAddress src = chooseSource(out, destination);
        if (src == null) {
            throw new SocketException("Network is unreachable: host " + name + " has no "
                    + (destination instanceof Inet6Address ? "IPv6" : "IPv4") + " address to send to "
                    + destination.getHostAddress() + " from");
        }
        return new InetSocketAddress(src, local.getPort());
    }

    /**
     * Checks that a datagram of {@code payload} bytes to {@code destination} that must not be fragmented fits the
     * MTU of the link it leaves by (payload plus 28 bytes of IPv4 and UDP headers, 48 for IPv6), as Linux's
     * {@code sendto} checks it for a socket with {@code IP_PMTUDISC_DO}.
     *
     * @throws SocketException {@code Message too long} (Linux's {@code EMSGSIZE}) naming the size and the MTU
     */
    public void checkFits(InetAddress destination, int payload) throws SocketException {
        int mtu = model.locked(() -> {
            if (isLocal(destination)) {
                return 0;
            }
            Interface out = routeFor(destination);
            Port p = out == null ? null : out.port;
            return p == null || p.out == null ? 0 : p.out.config().mtu();
        });
        int ip = payload + (destination instanceof Inet6Address ? 48 : 28);
        if (mtu > 0 && ip > mtu) {
            throw new SocketException("Message too long: a " + ip + " B IP packet (" + payload
                    + " B of payload) with don't-fragment exceeds the MTU of " + mtu + " B of host " + name
                    + "'s link to " + destination.getHostAddress());
        }
    }

    private static InetAddress loopbackFor(InetAddress a) {
        return a instanceof Inet4Address ? NetUtil.LOCALHOST4 : NetUtil.LOCALHOST6;
    }

    /**
     * The interface a datagram to {@code destination} leaves by: the routing table's answer, or, while the host has
     * no routes (its simple form), its first interface that is up and plugged; null when there is none.
     */
    private Interface routeFor(InetAddress destination) {
        if (routes == null) {
            for (Interface i : interfaces) {
                if (i.up && i.port != null) {
                    return i;
                }
            }
            return interfaces.get(0).up ? interfaces.get(0) : null;
        }
        return routes.lookup(destination);
    }

    /**
     * The source address for {@code destination} leaving by {@code out}: for IPv4 the first address of {@code out}
     * whose subnet holds the destination or the gateway, else its first IPv4 address, else the host's; for IPv6 the
     * address RFC 6724 selects among all the host's usable IPv6 addresses.
     */
    private InetAddress chooseSource(Interface out, InetAddress destination) {
        boolean v6 = destination instanceof Inet6Address;
        if (v6) {
            List<SourceCandidate> candidates = new ArrayList<>();
            for (Interface i : interfaces) {
                if (!i.up) {
                    continue;
                }
                for (int k = 0; k < i.addresses.size(); k++) {
                    InetAddress a = i.addresses.get(k);
                    if (a instanceof Inet6Address) {
                        IpPrefix p = i.prefixes.get(k);
                        candidates.add(new SourceCandidate(a, p == null ? 128 : p.length(), false, i == out));
                    }
                }
            }
            SourceCandidate c = SourceAddressSelection.select(destination, candidates);
            return c == null ? null : c.address();
        }
        InetAddress first = null;
        for (int k = 0; k < out.addresses.size(); k++) {
            InetAddress a = out.addresses.get(k);
            if (!(a instanceof Inet4Address)) {
                continue;
            }
            IpPrefix p = out.prefixes.get(k);
            if (p != null && (p.contains(destination) || out.gateway != null && p.contains(out.gateway))) {
                return a;
            }
            if (first == null) {
                first = a;
            }
        }
        if (first != null) {
            return first;
        }
        for (InetAddress a : addresses) {
            if (a instanceof Inet4Address) {
                return a;
            }
        }
        return null;
    }

    /** Rebuilds the address list and the routing table from the interfaces; called with the lock held. */
    void rebuild() {
        List<InetAddress> all = new ArrayList<>();
        boolean routed = false;
        for (Interface i : interfaces) {
            if (i.up) {
                all.addAll(i.addresses);
            }
            routed |= i.gateway != null;
            for (IpPrefix p : i.prefixes) {
                routed |= p != null;
            }
        }
        addresses = Collections.unmodifiableList(all);
        if (routed) {
            RoutingTable<Interface> t = new RoutingTable<>();
            for (Interface i : interfaces) {
                if (!i.up) {
                    continue;
                }
                for (int k = 0; k < i.addresses.size(); k++) {
                    IpPrefix p = i.prefixes.get(k);
                    InetAddress a = i.addresses.get(k);
                    t.add(p != null ? p : IpPrefix.containing(a, a.getAddress().length * 8), i, i.metric);
                }
                if (i.gateway != null) {
                    t.add(i.gateway instanceof Inet6Address ? IpPrefix.ANY_IPV6 : IpPrefix.ANY_IPV4, i, i.metric);
                }
            }
            routes = t;
        } else {
            routes = null;
        }
        routeVersion++;
    }

    @Override
    void routesChanged() {
        rebuild();
        model.topologyChanged(this, null);
    }

    @Override
    void interfaceChanged(Interface i, boolean up) {
        if (i.up == up) {
            return;
        }
        i.up = up;
        rebuild();
        model.changed(name, "interface " + i.name + (up ? " up" : " down"), null);
        model.topologyChanged(this, null);
    }

    /**
     * {@link InetAddress#isLoopbackAddress()} without its allocation: for IPv4 the JDK copies the address bytes to
     * read the first one, once per datagram on the send path; an {@link Inet4Address}'s hash code is its address.
     */
    private static boolean isLoopback(InetAddress address) {
        return address instanceof Inet4Address ? address.hashCode() >>> 24 == 127 : address.isLoopbackAddress();
    }

    /** Whether an interface of this host is plugged into a switch or a wire. */
    public boolean isPlugged() {
        return model.locked(() -> {
            for (Interface i : interfaces) {
                if (i.port != null && i.port.peer != null) {
                    return true;
                }
            }
            return false;
        });
    }

    /**
     * Binds {@code endpoint} to {@code requested} on this host (port 0: an ephemeral port) and returns the bound
     * address. Used by the transport's channel.
     *
     * @throws BindException when the address and port are taken, or the address is not this host's
     */
    public InetSocketAddress bind(DatagramEndpoint endpoint, InetSocketAddress requested) throws BindException {
        InetAddress address = requested.getAddress();
        boolean wildcard = address.isAnyLocalAddress();
        if (!wildcard && !isLocal(address)) {
            throw new BindException("Cannot assign requested address: " + address.getHostAddress()
                    + " is not an address of host " + name);
        }
        return model.locked(() -> {
            int p = requested.getPort();
            if (p == 0) {
                p = ephemeralPort(address, wildcard);
            }
            Binding b = bindings.get(p);
            if (b == null) {
                b = new Binding();
                bindings.put(p, b);
            }
            if (b.wildcard != null || wildcard && !b.isEmpty() || b.addresses.contains(address)) {
                throw new BindException(
                        "Address already in use: " + address.getHostAddress() + ":" + p + " on host " + name);
            }
            if (wildcard) {
                b.wildcard = endpoint;
            } else {
                b.addresses.add(address);
                b.endpoints.add(endpoint);
            }
            return new InetSocketAddress(address, p);
        });
    }

    private int ephemeralPort(InetAddress address, boolean wildcard) throws BindException {
        for (int i = 0; i <= 65535 - FIRST_EPHEMERAL_PORT; i++) {
            int p = nextEphemeral;
            nextEphemeral = p == 65535 ? FIRST_EPHEMERAL_PORT : p + 1;
            Binding b = bindings.get(p);
            if (b == null || b.isEmpty()) {
                return p;
            }
        }
        throw new BindException("no ephemeral port left on host " + name + " for " + address.getHostAddress());
    }

    /** Releases the binding of {@code endpoint} at {@code bound}. */
    public void unbind(DatagramEndpoint endpoint, InetSocketAddress bound) {
        model.locked(() -> {
            Binding b = bindings.get(bound.getPort());
            if (b == null) {
                return;
            }
            if (b.wildcard == endpoint) {
                b.wildcard = null;
            } else {
                int i = b.endpoints.indexOf(endpoint);
                if (i >= 0) {
                    b.endpoints.remove(i);
                    b.addresses.remove(i);
                }
            }
            if (b.isEmpty()) {
                bindings.remove(bound.getPort());
            }
        });
    }

    /**
     * Sends a datagram from a channel of this host. Takes ownership of {@code content}. {@code credit} is returned
     * to the channel once the datagram has left the host.
     */
    public void send(InetSocketAddress sender, InetSocketAddress recipient, ByteBuf content, SendCredit credit) {
        send(new Packet(sender, recipient, content, credit));
    }

    /**
     * As {@link #send(InetSocketAddress, InetSocketAddress, ByteBuf, SendCredit)}, with the datagram's ECN codepoint
     * ({@link Packet#ecn()}) and don't-fragment flag ({@link Packet#dontFragment()}).
     */
    public void send(
            InetSocketAddress sender,
            InetSocketAddress recipient,
            ByteBuf content,
            SendCredit credit,
            int ecn,
            boolean dontFragment) {
        Packet p = new Packet(sender, recipient, content, credit);
        try {
            p.ecn(ecn);
        } catch (IllegalArgumentException e) {
            p.release(); // it owns content and credit: a bad codepoint leaks neither
            throw e;
        }
        p.dontFragment(dontFragment);
        send(p);
    }

    /** Sends {@code p}, a datagram made by this host; the per-packet entry, which allocates nothing itself. */
    void send(Packet p) {
        // The lock by hand, not NetworkModel.locked: a lambda capturing p would allocate once per datagram.
        model.simulation().lock().lock();
        try {
            sendFromHere(p);
        } finally {
            model.simulation().lock().unlock();
        }
    }

    @Override
    void receive(Packet p, Port ingress) {
        Interface in = ingress.iface;
        if (in != null && !in.up) {
            drop(p, DropReason.INTERFACE_DOWN);
            return;
        }
        if (!addresses.contains(p.destination().getAddress())) {
            drop(p, DropReason.NO_ROUTE);
            return;
        }
        deliverLocally(p);
    }

    /** Delivers {@code p}, which is for this host, to the socket it is for; counted in already. */
    private void deliverLocally(Packet p) {
        if (p.protocol() == IpProtocol.ICMP) {
            deliverIcmp(p);
            return;
        }
        InetSocketAddress to = p.destination();
        Binding b = bindings.get(to.getPort());
        DatagramEndpoint ep = b == null ? null : b.find(to.getAddress());
        if (ep == null || !ep.accepts(p.source())) {
            Packet icmp = Packet.icmpPortUnreachable(p);
            drop(p, DropReason.PORT_UNREACHABLE);
            sendFromHere(icmp);
            return;
        }
        if (p.icmpType() != null && !p.icmpType().isReported()) {
            // Linux ignores soft ICMP errors on a UDP socket without IP_RECVERR: counted, not reported.
            counter.out(p);
            model.delivered(p);
            p.release();
            return;
        }
        if (!ep.deliver(p)) {
            drop(p, DropReason.RECEIVE_BUFFER_FULL);
            return;
        }
        counter.out(p);
        model.delivered(p);
    }

    /**
     * An ICMP error about a datagram sent from this host: reported to the socket bound at the datagram's source and
     * consumed (counted delivered), or dropped as port unreachable when none is bound there any more (no ICMP error
     * is sent about an ICMP error).
     */
    private void deliverIcmp(Packet icmp) {
        InetSocketAddress from = icmp.quotedSource();
        Binding b = bindings.get(from.getPort());
        DatagramEndpoint ep = b == null ? null : b.find(from.getAddress());
        if (ep == null) {
            drop(icmp, DropReason.PORT_UNREACHABLE);
            return;
        }
        if (icmp.icmpType().isReported()) {
            ep.icmpError(icmp.quotedDestination(), icmp.icmpType());
        }
        counter.out(icmp);
        model.delivered(icmp);
        icmp.release();
    }

    /**
     * Sends a packet this host made (a datagram from a channel, or an ICMP error): counted as sent network-wide and
     * into this host, then delivered locally or out of the interface. Called with the lock held.
     */
    private void sendFromHere(Packet p) {
        model.sent(p);
        counter.in(p);
        InetAddress to = p.destination().getAddress();
        if (isLocal(to)) {
            p.releaseCredit();
            deliverLocally(p);
        } else if (routes == null) {
            Port out = port;
            if (out != null && !out.iface.up) {
                drop(p, DropReason.INTERFACE_DOWN);
                return;
            }
            forward(out, p);
        } else {
            Interface out = routes.lookup(to);
            if (out == null) {
                drop(p, DropReason.NO_ROUTE);
                return;
            }
            if (out.gateway != null && !onLink(out, to)) {
                p.nextHop(out.gateway);
            }
            forward(out.port, p);
        }
    }

    /** Whether {@code to} is inside one of {@code out}'s subnets (reached directly, not through the gateway). */
    private static boolean onLink(Interface out, InetAddress to) {
        for (IpPrefix p : out.prefixes) {
            if (p != null && p.contains(to)) {
                return true;
            }
        }
        return false;
    }

    @Override
    void collectRoutes(Port entered, Port via, Map<InetAddress, Port> into, Set<Node> visited) {
        Interface i = entered.iface;
        if (i != null && i.up) {
            for (InetAddress a : i.addresses) {
                into.putIfAbsent(a, via);
            }
        }
    }

    @Override
    Port newPort() {
        for (Interface i : interfaces) {
            if (i.port == null) {
                return portFor(i);
            }
        }
        throw new IllegalStateException("host " + name + " is already plugged in; every interface of it is ("
                + interfaces.size() + "; add one with newInterface)");
    }

    @Override
    Port portFor(Interface i) {
        if (i.port != null) {
            throw new IllegalStateException("interface " + i + " is already plugged in");
        }
        Port p = new Port(this);
        p.iface = i;
        i.port = p;
        if (i == interfaces.get(0)) {
            port = p;
        }
        routeVersion++;
        return p;
    }

    @Override
    void portUnplugged(Port p) {
        if (p.iface != null && p.iface.port == p) {
            p.iface.port = null;
        }
        if (port == p) {
            port = null;
        }
        routeVersion++;
    }
}
