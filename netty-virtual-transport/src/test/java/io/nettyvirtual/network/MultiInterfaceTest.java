package io.nettyvirtual.network;

import static io.nettyvirtual.testing.Nets.addr;
import static io.nettyvirtual.testing.Nets.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.channel.VirtualEventLoopGroup;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.testing.Nets;
import io.nettyvirtual.testing.Recorder;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A host with Wi-Fi and cellular at once: the default route with the lowest metric carries a wildcard-bound
 * socket's traffic, with that interface's address as source; when Wi-Fi goes down traffic moves to cellular, and a
 * socket bound to the Wi-Fi address gets the error Linux gives.
 */
class MultiInterfaceTest {
    private static final long MS = 1_000_000L;
    private static final InetSocketAddress SERVER = addr("203.0.113.10", 443);

    /** phone (wlan0 metric 600 via the home router, 10 ms; rmnet0 metric 1000 via the carrier, 40 ms) to server. */
    private static final class Phone {
        final Host phone;
        final Interface wifi;
        final Interface cell;
        final Router home;
        final Router carrier;

        Phone(VirtualNetwork net) {
            phone = net.newHost("phone");
            wifi = phone.newInterface("wlan0", 600, "192.168.1.20/24").gateway("192.168.1.1");
            cell = phone.newInterface("rmnet0", 1000, "10.64.0.5/24").gateway("10.64.0.1");
            home = net.newRouter("home");
            carrier = net.newRouter("carrier");
            net.newWire(wifi, home.newInterface("lan", "192.168.1.1/24"), LinkConfig.delayed(Duration.ofMillis(5)));
            net.newWire(cell, carrier.newInterface("ran", "10.64.0.1/24"), LinkConfig.delayed(Duration.ofMillis(35)));
            Switch internet = net.newSwitch("internet");
            internet.plug(home.newInterface("wan", "203.0.113.2/24"));
            internet.plug(carrier.newInterface("wan", "203.0.113.3/24"));
            Host server = net.newHost("server", "203.0.113.10/24");
            net.newWire(server, internet, LinkConfig.delayed(Duration.ofMillis(5)));
            // The server answers the phone's subnets through the router that leads to each.
            server.iface("eth0").gateway("203.0.113.2");
            net.defaultHost(phone);
        }
    }

    @Test
    void theLowestMetricCarriesTrafficAndFailoverMovesItToCellular() {
        try (VirtualNetwork net = VirtualNetwork.create(11)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Phone p = new Phone(net);
            Recorder atServer = new Recorder(net.clock());
            Nets.bind(net, group, SERVER, atServer);
            Channel ch = Nets.bind(net, group, addr("0.0.0.0", 5000), new Recorder(net.clock()));

            ch.writeAndFlush(text("over wifi", SERVER));
            net.runUntilIdle();
            assertEquals(addr("192.168.1.20", 5000), atServer.last().sender, "wlan0's default route: metric 600");
            assertEquals(10 * MS, atServer.last().nanos, "5 ms Wi-Fi + 5 ms to the server");

            long t = net.clock().nanoTime();
            p.wifi.down();
            ch.writeAndFlush(text("over cellular", SERVER));
            net.runUntilIdle();
            assertEquals(addr("10.64.0.5", 5000), atServer.last().sender, "the next default route: rmnet0");
            assertEquals(t + 40 * MS, atServer.last().nanos, "35 ms radio + 5 ms");
            assertEquals(1, p.carrier.counters().delivered());

            p.wifi.up();
            ch.writeAndFlush(text("wifi again", SERVER));
            net.runUntilIdle();
            assertEquals(addr("192.168.1.20", 5000), atServer.last().sender, "back on Wi-Fi once it is up");
            assertTrue(net.counters().isBalanced());
        }
    }

    @Test
    void aLowerMetricSetWhileRunningTakesOver() {
        try (VirtualNetwork net = VirtualNetwork.create(12)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Phone p = new Phone(net);
            Recorder atServer = new Recorder(net.clock());
            Nets.bind(net, group, SERVER, atServer);
            Channel ch = Nets.bind(net, group, addr("0.0.0.0", 5000), new Recorder(net.clock()));
            p.cell.metric(100);
            ch.writeAndFlush(text("x", SERVER));
            net.runUntilIdle();
            assertEquals(addr("10.64.0.5", 5000), atServer.last().sender);
        }
    }

    @Test
    void aSocketBoundToTheLostAddressCannotSendAndPacketsToTheDownInterfaceAreDropped() {
        try (VirtualNetwork net = VirtualNetwork.create(13)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Phone p = new Phone(net);
            Recorder atServer = new Recorder(net.clock());
            Recorder atPhone = new Recorder(net.clock());
            Channel server = Nets.bind(net, group, SERVER, atServer);
            Channel bound = Nets.bind(net, group, addr("192.168.1.20", 6000), atPhone);
            p.wifi.down();
            ChannelFuture f = bound.writeAndFlush(text("from a lost address", SERVER));
            net.runUntil(f);
            assertInstanceOf(BindException.class, f.cause());
            assertTrue(
                    f.cause().getMessage().startsWith("Cannot assign requested address"),
                    f.cause().getMessage());
            assertTrue(bound.isOpen(), "as on Linux: the send fails, the socket stays");

            server.writeAndFlush(text("to the old address", addr("192.168.1.20", 6000)));
            net.runUntilIdle();
            assertEquals(0, atPhone.count());
            assertEquals(1, p.phone.counters().dropped(DropReason.INTERFACE_DOWN));

            p.cell.down();
            Channel any = Nets.bind(net, group, addr("0.0.0.0", 7000), new Recorder(net.clock()));
            ChannelFuture g = any.writeAndFlush(text("no interface left", SERVER));
            net.runUntil(g);
            assertInstanceOf(SocketException.class, g.cause());
            assertTrue(
                    g.cause().getMessage().startsWith("Network is unreachable"),
                    g.cause().getMessage());
            assertTrue(net.counters().isBalanced());
        }
    }

    @Test
    void ipv6SourceAddressSelectionPrefersTheOutgoingInterfaceAndTheLongestMatch() {
        try (VirtualNetwork net = VirtualNetwork.create(14)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Host h = net.newHost("h");
            Interface a = h.newInterface("eth0", 100, "2001:db8:1::10/64").gateway("2001:db8:1::1");
            h.newInterface("eth1", 200, "2001:db8:2::10/64", "fd00::10/64");
            Router r = net.newRouter("r");
            net.newWire(a, r.newInterface("h", "2001:db8:1::1/64"));
            net.newWire(h.iface("eth1"), r.newInterface("h2", "2001:db8:2::1/64", "fd00::1/64"));
            Host s = net.newHost("s", "2001:db8:9::10/64").defaultGateway("2001:db8:9::1");
            net.newWire(r.newInterface("s", "2001:db8:9::1/64"), s);
            net.defaultHost(h);
            Recorder atS = new Recorder(net.clock());
            Nets.bind(net, group, addr("2001:db8:9::10", 53), atS);
            Channel ch = Nets.bind(net, group, addr("::", 5353), new Recorder(net.clock()));
            ch.writeAndFlush(text("q", addr("2001:db8:9::10", 53)));
            net.runUntilIdle();
            assertEquals(addr("2001:db8:1::10", 5353), atS.last().sender, "eth0's route, eth0's address");
            h.iface("eth0").down();
            ch.writeAndFlush(text("q", addr("2001:db8:9::10", 53)));
            net.runUntilIdle();
            // No default route is left: eth1 has none.
            assertEquals(1, atS.count());
            h.iface("eth1").gateway("2001:db8:2::1");
            ch.writeAndFlush(text("q", addr("2001:db8:9::10", 53)));
            net.runUntilIdle();
            assertEquals(
                    addr("2001:db8:2::10", 5353),
                    atS.last().sender,
                    "RFC 6724: the global address sharing the longest prefix, not the ULA");
        }
    }
}
