package io.nettyvirtual.network;

import io.nettyvirtual.network.firewall.Direction;
import io.nettyvirtual.network.firewall.Firewall;
import io.nettyvirtual.network.firewall.FirewallAction;
import io.nettyvirtual.network.firewall.FirewallPolicy;
import io.nettyvirtual.network.firewall.Protocol;
import io.nettyvirtual.network.nat.NatConfig;
import io.nettyvirtual.network.nat.NatCounters;
import io.nettyvirtual.network.nat.NatMapping;
import io.nettyvirtual.network.nat.NatResult;
import io.nettyvirtual.network.nat.NatTable;
import io.nettyvirtual.network.route.IpPrefix;
import io.nettyvirtual.network.route.Route;
import io.nettyvirtual.network.route.RoutingTable;
import io.nettyvirtual.packet.IcmpType;
import io.nettyvirtual.packet.IpProtocol;
import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A router: interfaces in IPv4 and IPv6 subnets, a routing table with longest-prefix match, and optionally a NAT
 * and a stateful firewall on the interface that faces the outside, as a home router or a carrier's gateway has
 * them. Built in a few lines:
 *
 * <pre>{@code
 * Router home = net.newRouter("home");
 * Interface lan = home.newInterface("lan", "192.168.1.1/24");
 * Interface wan = home.newInterface("wan", "203.0.113.2/30");
 * home.defaultRoute("203.0.113.1").nat(wan, NatConfig.portRestrictedCone().build());
 * }</pre>
 *
 * <p>Forwarding, per datagram, in this order: a datagram that reaches a down interface is dropped
 * ({@link DropReason#INTERFACE_DOWN}); one arriving on the NAT's outside interface for the NAT's external address
 * is translated back (or dropped for the NAT's refusal); one for the router's own address is answered with ICMP
 * port unreachable; its TTL is decremented (at 1 it is dropped as {@link DropReason#TTL_EXPIRED} and an ICMP
 * time-exceeded goes back, so a routing loop ends after at most 255 hops); the route is looked up (none: dropped
 * as {@link DropReason#NO_ROUTE} with an ICMP net-unreachable back); the firewall decides if the datagram crosses
 * its outside interface; the NAT rewrites the source of a datagram leaving by its outside interface (or hairpins
 * one sent to its own external address); and the datagram goes out with its next hop set to the route's gateway.
 * Forwarding takes no virtual time: delay is the wires'.
 *
 * <p>Routes: every subnet of an interface that is up is a connected route; {@link #route} adds one through a
 * gateway (resolved to the interface whose subnet holds it) or out of an interface. A route whose interface is
 * down is out of the table until the interface comes back up.
 */
public final class Router extends Node {
    private final List<Interface> interfaces = new ArrayList<>(2);
    /** Routes given with {@link #route}, in order: rebuilt into {@link #table} with the connected ones. */
    private final List<Static> statics = new ArrayList<>();

    private RoutingTable<Hop> table = new RoutingTable<>();
    private Interface natOutside;
    private NatTable nat;
    private Interface firewallOutside;
    private Firewall firewall;

    /** A route as given: to {@code prefix} through {@code gateway} (or straight out of {@code out}). */
    private record Static(IpPrefix prefix, InetAddress gateway, Interface out, int metric) {}

    /** Where a route leads: out of an interface, to a gateway on its link or (null) to the destination itself. */
    private record Hop(Interface out, InetAddress gateway) {}

    Router(NetworkModel model, String name) {
        super(model, name);
    }

    /**
     * Adds an interface named {@code name} with {@code addresses}, each an address with its subnet
     * ({@code "192.168.1.1/24"}) or bare; each subnet becomes a connected route. Plug it with
     * {@code net.newWire(iface, other)} or {@code someSwitch.plug(iface)}.
     *
     * @throws IllegalArgumentException if the name is taken here, or an address is malformed, owned already, or its
     *         subnet overlaps another subnet in use
     */
    public Interface newInterface(String name, String... addresses) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(addresses, "addresses");
        model.checkOpen("add interface " + name + " to router " + this.name);
        return model.locked(() -> {
            for (Interface i : interfaces) {
                if (i.name.equals(name)) {
                    throw new IllegalArgumentException(
                            "router " + this.name + " already has an interface named '" + name + "'");
                }
            }
            Interface i = new Interface(this, name, 0);
            model.assign(this, i, addresses);
            interfaces.add(i);
            rebuild();
            return i;
        });
    }

    /** The router's interfaces, in creation order. */
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
            throw new IllegalArgumentException("router " + this.name + " has no interface named '" + name + "'");
        });
    }

    /**
     * Routes {@code cidr} ({@code "10.0.0.0/8"}, {@code "0.0.0.0/0"}) through {@code gateway}, an address on the
     * subnet of one of this router's interfaces, with metric 0.
     *
     * @throws IllegalArgumentException if the prefix or gateway is malformed, of different families, or the
     *         gateway is on no subnet of this router (a route to nowhere)
     */
    public Router route(String cidr, String gateway) {
        return route(cidr, gateway, 0);
    }

    /** As {@link #route(String, String)} with {@code metric} (lowest wins among routes of one prefix). */
    public Router route(String cidr, String gateway, int metric) {
        IpPrefix p = IpPrefix.parse(cidr);
        InetAddress g = IpPrefix.parseAddress(gateway, "gateway");
        if ((g instanceof Inet6Address) != p.isIpv6()) {
            throw new IllegalArgumentException("gateway " + gateway + " is not of the family of route " + cidr);
        }
        checkMetric(metric);
        model.locked(() -> {
            if (interfaceFor(g, false) == null) {
                throw new IllegalArgumentException("route " + cidr + " via " + gateway + " leads nowhere: " + gateway
                        + " is on no subnet of router " + name);
            }
            statics.add(new Static(p, g, null, metric));
            rebuild();
        });
        return this;
    }

    /** Routes {@code cidr} straight out of {@code out} (its destinations are on that link), with metric 0. */
    public Router route(String cidr, Interface out) {
        IpPrefix p = IpPrefix.parse(cidr);
        Objects.requireNonNull(out, "out");
        if (out.owner != this) {
            throw new IllegalArgumentException("interface " + out + " is not one of router " + name + "'s");
        }
        model.locked(() -> {
            statics.add(new Static(p, null, out, 0));
            rebuild();
        });
        return this;
    }

    /** The default route (IPv4 or IPv6 by the gateway's family) through {@code gateway}. */
    public Router defaultRoute(String gateway) {
        InetAddress g = IpPrefix.parseAddress(gateway, "gateway");
        return route(g instanceof Inet6Address ? "::/0" : "0.0.0.0/0", gateway);
    }

    /** The routes in force (connected and given, of interfaces that are up), most specific first. */
    public List<String> routes() {
        return model.locked(() -> {
            List<String> out = new ArrayList<>();
            for (Route<Hop> r : table.routes()) {
                Hop h = r.target();
                out.add(r.prefix() + (h.gateway == null ? "" : " via " + h.gateway.getHostAddress()) + " dev "
                        + h.out.name + (r.metric() == 0 ? "" : " metric " + r.metric()));
            }
            return Collections.unmodifiableList(out);
        });
    }

    /**
     * Translates addresses on {@code outside}: datagrams leaving by it get an external source endpoint from
     * {@code config}'s mapping, datagrams arriving on it for an external address are translated back or dropped
     * by its filtering. The external addresses are {@code config}'s, or the outside interface's first address when
     * the config gives none; the router answers for them on the outside link.
     *
     * @throws IllegalArgumentException if {@code outside} is not this router's, or an external address of the
     *         config is owned by another node
     * @throws IllegalStateException if this router already has a NAT
     */
    public Router nat(Interface outside, NatConfig config) {
        Objects.requireNonNull(outside, "outside");
        Objects.requireNonNull(config, "config");
        if (outside.owner != this) {
            throw new IllegalArgumentException("interface " + outside + " is not one of router " + name + "'s");
        }
        model.locked(() -> {
            if (nat != null) {
                throw new IllegalStateException("router " + name + " already has a NAT on " + natOutside);
            }
            NatConfig c = config;
            if (c.externalAddresses().isEmpty()) {
                if (outside.addresses.isEmpty()) {
                    throw new IllegalArgumentException(
                            "NAT on " + outside + ": the config gives no external address and the interface has none");
                }
                c = c.toBuilder().externalAddresses(outside.addresses.get(0)).build();
            }
            for (InetAddress a : c.externalAddresses()) {
                if (!outside.addresses.contains(a)) {
                    model.claim(this, a);
                }
            }
            nat = new NatTable(c, model.simulation().random().split());
            natOutside = outside;
            model.topologyChanged(this, null);
        });
        return this;
    }

    /** The NAT's counts (mappings created, expired, active; refusals by reason), exact at the current instant. */
    public NatCounters natCounters() {
        return model.locked(() -> {
            NatTable t = requireNat();
            t.expire(model.simulation().nanoTime());
            return t.counters();
        });
    }

    /** The NAT's live mappings, next to expire first. */
    public List<NatMapping> natMappings() {
        return model.locked(() -> {
            NatTable t = requireNat();
            t.expire(model.simulation().nanoTime());
            return t.mappings();
        });
    }

    /** Drops every NAT mapping at once, as a rebooting NAT: nothing gets in until new traffic goes out. */
    public Router rebootNat() {
        model.locked(() -> requireNat().reboot());
        return this;
    }

    /**
     * Moves the mappings of {@code internal} to a new external port mid-flow (a NAT rebinding, as QUIC's path
     * validation must survive) and returns how many moved.
     */
    public int rebindNat(InetSocketAddress internal) {
        return model.locked(
                () -> requireNat().rebind(internal, model.simulation().nanoTime()));
    }

    private NatTable requireNat() {
        if (nat == null) {
            throw new IllegalStateException("router " + name + " has no NAT");
        }
        return nat;
    }

    /**
     * Filters datagrams that cross {@code outside}: those arriving on it are inbound, those leaving by it outbound,
     * by {@code policy}'s rules and its UDP connection tracking. With a NAT on the same interface the firewall sees
     * the inside addresses (it filters before the NAT's source rewrite and after its translation back, as Linux's
     * filter table does).
     *
     * @throws IllegalStateException if this router already has a firewall
     */
    public Router firewall(Interface outside, FirewallPolicy policy) {
        Objects.requireNonNull(outside, "outside");
        Objects.requireNonNull(policy, "policy");
        if (outside.owner != this) {
            throw new IllegalArgumentException("interface " + outside + " is not one of router " + name + "'s");
        }
        model.locked(() -> {
            if (firewall != null) {
                throw new IllegalStateException("router " + name + " already has a firewall on " + firewallOutside);
            }
            firewall = new Firewall(policy);
            firewallOutside = outside;
        });
        return this;
    }

    /** The firewall, for its counts and tracked flows; null if this router has none. */
    public Firewall firewall() {
        return model.locked(() -> firewall);
    }

    @Override
    void receive(Packet p, Port ingress) {
        Interface in = ingress.iface;
        if (!in.up) {
            drop(p, DropReason.INTERFACE_DOWN);
            return;
        }
        long now = model.simulation().nanoTime();
        NatTable t = nat;
        if (t != null && in == natOutside && t.isExternalAddress(p.destination().getAddress())) {
            if (!translateInbound(t, p, now)) {
                return;
            }
        }
        InetAddress dst = p.destination().getAddress();
        // The NAT's external address is usually the outside interface's own: from inside, a datagram to it is
        // for a mapping (hairpinning, below), not for the router.
        boolean hairpin = t != null && in != natOutside && p.protocol() == IpProtocol.UDP && t.isExternalAddress(dst);
        if (!hairpin && owns(dst)) {
            answerLocally(p, in);
            return;
        }
        int ttl = p.ttl();
        if (ttl <= 1) {
            reply(p, IcmpType.TIME_EXCEEDED, in);
            drop(p, DropReason.TTL_EXPIRED);
            return;
        }
        p.ttl(ttl - 1);
        Hop hop = table.lookup(dst);
        if (hop == null) {
            reply(p, IcmpType.NET_UNREACHABLE, in);
            drop(p, DropReason.NO_ROUTE);
            return;
        }
        Firewall fw = firewall;
        if (fw != null && (in == firewallOutside) != (hop.out == firewallOutside) && !filter(fw, p, in, now)) {
            return;
        }
        if (t != null && in != natOutside) {
            if (t.isExternalAddress(dst)) {
                hairpin(t, p, in, now);
                return;
            }
            if (hop.out == natOutside && !translateOutbound(t, p, now)) {
                return;
            }
        }
        send(p, hop);
    }

    private void send(Packet p, Hop hop) {
        p.nextHop(hop.gateway);
        forward(hop.out.port, p);
    }

    /** Un-NATs {@code p}, which arrived on the outside for an external address; false if it was dropped. */
    private boolean translateInbound(NatTable t, Packet p, long now) {
        if (p.protocol() == IpProtocol.ICMP) {
            // An error about a datagram we translated: it quotes our external endpoint as its source.
            NatResult r = t.inbound(p.quotedSource(), p.quotedDestination(), now);
            if (!r.isTranslated()) {
                drop(p, reasonOf(r));
                return false;
            }
            p.destination(new InetSocketAddress(r.endpoint().getAddress(), 0));
            p.quoted(r.endpoint(), p.quotedDestination());
            p.nextHop(null);
            return true;
        }
        NatResult r = t.inbound(p.destination(), p.source(), now);
        if (!r.isTranslated()) {
            drop(p, reasonOf(r));
            return false;
        }
        p.destination(r.endpoint());
        p.nextHop(null);
        return true;
    }

    /** NATs the source of {@code p}, leaving by the outside interface; false if it was dropped. */
    private boolean translateOutbound(NatTable t, Packet p, long now) {
        if (p.protocol() == IpProtocol.ICMP) {
            // An inside host's error about a datagram that came in through a mapping: show the mapping outside.
            NatResult r = t.outbound(p.quotedDestination(), p.quotedSource(), now);
            if (!r.isTranslated()) {
                drop(p, reasonOf(r));
                return false;
            }
            p.source(new InetSocketAddress(r.endpoint().getAddress(), 0));
            p.quoted(p.quotedSource(), r.endpoint());
            return true;
        }
        NatResult r = t.outbound(p.source(), p.destination(), now);
        if (!r.isTranslated()) {
            drop(p, reasonOf(r));
            return false;
        }
        p.source(r.endpoint());
        return true;
    }

    /**
     * A datagram from inside to the NAT's own external address (RFC 4787 REQ-9): its source becomes its external
     * endpoint, its destination the internal endpoint behind the mapping it was sent to, and it goes back inside.
     */
    private void hairpin(NatTable t, Packet p, Interface in, long now) {
        if (p.protocol() == IpProtocol.ICMP) {
            drop(p, DropReason.NO_ROUTE);
            return;
        }
        NatResult out = t.outbound(p.source(), p.destination(), now);
        if (!out.isTranslated()) {
            drop(p, reasonOf(out));
            return;
        }
        InetSocketAddress external = out.endpoint();
        NatResult back = t.inbound(p.destination(), external, now);
        if (!back.isTranslated()) {
            drop(p, reasonOf(back));
            return;
        }
        p.source(external);
        p.destination(back.endpoint());
        Hop hop = table.lookup(back.endpoint().getAddress());
        if (hop == null) {
            drop(p, DropReason.NO_ROUTE);
            return;
        }
        send(p, hop);
    }

    /** Whether the firewall lets {@code p} cross; if not, it is dropped (and, if rejected, answered). */
    private boolean filter(Firewall fw, Packet p, Interface in, long now) {
        Direction d = in == firewallOutside ? Direction.INBOUND : Direction.OUTBOUND;
        if (p.protocol() == IpProtocol.ICMP) {
            // conntrack's RELATED: an error about a tracked flow passes with it.
            fw.tracker().expire(now);
            if (fw.tracker().expiryOf(p.quotedSource(), p.quotedDestination()) != Long.MAX_VALUE) {
                return true;
            }
        }
        Protocol proto = p.protocol() == IpProtocol.ICMP ? Protocol.ICMP : Protocol.UDP;
        FirewallAction a = fw.filter(d, proto, p.source(), p.destination(), now);
        switch (a) {
            case ALLOW:
                return true;
            case REJECT:
                reply(p, IcmpType.PORT_UNREACHABLE, in);
                drop(p, DropReason.FIREWALL_REJECTED);
                return false;
            default:
                drop(p, DropReason.FIREWALL_DROPPED);
                return false;
        }
    }

    private static DropReason reasonOf(NatResult r) {
        switch (r.refusal()) {
            case FILTERED:
                return DropReason.NAT_FILTERED;
            case PORTS_EXHAUSTED:
                return DropReason.NAT_PORTS_EXHAUSTED;
            case HAIRPINNING_DISABLED:
                return DropReason.NAT_HAIRPINNING_DISABLED;
            default:
                return DropReason.NAT_NO_MAPPING;
        }
    }

    /** A datagram for one of the router's own addresses: no socket listens on a router. */
    private void answerLocally(Packet p, Interface in) {
        if (p.protocol() == IpProtocol.ICMP) {
            counter.out(p); // an error about a datagram the router sent: consumed here
            model.delivered(p);
            p.release();
            return;
        }
        reply(p, IcmpType.PORT_UNREACHABLE, in);
        drop(p, DropReason.PORT_UNREACHABLE);
    }

    /**
     * Sends the ICMP error {@code type} about {@code p} back to its source, from the address of the interface it
     * arrived on, routed like any datagram this router makes. None is sent about an ICMP error.
     */
    private void reply(Packet p, IcmpType type, Interface in) {
        if (p.protocol() != IpProtocol.UDP) {
            return;
        }
        InetAddress from = sourceFor(in, p.source().getAddress());
        if (from == null) {
            return;
        }
        Packet icmp = Packet.icmpError(p, type, from);
        model.sent(icmp);
        counter.in(icmp);
        Hop hop = table.lookup(icmp.destination().getAddress());
        if (hop == null) {
            drop(icmp, DropReason.NO_ROUTE);
            return;
        }
        send(icmp, hop);
    }

    /** An address of {@code in} of {@code to}'s family, else any of this router's; null if it has none. */
    private InetAddress sourceFor(Interface in, InetAddress to) {
        for (InetAddress a : in.addresses) {
            if (a.getClass() == to.getClass()) {
                return a;
            }
        }
        for (Interface i : interfaces) {
            for (InetAddress a : i.addresses) {
                if (i.up && a.getClass() == to.getClass()) {
                    return a;
                }
            }
        }
        return null;
    }

    private boolean owns(InetAddress a) {
        for (int k = 0; k < interfaces.size(); k++) {
            if (interfaces.get(k).owns(a)) {
                return true;
            }
        }
        return false;
    }

    /** The interface whose subnet holds {@code a} (up ones only when {@code upOnly}), or null. */
    private Interface interfaceFor(InetAddress a, boolean upOnly) {
        for (Interface i : interfaces) {
            if ((!upOnly || i.up) && i.onSubnet(a)) {
                return i;
            }
        }
        return null;
    }

    /** Rebuilds the table from the interfaces that are up and the routes given; with the lock held. */
    private void rebuild() {
        RoutingTable<Hop> t = new RoutingTable<>();
        for (Interface i : interfaces) {
            if (!i.up) {
                continue;
            }
            for (int k = 0; k < i.addresses.size(); k++) {
                IpPrefix p = i.prefixes.get(k);
                if (p != null) {
                    t.add(p, new Hop(i, null), i.metric);
                }
            }
        }
        for (Static s : statics) {
            if (s.out != null) {
                if (s.out.up) {
                    t.add(s.prefix, new Hop(s.out, null), s.metric);
                }
                continue;
            }
            Interface via = interfaceFor(s.gateway, true);
            if (via != null) {
                t.add(s.prefix, new Hop(via, s.gateway), s.metric);
            }
        }
        table = t;
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

    @Override
    void collectRoutes(Port entered, Port via, Map<InetAddress, Port> into, Set<Node> visited) {
        Interface i = entered.iface;
        if (i == null || !i.up) {
            return;
        }
        for (InetAddress a : i.addresses) {
            into.putIfAbsent(a, via);
        }
        if (i == natOutside) {
            for (InetAddress a : nat.config().externalAddresses()) {
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
        throw new IllegalStateException("every interface of router " + name + " is plugged in already ("
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
        return p;
    }

    @Override
    void portUnplugged(Port p) {
        if (p.iface != null && p.iface.port == p) {
            p.iface.port = null;
        }
    }

    private static void checkMetric(int metric) {
        if (metric < 0) {
            throw new IllegalArgumentException("metric: " + metric + " (expected 0 or more)");
        }
    }
}
