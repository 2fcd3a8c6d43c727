package io.nettyvirtual.network;

import static io.nettyvirtual.testing.Nets.addr;
import static io.nettyvirtual.testing.Nets.sized;
import static io.nettyvirtual.testing.Nets.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.channel.VirtualEventLoopGroup;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.packet.IcmpType;
import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.stats.PacketCounters;
import io.nettyvirtual.stats.PacketTap;
import io.nettyvirtual.testing.Nets;
import io.nettyvirtual.testing.Recorder;
import java.net.InetAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Routers: hop-by-hop timing, longest-prefix match, TTL and loops, unreachable errors, bad input. */
class RouterTest {
    private static final long MS = 1_000_000L;

    private static LinkConfig ms(int delay) {
        return LinkConfig.delayed(Duration.ofMillis(delay));
    }

    /** a - r1 - r2 - r3 - b, on four subnets, wires of 1, 2, 3 and 4 ms. */
    private static final class Path {
        final Host a;
        final Host b;
        final Router r1;
        final Router r2;
        final Router r3;

        Path(VirtualNetwork net) {
            a = net.newHost("a", "10.0.1.10/24").defaultGateway("10.0.1.1");
            b = net.newHost("b", "10.0.4.10/24").defaultGateway("10.0.4.1");
            r1 = net.newRouter("r1");
            r2 = net.newRouter("r2");
            r3 = net.newRouter("r3");
            net.newWire(a, r1.newInterface("a", "10.0.1.1/24"), ms(1));
            net.newWire(r1.newInterface("r2", "10.0.12.1/24"), r2.newInterface("r1", "10.0.12.2/24"), ms(2));
            net.newWire(r2.newInterface("r3", "10.0.23.2/24"), r3.newInterface("r2", "10.0.23.3/24"), ms(3));
            net.newWire(r3.newInterface("b", "10.0.4.1/24"), b, ms(4));
            r1.defaultRoute("10.0.12.2");
            r2.route("10.0.1.0/24", "10.0.12.1").route("10.0.4.0/24", "10.0.23.3");
            r3.defaultRoute("10.0.23.2");
        }
    }

    @Test
    void aDatagramCrossesThreeRoutersInExactlyTheSumOfTheWireDelays() {
        try (VirtualNetwork net = VirtualNetwork.create(1)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Path p = new Path(net);
            List<Integer> ttls = new ArrayList<>();
            p.b.addTap((nanos, event, element, packet, reason) -> {
                if (event == PacketTap.Event.ENTERED) {
                    ttls.add(packet.ttl());
                }
            });
            Recorder atB = new Recorder(net.clock());
            Recorder atA = new Recorder(net.clock());
            Channel b = Nets.bind(net, group, addr("10.0.4.10", 7), atB);
            Channel a = Nets.bind(net, group, addr("10.0.1.10", 7), atA);
            a.writeAndFlush(text("hello", addr("10.0.4.10", 7)));
            net.runUntilIdle();
            assertEquals("hello", atB.last().text);
            assertEquals(10 * MS, atB.last().nanos, "1 + 2 + 3 + 4 ms; forwarding takes no time");
            assertEquals(addr("10.0.1.10", 7), atB.last().sender, "routers do not rewrite the source");
            assertEquals(List.of(Packet.DEFAULT_TTL - 3), ttls, "one TTL off per router");

            b.writeAndFlush(text("back", addr("10.0.1.10", 7)));
            net.runUntilIdle();
            assertEquals(20 * MS, atA.last().nanos, "the same path back");
            assertEquals(2, p.r2.counters().delivered(), "r2 forwarded both");
            assertTrue(net.counters().isBalanced());
        }
    }

    @Test
    void theLongestMatchingPrefixWinsThenTheLowestMetric() {
        try (VirtualNetwork net = VirtualNetwork.create(2)) {
            Router r = net.newRouter("r");
            Interface in = r.newInterface("in", "192.168.0.1/24");
            Interface x = r.newInterface("x", "10.1.0.1/30");
            Interface y = r.newInterface("y", "10.2.0.1/30");
            Interface z = r.newInterface("z", "10.3.0.1/30");
            r.route("10.0.0.0/8", "10.1.0.2")
                    .route("10.20.0.0/16", "10.2.0.2")
                    .route("10.20.30.0/24", "10.3.0.2", 10)
                    .route("10.20.30.0/24", "10.2.0.2", 5)
                    .defaultRoute("10.3.0.2");
            Host src = net.newHost("src", "192.168.0.2/24").defaultGateway("192.168.0.1");
            net.newWire(src, in);
            Host hx = net.newHost("hx", "10.1.0.2/30");
            Host hy = net.newHost("hy", "10.2.0.2/30");
            Host hz = net.newHost("hz", "10.3.0.2/30");
            net.newWire(x, hx);
            net.newWire(y, hy);
            net.newWire(z, hz);
            String[][] cases = {
                {"10.9.9.9", "hx"}, {"10.20.1.1", "hy"}, {"10.20.30.40", "hy"}, {"11.0.0.1", "hz"}, {"10.20.31.1", "hy"}
            };
            for (String[] c : cases) {
                long[] before = {
                    hx.counters().sent(), hy.counters().sent(), hz.counters().sent()
                };
                src.send(
                        addr("192.168.0.2", 1),
                        addr(c[0], 9),
                        io.netty.buffer.Unpooled.buffer(1).writeZero(1),
                        null);
                net.runUntilIdle();
                String got = hx.counters().sent() > before[0]
                        ? "hx"
                        : hy.counters().sent() > before[1]
                                ? "hy"
                                : hz.counters().sent() > before[2] ? "hz" : "none";
                assertEquals(c[1], got, "route to " + c[0]);
            }
            assertTrue(
                    r.routes().contains("10.20.30.0/24 via 10.2.0.2 dev y metric 5"),
                    r.routes().toString());
            assertTrue(net.counters().isBalanced());
        }
    }

    @Test
    void aTtlThatRunsOutIsDroppedAndAnsweredWithTimeExceededWhichTheSocketDoesNotSee() {
        try (VirtualNetwork net = VirtualNetwork.create(3)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Path p = new Path(net);
            List<String> icmp = new ArrayList<>();
            p.a.addTap((nanos, event, element, packet, reason) -> {
                if (event == PacketTap.Event.ENTERED && packet.icmpType() != null) {
                    icmp.add(nanos / MS + " ms " + packet.icmpType() + " from "
                            + packet.source().getAddress());
                }
            });
            Recorder atA = new Recorder(net.clock());
            Nets.bind(net, group, addr("10.0.4.10", 7), new Recorder(net.clock()));
            Channel a = Nets.bind(net, group, addr("10.0.1.10", 7), atA);
            net.runUntil(a.connect(addr("10.0.4.10", 7)));
            // A TTL of 2: r1 takes it to 1, r2 drops it.
            p.a.send(
                    addr("10.0.1.10", 7),
                    addr("10.0.4.10", 7),
                    io.netty.buffer.Unpooled.buffer(4).writeZero(4),
                    null,
                    0,
                    false);
            net.runUntilIdle();
            assertEquals(0, p.r2.counters().dropped(DropReason.TTL_EXPIRED), "a default TTL passes");
            Packet low = new Packet(
                    addr("10.0.1.10", 7),
                    addr("10.0.4.10", 7),
                    io.netty.buffer.Unpooled.buffer(4).writeZero(4),
                    null);
            low.ttl(2);
            long t0 = net.clock().nanoTime();
            p.a.send(low);
            net.runUntilIdle();
            assertEquals(1, p.r2.counters().dropped(DropReason.TTL_EXPIRED));
            assertEquals(List.of((t0 / MS + 6) + " ms TIME_EXCEEDED from /10.0.12.2"), icmp, "3 ms to r2, 3 ms back");
            ChannelFuture f = a.writeAndFlush(text("still fine", addr("10.0.4.10", 7)));
            net.runUntil(f);
            assertTrue(f.isSuccess(), "time exceeded is a soft error: Linux does not report it to the socket");
            assertTrue(net.counters().isBalanced());
        }
    }

    @Test
    void aRoutingLoopEndsWhenTheTtlRunsOut() throws Exception {
        try (VirtualNetwork net = VirtualNetwork.create(4)) {
            Host a = net.newHost("a", "10.0.1.10/24").defaultGateway("10.0.1.1");
            Router r1 = net.newRouter("r1");
            Router r2 = net.newRouter("r2");
            net.newWire(a, r1.newInterface("a", "10.0.1.1/24"), ms(1));
            net.newWire(r1.newInterface("r2", "10.0.12.1/24"), r2.newInterface("r1", "10.0.12.2/24"), ms(1));
            r1.defaultRoute("10.0.12.2");
            r2.defaultRoute("10.0.12.1"); // and r1's default points back: a loop for anything off these subnets
            long[] dropAt = {-1};
            net.addTap((nanos, event, element, packet, reason) -> {
                if (reason == DropReason.TTL_EXPIRED) {
                    dropAt[0] = nanos;
                }
            });
            a.bind(new IcmpTest.Socket(net), addr("10.0.1.10", 7));
            a.send(
                    addr("10.0.1.10", 7),
                    addr("8.8.8.8", 53),
                    io.netty.buffer.Unpooled.buffer(4).writeZero(4),
                    null);
            net.runUntilIdle();
            assertEquals(64 * MS, dropAt[0], "1 ms to r1, then 63 router-to-router hops until the 64th router");
            PacketCounters c = net.counters();
            assertEquals(1, c.dropped(DropReason.TTL_EXPIRED));
            assertEquals(2, c.sent(), "the datagram and the time-exceeded error");
            assertEquals(1, c.delivered(), "the error, consumed by a");
            assertTrue(c.isBalanced());
        }
    }

    @Test
    void noRouteAtARouterIsDroppedWithNetUnreachableAndNoRouteAtTheHostFailsTheSend() {
        try (VirtualNetwork net = VirtualNetwork.create(5)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Host a = net.newHost("a", "10.0.1.10/24").defaultGateway("10.0.1.1");
            Router r = net.newRouter("r");
            net.newWire(a, r.newInterface("lan", "10.0.1.1/24"), ms(2));
            List<IcmpType> icmp = new ArrayList<>();
            a.addTap((nanos, event, element, packet, reason) -> {
                if (event == PacketTap.Event.ENTERED && packet.icmpType() != null) {
                    icmp.add(packet.icmpType());
                }
            });
            Channel ch = Nets.bind(net, group, addr("0.0.0.0", 7), new Recorder(net.clock()));
            net.defaultHost(a);
            Channel c = Nets.bind(net, group, addr("0.0.0.0", 8), new Recorder(net.clock()));
            ChannelFuture sent = c.writeAndFlush(text("x", addr("8.8.8.8", 53)));
            net.runUntilIdle();
            assertTrue(sent.isSuccess(), "the host has a default route: the router is the one without a route");
            assertEquals(1, r.counters().dropped(DropReason.NO_ROUTE));
            assertEquals(List.of(IcmpType.NET_UNREACHABLE), icmp);

            Host lonely = net.newHost("lonely", "10.0.9.10/24"); // a subnet, no gateway
            net.defaultHost(lonely);
            Channel d = Nets.bind(net, group, addr("0.0.0.0", 9), new Recorder(net.clock()));
            ChannelFuture failed = d.writeAndFlush(text("x", addr("8.8.8.8", 53)));
            net.runUntil(failed);
            assertInstanceOf(SocketException.class, failed.cause());
            assertTrue(
                    failed.cause().getMessage().startsWith("Network is unreachable"),
                    failed.cause().getMessage());
            assertTrue(ch.isOpen());
            assertTrue(net.counters().isBalanced());
        }
    }

    @Test
    void hostsOnASwitchReachTheInternetThroughTheRouterOnTheSameSwitch() {
        try (VirtualNetwork net = VirtualNetwork.create(6)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Switch lan = net.newSwitch("lan");
            Router r = net.newRouter("r");
            lan.plug(r.newInterface("lan", "192.168.1.1/24"));
            Host h1 = net.newHost("h1", "192.168.1.10/24").defaultGateway("192.168.1.1");
            Host h2 = net.newHost("h2", "192.168.1.11/24").defaultGateway("192.168.1.1");
            lan.plug(h1).plug(h2);
            Host server = net.newHost("server", "203.0.113.10/24");
            net.newWire(r.newInterface("wan", "203.0.113.1/24"), server, ms(5));
            Recorder atServer = new Recorder(net.clock());
            Recorder atH2 = new Recorder(net.clock());
            Nets.bind(net, group, addr("203.0.113.10", 7), atServer);
            Nets.bind(net, group, addr("192.168.1.11", 7), atH2);
            Channel c1 = Nets.bind(net, group, addr("192.168.1.10", 7), new Recorder(net.clock()));
            c1.writeAndFlush(text("to the server", addr("203.0.113.10", 7)));
            c1.writeAndFlush(text("to my neighbour", addr("192.168.1.11", 7)));
            net.runUntilIdle();
            assertEquals(5 * MS, atServer.last().nanos);
            assertEquals(0, atH2.last().nanos, "on-link: straight across the switch, not via the router");
            assertEquals(1, r.counters().delivered(), "only the datagram to the server crossed the router");
            assertTrue(net.counters().isBalanced());
        }
    }

    @Test
    void addressesComeFromTheSubnetInOrderOrAreGiven() {
        try (VirtualNetwork net = VirtualNetwork.create(7)) {
            var lan = net.newSubnet("10.9.0.0/29");
            Router r = net.newRouter("r");
            Interface i = r.newInterface("lan");
            assertEquals("10.9.0.1", i.assignNext(lan).getHostAddress());
            Host h = net.newHost("h");
            Interface e = h.newInterface("eth1", "10.9.0.3/29");
            assertEquals("10.9.0.2", h.newInterface("eth2").assignNext(lan).getHostAddress());
            assertEquals("10.9.0.4", h.newInterface("eth3").assignNext(lan).getHostAddress(), "10.9.0.3 is taken");
            assertEquals(List.of(InetAddress.getByName("10.9.0.3")), e.addresses());
            h.newInterface("eth4").assignNext(lan);
            h.newInterface("eth5").assignNext(lan);
            IllegalStateException full = assertThrows(
                    IllegalStateException.class, () -> h.newInterface("eth6").assignNext(lan));
            assertTrue(full.getMessage().contains("10.9.0.0/29"), full.getMessage());
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void badInputIsRefusedNamingTheValue() {
        try (VirtualNetwork net = VirtualNetwork.create(8)) {
            Router r = net.newRouter("r");
            r.newInterface("lan", "10.0.0.1/24");
            assertMessage(
                    () -> r.newInterface("big", "10.0.0.2/16"), "subnet 10.0.0.0/16", "overlaps subnet 10.0.0.0/24");
            assertMessage(() -> net.newHost("dup", "10.0.0.1/24"), "10.0.0.1", "already owned by router r");
            assertMessage(() -> r.newInterface("lan", "10.1.0.1/24"), "already has an interface named 'lan'");
            assertMessage(() -> r.route("10.5.0.0/16", "10.7.0.1"), "leads nowhere", "10.7.0.1");
            assertMessage(() -> r.route("10.5.0.1/16", "10.0.0.9"), "host bits", "10.5.0.0/16");
            assertMessage(() -> r.route("::/0", "10.0.0.9"), "not of the family");
            assertMessage(() -> net.newHost("bcast", "10.0.0.255/24"), "10.0.0.255");
            assertMessage(() -> net.newHost("net", "10.0.0.0/24"), "10.0.0.0");
            assertMessage(() -> net.newHost("bad", "10.0.0.300/24"), "10.0.0.300");
            assertMessage(() -> net.newHost("len", "10.0.0.5/33"), "33");
            Host h = net.newHost("h", "10.0.0.5/24");
            assertMessage(() -> h.iface("eth0").gateway("10.9.9.1"), "gateway 10.9.9.1", "none of the subnets");
            assertMessage(() -> h.defaultGateway("10.9.9.1"), "gateway 10.9.9.1");
            assertMessage(() -> h.iface("wlan9"), "no interface named 'wlan9'");
            assertMessage(() -> r.iface("lan").gateway("10.0.0.5"), "router");
            assertMessage(() -> r.rebootNat(), "has no NAT");
            assertFalse(h.isPlugged());
        }
    }

    private static void assertMessage(Runnable r, String... parts) {
        RuntimeException e = assertThrows(RuntimeException.class, r::run);
        for (String p : parts) {
            assertTrue(e.getMessage() != null && e.getMessage().contains(p), "'" + e.getMessage() + "' names " + p);
        }
    }

    @Test
    void aBigDatagramIsCountedAtEveryHop() {
        try (VirtualNetwork net = VirtualNetwork.create(9)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Path p = new Path(net);
            Recorder atB = new Recorder(net.clock());
            Nets.bind(net, group, addr("10.0.4.10", 7), atB);
            Channel a = Nets.bind(net, group, addr("10.0.1.10", 7), new Recorder(net.clock()));
            for (int i = 0; i < 3; i++) {
                a.writeAndFlush(sized(1200, addr("10.0.4.10", 7)));
            }
            net.runUntilIdle();
            assertEquals(3, atB.count());
            for (Router r : List.of(p.r1, p.r2, p.r3)) {
                assertEquals(3, r.counters().sent(), r.name());
                assertEquals(3 * 1200, r.counters().sentBytes(), r.name());
            }
            assertTrue(net.counters().isBalanced());
        }
    }

    @Test
    void aNatWithoutExternalAddressesTakesTheOutsideInterfacesAddress() {
        try (VirtualNetwork net = VirtualNetwork.create(10)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Router home = net.newRouter("home");
            Interface lan = home.newInterface("lan", "192.168.1.1/24");
            Interface wan = home.newInterface("wan", "198.51.100.2/24");
            home.nat(
                    wan,
                    io.nettyvirtual.network.nat.NatConfig.portRestrictedCone().build());
            Host alice = net.newHost("alice", "192.168.1.10/24").defaultGateway("192.168.1.1");
            net.newWire(alice, lan, ms(1));
            Host server = net.newHost("server", "198.51.100.10/24");
            net.newWire(wan, server, ms(1));
            Recorder atServer = new Recorder(net.clock());
            Nets.bind(net, group, addr("198.51.100.10", 7), atServer);
            Channel a = Nets.bind(net, group, addr("192.168.1.10", 4000), new Recorder(net.clock()));
            a.writeAndFlush(text("hi", addr("198.51.100.10", 7)));
            net.runUntilIdle();
            assertEquals(addr("198.51.100.2", 4000), atServer.last().sender, "wan's address, the port preserved");
            assertEquals(1, home.natCounters().active());
        }
    }
}
