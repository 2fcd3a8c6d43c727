package io.nettyvirtual.network;

import io.netty.channel.Channel;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.channel.VirtualEventLoopGroup;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.network.nat.NatConfig;
import io.nettyvirtual.network.route.IpPrefix;
import io.nettyvirtual.testing.Nets;
import io.nettyvirtual.testing.Recorder;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The topology the NAT, firewall and traversal tests share, built from real routers, hosts and channels: a public
 * switch ("internet", 203.0.113.0/24) with servers 1 ms away from it, and homes whose router's WAN interface is 10 ms
 * away from it and whose hosts are 5 ms away from their router's LAN interface. So a datagram from a home host to a
 * server takes 16 ms, and one between hosts of two homes 30 ms.
 */
final class NatLab implements AutoCloseable {
    static final long MS = 1_000_000L;
    static final String PUBLIC = "/24";
    static final LinkConfig SERVER_LINK = LinkConfig.delayed(Duration.ofMillis(1));
    static final LinkConfig WAN_LINK = LinkConfig.delayed(Duration.ofMillis(10));
    static final LinkConfig LAN_LINK = LinkConfig.delayed(Duration.ofMillis(5));

    final VirtualNetwork net;
    final VirtualEventLoopGroup group;
    final Switch internet;

    NatLab(long seed) {
        net = VirtualNetwork.create(seed);
        group = new VirtualEventLoopGroup(net);
        internet = net.newSwitch("internet");
    }

    /** A host with {@code ip} on the public subnet, wired to the public switch. */
    Host server(String name, String ip) {
        Host h = net.newHost(name, ip + PUBLIC);
        net.newWire(h, internet, SERVER_LINK);
        return h;
    }

    /** A home: a router with its WAN at {@code wan} on the public switch and a LAN switch for {@code lanCidr}. */
    Home home(String name, String wan, String lanCidr, NatConfig.Builder nat) {
        Router r = net.newRouter(name);
        Interface w = r.newInterface("wan", wan + PUBLIC);
        net.newWire(w, internet, WAN_LINK);
        return lan(r, w, lanCidr, nat);
    }

    /** A home whose WAN is {@code wan} (an address with its subnet) behind {@code gateway}, wired to {@code up}. */
    Home homeBehind(String name, String wan, String gateway, Pluggable up, String lanCidr, NatConfig.Builder nat) {
        Router r = net.newRouter(name);
        Interface w = r.newInterface("wan", wan);
        r.defaultRoute(gateway);
        net.newWire(w, up, WAN_LINK);
        return lan(r, w, lanCidr, nat);
    }

    private Home lan(Router r, Interface wan, String lanCidr, NatConfig.Builder nat) {
        IpPrefix p = IpPrefix.parse(lanCidr);
        Interface lan = r.newInterface("lan", firstHost(p) + "/" + p.length());
        Switch sw = net.newSwitch(r.name() + "-lan");
        sw.plug(lan);
        if (nat != null) {
            // NatConfig.Builder.build() insists on an external address, so the WAN's is given here (Router.nat
            // would fill it in from the interface for a config without one, but no such config can be built).
            r.nat(wan, nat.externalAddresses(wan.address()).build());
        }
        return new Home(r, wan, lan, sw, firstHost(p));
    }

    /** The first host address of {@code p} (x.y.z.1 for a /24), the router's LAN address. */
    static String firstHost(IpPrefix p) {
        byte[] b = p.network().getAddress();
        b[b.length - 1] |= 1;
        try {
            return java.net.InetAddress.getByAddress(b).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** One home: its router, interfaces and LAN switch. */
    final class Home {
        final Router router;
        final Interface wan;
        final Interface lan;
        final Switch lanSwitch;
        final String gateway;

        Home(Router router, Interface wan, Interface lan, Switch lanSwitch, String gateway) {
            this.router = router;
            this.wan = wan;
            this.lan = lan;
            this.lanSwitch = lanSwitch;
            this.gateway = gateway;
        }

        /** A host at {@code ip} on this home's LAN, 5 ms from the router. */
        Host host(String name, String ip) {
            Host h = net.newHost(name, ip + "/" + lan.subnets().get(0).length()).defaultGateway(gateway);
            net.newWire(h, lanSwitch, LAN_LINK);
            return h;
        }

        /** The NAT's external address (the WAN interface's). */
        String external() {
            return wan.address().getHostAddress();
        }
    }

    /** A channel bound at {@code ip}:{@code port} that records what it reads. */
    Peer bind(String ip, int port) {
        Recorder r = new Recorder(net.clock());
        Channel ch = Nets.bind(net, group, Nets.addr(ip, port), r);
        return new Peer(ch, r);
    }

    /** A bound channel and what it read. */
    static final class Peer {
        final Channel channel;
        final Recorder recorder;

        Peer(Channel channel, Recorder recorder) {
            this.channel = channel;
            this.recorder = recorder;
        }

        InetSocketAddress local() {
            return (InetSocketAddress) channel.localAddress();
        }

        void send(String text, InetSocketAddress to) {
            channel.writeAndFlush(Nets.text(text, to));
        }

        void send(String text, String ip, int port) {
            send(text, Nets.addr(ip, port));
        }

        /** The sender of the last datagram read. */
        InetSocketAddress lastSender() {
            return recorder.last().sender;
        }
    }

    /** Runs the simulation until the virtual clock reads {@code nanos}. */
    void runTo(long nanos) {
        long now = net.clock().nanoTime();
        if (nanos < now) {
            throw new IllegalArgumentException("virtual time " + nanos + " ns is past; now " + now + " ns");
        }
        net.runFor(java.time.Duration.ofNanos(nanos - now));
    }

    @Override
    public void close() {
        net.close();
    }
}
