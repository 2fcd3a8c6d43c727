package io.nettyvirtual.network;

import io.netty.buffer.ByteBuf;
import io.netty.util.collection.IntObjectHashMap;
import io.nettyvirtual.packet.IpProtocol;
import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.packet.SendCredit;
import io.nettyvirtual.stats.DropReason;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A machine on the network: it owns addresses, channels bind to them, and it has one network interface that a
 * switch or a wire plugs into. Datagrams to the host's own addresses or to a loopback address are delivered
 * locally without touching the network. Wildcard binds ({@code 0.0.0.0}, {@code ::}) on the network's default host
 * receive datagrams for every address of that host. A datagram that finds no socket here makes the host send an
 * ICMP port-unreachable packet back to its source, through the network like any packet; an ICMP error that
 * arrives is reported to the socket bound at the source of the datagram it quotes.
 */
public final class Host extends Node {
    /** First port handed out for binds to port 0. */
    public static final int FIRST_EPHEMERAL_PORT = 49152;

    private final List<InetAddress> addresses;
    private final IntObjectHashMap<Binding> bindings = new IntObjectHashMap<>();
    private Port port;
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

    Host(NetworkModel model, String name, List<InetAddress> addresses) {
        super(model, name);
        this.addresses = Collections.unmodifiableList(new ArrayList<>(addresses));
    }

    /** The addresses this host owns (loopback addresses are owned implicitly). */
    public List<InetAddress> addresses() {
        return addresses;
    }

    /** Whether {@code address} is one of this host's own addresses or a loopback address. */
    public boolean isLocal(InetAddress address) {
        return addresses.contains(address) || isLoopback(address) || address.isAnyLocalAddress();
    }

    /**
     * {@link InetAddress#isLoopbackAddress()} without its allocation: for IPv4 the JDK copies the address bytes to
     * read the first one, once per datagram on the send path; an {@link Inet4Address}'s hash code is its address.
     */
    private static boolean isLoopback(InetAddress address) {
        return address instanceof Inet4Address ? address.hashCode() >>> 24 == 127 : address.isLoopbackAddress();
    }

    /** Whether this host's interface is plugged into a switch or a wire. */
    public boolean isPlugged() {
        return model.locked(() -> port != null && port.peer != null);
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
        ep.portUnreachable(icmp.quotedDestination());
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
        if (isLocal(p.destination().getAddress())) {
            p.releaseCredit();
            deliverLocally(p);
        } else {
            forward(port, p);
        }
    }

    @Override
    void collectRoutes(Port via, Map<InetAddress, Port> into, Set<Node> visited) {
        if (visited.add(this)) {
            for (InetAddress a : addresses) {
                into.putIfAbsent(a, via);
            }
        }
    }

    @Override
    Port newPort() {
        if (port != null) {
            throw new IllegalStateException("host " + name + " is already plugged in; a host has one interface");
        }
        port = new Port(this);
        return port;
    }

    @Override
    void portUnplugged(Port p) {
        if (port == p) {
            port = null;
        }
    }
}
