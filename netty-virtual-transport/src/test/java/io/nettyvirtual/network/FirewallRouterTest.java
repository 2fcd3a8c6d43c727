package io.nettyvirtual.network;

import static io.nettyvirtual.network.NatLab.MS;
import static io.nettyvirtual.testing.Nets.addr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.nettyvirtual.channel.VirtualDatagramChannel;
import io.nettyvirtual.network.firewall.FirewallAction;
import io.nettyvirtual.network.firewall.FirewallPolicy;
import io.nettyvirtual.network.firewall.FirewallRule;
import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.testing.Nets;
import io.nettyvirtual.testing.Recorder;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A {@link Router} with a stateful firewall on its outside interface, over real channels: rules tried in order,
 * reject and drop as the sender sees them, UDP connection tracking with Linux's timeouts at the exact virtual
 * nanosecond, and the presets. The topology: a corporate router (outside 203.0.113.2, inside 10.1.0.0/24 with a
 * PC at 10.1.0.10, 5 ms away) on {@link NatLab}'s public switch (10 ms), servers s1 203.0.113.10 and s2
 * 203.0.113.20 (1 ms) routing the inside subnet through the router. No NAT: the firewall sees the real addresses.
 */
class FirewallRouterTest {
    private static final long S = 1_000 * MS;
    /** A server's datagram reaches the router's outside interface 11 ms after it is sent. */
    private static final long SERVER_TO_ROUTER = 11 * MS;

    private static final class Corp implements AutoCloseable {
        final NatLab lab;
        final Router router;

        Corp(long seed, FirewallPolicy policy) {
            lab = new NatLab(seed);
            lab.server("s1", "203.0.113.10").defaultGateway("203.0.113.2");
            lab.server("s2", "203.0.113.20").defaultGateway("203.0.113.2");
            NatLab.Home corp = lab.home("corp", "203.0.113.2", "10.1.0.0/24", null);
            corp.host("pc", "10.1.0.10");
            router = corp.router;
            if (policy != null) {
                router.firewall(corp.wan, policy);
            }
        }

        NatLab.Peer bind(String ip, int port) {
            return lab.bind(ip, port);
        }

        void run() {
            lab.net.runUntilIdle();
        }

        long dropped(DropReason r) {
            return router.counters().dropped(r);
        }

        @Override
        public void close() {
            assertTrue(lab.net.counters().isBalanced(), lab.net.counters().toString());
            lab.close();
        }
    }

    /** Records the exceptions a channel's pipeline sees, with the virtual time. */
    static final class Errors extends ChannelInboundHandlerAdapter {
        final NatLab lab;
        final List<Throwable> caught = new ArrayList<>();
        final List<Long> at = new ArrayList<>();

        Errors(NatLab lab) {
            this.lab = lab;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            caught.add(cause);
            at.add(lab.net.clock().nanoTime());
        }
    }

    /** A channel bound at {@code local} and connected to {@code remote}, reading into {@code r}, errors into {@code e}. */
    static Channel connected(NatLab lab, InetSocketAddress local, InetSocketAddress remote, Recorder r, Errors e) {
        Channel ch = lab.net
                .runUntil(new Bootstrap()
                        .group(lab.group)
                        .channel(VirtualDatagramChannel.class)
                        .handler(new ChannelInitializer<Channel>() {
                            @Override
                            protected void initChannel(Channel c) {
                                c.pipeline().addLast(r, e);
                            }
                        })
                        .bind(local))
                .channel();
        lab.net.runUntil(ch.connect(remote));
        return ch;
    }

    private static List<String> texts(Recorder r) {
        return r.arrivals.stream().map(a -> a.text).toList();
    }

    @Test
    void theFirstMatchingRuleDecides() {
        FirewallPolicy policy = FirewallPolicy.builder()
                .rule(FirewallRule.allow()
                        .inbound()
                        .udp()
                        .from("203.0.113.10/32")
                        .toPort(7000)
                        .build())
                .rule(FirewallRule.drop().inbound().udp().from("203.0.113.0/24").build())
                .rule(FirewallRule.allow().inbound().udp().build()) // never reached from the public subnet
                .build();
        try (Corp c = new Corp(1, policy)) {
            NatLab.Peer pc7000 = c.bind("10.1.0.10", 7000);
            NatLab.Peer pc7001 = c.bind("10.1.0.10", 7001);
            NatLab.Peer s1 = c.bind("203.0.113.10", 4000);
            NatLab.Peer s2 = c.bind("203.0.113.20", 4000);
            s1.send("s1 to 7000", pc7000.local());
            s1.send("s1 to 7001", pc7001.local());
            s2.send("s2 to 7000", pc7000.local());
            c.run();
            assertEquals(List.of("s1 to 7000"), texts(pc7000.recorder));
            assertEquals(16 * MS, pc7000.recorder.last().nanos);
            assertEquals(0, pc7001.recorder.count(), "the second rule drops it before the third could allow it");
            assertEquals(2, c.dropped(DropReason.FIREWALL_DROPPED));
            assertEquals(2, c.router.firewall().count(FirewallAction.DROP));
            assertEquals(1, c.router.firewall().count(FirewallAction.ALLOW));
        }
        FirewallPolicy swapped = FirewallPolicy.builder()
                .rule(FirewallRule.drop().inbound().udp().from("203.0.113.0/24").build())
                .rule(FirewallRule.allow()
                        .inbound()
                        .udp()
                        .from("203.0.113.10/32")
                        .toPort(7000)
                        .build())
                .build();
        try (Corp c = new Corp(1, swapped)) {
            NatLab.Peer pc7000 = c.bind("10.1.0.10", 7000);
            c.bind("203.0.113.10", 4000).send("s1 to 7000", pc7000.local());
            c.run();
            assertEquals(0, pc7000.recorder.count(), "in the other order the broad drop comes first");
            assertEquals(1, c.dropped(DropReason.FIREWALL_DROPPED));
        }
    }

    @Test
    void rejectIsReportedToTheSenderAndDropIsSilent() {
        FirewallPolicy policy = FirewallPolicy.builder()
                .rule(FirewallRule.reject().outbound().udp().toPort(53).build())
                .rule(FirewallRule.drop().outbound().udp().toPort(54).build())
                .rule(FirewallRule.reject().inbound().udp().toPort(9000).build())
                .build();
        try (Corp c = new Corp(2, policy)) {
            NatLab lab = c.lab;
            NatLab.Peer s53 = c.bind("203.0.113.10", 53);
            NatLab.Peer s54 = c.bind("203.0.113.10", 54);
            Errors rejected = new Errors(lab);
            Errors dropped = new Errors(lab);
            Channel toRejected =
                    connected(lab, addr("10.1.0.10", 5053), s53.local(), new Recorder(lab.net.clock()), rejected);
            Channel toDropped =
                    connected(lab, addr("10.1.0.10", 5054), s54.local(), new Recorder(lab.net.clock()), dropped);
            long t0 = lab.net.clock().nanoTime();
            toRejected.writeAndFlush(Nets.text("query", s53.local()).content());
            toDropped.writeAndFlush(Nets.text("query", s54.local()).content());
            c.run();
            assertEquals(0, s53.recorder.count() + s54.recorder.count(), "neither crosses the firewall");
            assertEquals(1, rejected.caught.size(), "the reject's ICMP port unreachable reaches the sender");
            assertInstanceOf(PortUnreachableException.class, rejected.caught.get(0));
            assertEquals(t0 + 10 * MS, rejected.at.get(0), "5 ms to the router, 5 ms back");
            assertEquals(List.of(), dropped.caught, "a drop tells the sender nothing");
            assertEquals(1, c.dropped(DropReason.FIREWALL_REJECTED));
            assertEquals(1, c.dropped(DropReason.FIREWALL_DROPPED));

            // Inbound: an outside sender is told the same way.
            NatLab.Peer pc = c.bind("10.1.0.10", 9000);
            Errors outside = new Errors(lab);
            Channel fromOutside =
                    connected(lab, addr("203.0.113.20", 4000), pc.local(), new Recorder(lab.net.clock()), outside);
            long t1 = lab.net.clock().nanoTime();
            fromOutside.writeAndFlush(Nets.text("knock", pc.local()).content());
            c.run();
            assertEquals(0, pc.recorder.count());
            assertEquals(1, outside.caught.size());
            assertInstanceOf(PortUnreachableException.class, outside.caught.get(0));
            assertEquals(t1 + 2 * SERVER_TO_ROUTER, outside.at.get(0));
            assertEquals(2, c.dropped(DropReason.FIREWALL_REJECTED));
            assertEquals(2, c.router.firewall().count(FirewallAction.REJECT));
        }
    }

    @Test
    void anUnrepliedFlowClosesThirtySecondsAfterItsLastDatagram() {
        try (Corp c = new Corp(3, FirewallPolicy.blockInbound())) {
            NatLab.Peer pc = c.bind("10.1.0.10", 5000);
            NatLab.Peer s1 = c.bind("203.0.113.10", 3478);
            pc.send("open", s1.local());
            c.run();
            long expiry = 5 * MS + 30 * S; // opened when the datagram crossed the router
            assertEquals(expiry, c.router.firewall().tracker().expiryOf(pc.local(), s1.local()));
            c.lab.runTo(expiry - SERVER_TO_ROUTER);
            s1.send("at the expiry", pc.local());
            c.run();
            assertEquals(0, pc.recorder.count(), "the flow is gone at its expiry");
            assertEquals(1, c.dropped(DropReason.FIREWALL_DROPPED));
            assertEquals(1, c.router.firewall().tracker().expired());
        }
    }

    @Test
    void aReplyJustInTimeMakesTheFlowAssuredForTwoMinutes() {
        try (Corp c = new Corp(4, FirewallPolicy.blockInbound())) {
            NatLab.Peer pc = c.bind("10.1.0.10", 5000);
            NatLab.Peer s1 = c.bind("203.0.113.10", 3478);
            pc.send("open", s1.local());
            c.run();
            long unrepliedExpiry = 5 * MS + 30 * S;
            long replyAt = unrepliedExpiry - 1;
            c.lab.runTo(replyAt - SERVER_TO_ROUTER);
            s1.send("just in time", pc.local());
            c.run();
            assertEquals(List.of("just in time"), texts(pc.recorder));
            assertEquals(replyAt + 5 * MS, pc.recorder.last().nanos);
            assertTrue(c.router.firewall().tracker().isAssured(pc.local(), s1.local(), replyAt));
            long assuredExpiry = replyAt + 120 * S;
            assertEquals(assuredExpiry, c.router.firewall().tracker().expiryOf(pc.local(), s1.local()));

            c.lab.runTo(assuredExpiry - SERVER_TO_ROUTER - 1);
            s1.send("one nanosecond early", pc.local());
            c.run();
            long refreshed = assuredExpiry - 1 + 120 * S;
            assertEquals(refreshed, c.router.firewall().tracker().expiryOf(pc.local(), s1.local()));
            c.lab.runTo(refreshed - SERVER_TO_ROUTER);
            s1.send("at the expiry", pc.local());
            c.run();
            assertEquals(List.of("just in time", "one nanosecond early"), texts(pc.recorder));
            assertEquals(1, c.dropped(DropReason.FIREWALL_DROPPED));
            assertEquals(2, c.router.firewall().trackedCount());
        }
    }

    @Test
    void blockInboundLetsRepliesAndTheirErrorsBackOnly() {
        try (Corp c = new Corp(5, FirewallPolicy.blockInbound())) {
            NatLab.Peer pc = c.bind("10.1.0.10", 5000);
            NatLab.Peer s1 = c.bind("203.0.113.10", 3478);
            NatLab.Peer s2 = c.bind("203.0.113.20", 3478);
            s2.send("unsolicited", pc.local());
            c.run();
            assertEquals(0, pc.recorder.count());
            pc.send("request", s1.local());
            c.run();
            s1.send("reply", pc.local());
            s2.send("still unsolicited", pc.local());
            c.run();
            assertEquals(List.of("reply"), texts(pc.recorder));
            assertEquals(2, c.dropped(DropReason.FIREWALL_DROPPED));

            // An ICMP error about a tracked flow passes with it (conntrack's RELATED).
            Errors e = new Errors(c.lab);
            Channel ch = connected(
                    c.lab, addr("10.1.0.10", 6000), addr("203.0.113.10", 9), new Recorder(c.lab.net.clock()), e);
            long t = c.lab.net.clock().nanoTime();
            ch.writeAndFlush(
                    Nets.text("to a closed port", addr("203.0.113.10", 9)).content());
            c.run();
            assertEquals(1, e.caught.size());
            assertInstanceOf(PortUnreachableException.class, e.caught.get(0));
            assertEquals(t + 32 * MS, e.at.get(0), "16 ms each way");
        }
    }

    @Test
    void udp443OnlyLetsQuicOutAndNothingElse() {
        try (Corp c = new Corp(6, FirewallPolicy.udp443Only())) {
            NatLab.Peer pc = c.bind("10.1.0.10", 5000);
            NatLab.Peer quic = c.bind("203.0.113.10", 443);
            NatLab.Peer other = c.bind("203.0.113.10", 8443);
            pc.send("initial", quic.local());
            pc.send("not 443", other.local());
            c.run();
            assertEquals(List.of("initial"), texts(quic.recorder));
            assertEquals(0, other.recorder.count());
            quic.send("handshake", pc.local());
            other.send("unsolicited", pc.local());
            c.run();
            assertEquals(List.of("handshake"), texts(pc.recorder), "the reply of the tracked flow comes back");
            assertEquals(2, c.dropped(DropReason.FIREWALL_DROPPED));
        }
    }

    @Test
    void blockUdpStopsEveryDatagramBothWays() {
        try (Corp c = new Corp(7, FirewallPolicy.blockUdp())) {
            NatLab.Peer pc = c.bind("10.1.0.10", 5000);
            NatLab.Peer quic = c.bind("203.0.113.10", 443);
            pc.send("initial", quic.local());
            quic.send("inbound", pc.local());
            c.run();
            assertEquals(0, quic.recorder.count() + pc.recorder.count());
            assertEquals(2, c.dropped(DropReason.FIREWALL_DROPPED));
            assertEquals(2, c.lab.net.counters().dropped(DropReason.FIREWALL_DROPPED));
            assertEquals(0, c.router.firewall().tracker().size(), "nothing dropped opens a flow");
        }
    }
}
