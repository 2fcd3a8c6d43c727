package io.nettyvirtual.channel;

import static io.nettyvirtual.channel.EcnDatagramPacket.CE;
import static io.nettyvirtual.channel.EcnDatagramPacket.ECT_0;
import static io.nettyvirtual.channel.EcnDatagramPacket.ECT_1;
import static io.nettyvirtual.channel.EcnDatagramPacket.NOT_ECT;
import static io.nettyvirtual.testing.Nets.addr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.network.Host;
import io.nettyvirtual.network.Switch;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.PacketCounters;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The ECN codepoint from the sending channel ({@code IP_TOS}'s two low bits or an {@link EcnDatagramPacket}) through
 * the packet to the receiving application, and a CE mark made on the way. Deterministic mode, exact virtual times.
 */
class EcnTest {
    private static final long MS = 1_000_000L;
    private static final InetSocketAddress A = addr("10.0.0.1", 1000);
    private static final InetSocketAddress B = addr("10.0.0.2", 2000);

    /** One datagram as the application read it: its class, codepoint, text and virtual arrival time. */
    private static final class Read {
        final Class<?> type;
        final int ecn;
        final String text;
        final long nanos;

        Read(DatagramPacket p, long nanos) {
            this.type = p.getClass();
            this.ecn = EcnDatagramPacket.ecnOf(p);
            this.text = p.content().toString(StandardCharsets.UTF_8);
            this.nanos = nanos;
        }
    }

    /** Records what the application reads, and releases it. */
    @ChannelHandler.Sharable
    private static final class Reader extends SimpleChannelInboundHandler<DatagramPacket> {
        final List<Read> reads = new ArrayList<>();
        private final VirtualNetwork net;

        Reader(VirtualNetwork net) {
            this.net = net;
        }

        @Override
        protected synchronized void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
            reads.add(new Read(msg, net.clock().nanoTime()));
        }

        synchronized int count() {
            return reads.size();
        }
    }

    /** Two hosts a (10.0.0.1) and b (10.0.0.2) on a wire with {@code config} both ways. */
    private static VirtualNetwork twoHosts(long seed, LinkConfig config) {
        VirtualNetwork net = VirtualNetwork.create(seed);
        Host a = net.newHost("a", "10.0.0.1");
        Host b = net.newHost("b", "10.0.0.2");
        net.newWire(a, b, config);
        return net;
    }

    private static Channel bind(
            VirtualNetwork net,
            VirtualEventLoopGroup group,
            InetSocketAddress at,
            ChannelHandler handler,
            Integer tos) {
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(VirtualDatagramChannel.class)
                .handler(handler);
        if (tos != null) {
            b.option(ChannelOption.IP_TOS, tos);
        }
        return net.runUntil(b.bind(at)).channel();
    }

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    /** A filter that drops nothing and records the codepoint each packet carries on the wire. */
    private static Predicate<Packet> recording(List<Integer> into) {
        return p -> {
            into.add(p.ecn());
            return false;
        };
    }

    @Test
    void byDefaultADatagramIsNotEctAndIsReadAsAPlainDatagramPacket() {
        List<Integer> onWire = new ArrayList<>();
        try (VirtualNetwork net =
                twoHosts(1, LinkConfig.delayed(Duration.ofMillis(10)).filter(recording(onWire)))) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Reader reader = new Reader(net);
            bind(net, group, B, reader, null);
            Channel sender = bind(net, group, A, new ChannelInboundHandlerAdapter(), null);
            assertEquals(0, sender.config().getOption(ChannelOption.IP_TOS));

            sender.writeAndFlush(new DatagramPacket(text("plain"), B));
            assertTrue(net.runUntil(() -> reader.count() == 1));

            assertEquals(List.of(NOT_ECT), onWire);
            Read r = reader.reads.get(0);
            assertSame(DatagramPacket.class, r.type, "Not-ECT is read as Netty's own DatagramPacket");
            assertEquals(NOT_ECT, r.ecn);
            assertEquals(10 * MS, r.nanos);
        }
    }

    @Test
    void theTwoLowBitsOfIpTosAreTheCodepointAndTheWholeByteReadsBack() {
        int[] codepoints = {NOT_ECT, ECT_1, ECT_0, CE};
        for (int ecn : codepoints) {
            List<Integer> onWire = new ArrayList<>();
            try (VirtualNetwork net =
                    twoHosts(2, LinkConfig.delayed(Duration.ofMillis(3)).filter(recording(onWire)))) {
                VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
                Reader reader = new Reader(net);
                bind(net, group, B, reader, null);
                int tos = 0xB8 | ecn; // DSCP 46 (EF) in the upper six bits
                Channel sender = bind(net, group, A, new ChannelInboundHandlerAdapter(), tos);
                assertEquals(tos, sender.config().getOption(ChannelOption.IP_TOS));
                assertEquals(tos, ((VirtualDatagramChannelConfig) sender.config()).getTrafficClass());

                sender.writeAndFlush(new DatagramPacket(text("tos"), B));
                assertTrue(net.runUntil(() -> reader.count() == 1));

                assertEquals(List.of(ecn), onWire, "codepoint on the wire for TOS " + tos);
                Read r = reader.reads.get(0);
                assertEquals(ecn, r.ecn, "codepoint read for TOS " + tos);
                assertSame(ecn == NOT_ECT ? DatagramPacket.class : EcnDatagramPacket.class, r.type);
                assertEquals(3 * MS, r.nanos);
            }
        }
    }

    @Test
    void aConnectedChannelsBareBuffersCarryTheOptionsCodepoint() {
        List<Integer> onWire = new ArrayList<>();
        try (VirtualNetwork net = twoHosts(3, LinkConfig.ideal().filter(recording(onWire)))) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Reader reader = new Reader(net);
            bind(net, group, B, reader, null);
            Channel sender = bind(net, group, A, new ChannelInboundHandlerAdapter(), ECT_0);
            net.runUntil(sender.connect(B));

            sender.writeAndFlush(text("bare"));
            assertTrue(net.runUntil(() -> reader.count() == 1));

            assertEquals(List.of(ECT_0), onWire);
            assertEquals(ECT_0, reader.reads.get(0).ecn);
        }
    }

    @Test
    void anEcnDatagramPacketsOwnCodepointWinsOverTheOption() {
        List<Integer> onWire = new ArrayList<>();
        try (VirtualNetwork net =
                twoHosts(4, LinkConfig.delayed(Duration.ofMillis(1)).filter(recording(onWire)))) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Reader reader = new Reader(net);
            bind(net, group, B, reader, null);
            Channel sender = bind(net, group, A, new ChannelInboundHandlerAdapter(), ECT_0);

            sender.write(new EcnDatagramPacket(text("l4s"), B, ECT_1));
            sender.write(new EcnDatagramPacket(text("none"), B, NOT_ECT));
            sender.write(new DatagramPacket(text("default"), B));
            sender.flush();
            assertTrue(net.runUntil(() -> reader.count() == 3));

            assertEquals(List.of(ECT_1, NOT_ECT, ECT_0), onWire);
            assertEquals("l4s", reader.reads.get(0).text);
            assertEquals(ECT_1, reader.reads.get(0).ecn);
            assertSame(EcnDatagramPacket.class, reader.reads.get(0).type);
            assertEquals(NOT_ECT, reader.reads.get(1).ecn);
            assertSame(DatagramPacket.class, reader.reads.get(1).type);
            assertEquals(ECT_0, reader.reads.get(2).ecn);
            assertEquals(ECT_0, sender.config().getOption(ChannelOption.IP_TOS), "the option is left as set");
        }
    }

    /**
     * A CE mark made in the network reaches the application. A test trick: a link filter only chooses what to drop,
     * but this one marks the ECN-capable packets CE (as a queue discipline does under congestion) and drops nothing.
     */
    @Test
    void aCeMarkMadeOnTheWayReachesTheReadingApplication() {
        Predicate<Packet> markCe = p -> {
            if (p.ecn() != NOT_ECT) {
                p.ecn(CE);
            }
            return false;
        };
        try (VirtualNetwork net =
                twoHosts(5, LinkConfig.delayed(Duration.ofMillis(20)).filter(markCe))) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Reader reader = new Reader(net);
            bind(net, group, B, reader, null);
            Channel sender = bind(net, group, A, new ChannelInboundHandlerAdapter(), null);

            sender.write(new EcnDatagramPacket(text("ect0"), B, ECT_0));
            sender.write(new EcnDatagramPacket(text("ect1"), B, ECT_1));
            sender.write(new DatagramPacket(text("not-ect"), B));
            sender.flush();
            assertTrue(net.runUntil(() -> reader.count() == 3));

            assertEquals(CE, reader.reads.get(0).ecn);
            assertEquals(CE, reader.reads.get(1).ecn);
            assertEquals(NOT_ECT, reader.reads.get(2).ecn, "a Not-ECT packet is never marked");
            for (Read r : reader.reads) {
                assertEquals(20 * MS, r.nanos, r.text);
            }
            PacketCounters c = net.counters();
            assertEquals(3, c.sent());
            assertEquals(3, c.delivered());
            assertEquals(0, c.dropped());
            assertTrue(c.isBalanced(), c.toString());
        }
    }

    @Test
    void theCodepointAndAMarkSurviveASwitchHop() {
        List<Integer> secondHop = new ArrayList<>();
        try (VirtualNetwork net = VirtualNetwork.create(9)) {
            Host a = net.newHost("a", "10.0.0.1");
            Host b = net.newHost("b", "10.0.0.2");
            Switch sw = net.newSwitch("switch");
            net.newWire(a, sw, LinkConfig.delayed(Duration.ofMillis(2)).filter(p -> {
                p.ecn(CE); // marked on the first hop (test trick)
                return false;
            }));
            net.newWire(
                    b,
                    sw,
                    LinkConfig.delayed(Duration.ofMillis(3)),
                    LinkConfig.delayed(Duration.ofMillis(3)).filter(recording(secondHop)));
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Reader reader = new Reader(net);
            bind(net, group, B, reader, null);
            Channel sender = bind(net, group, A, new ChannelInboundHandlerAdapter(), ECT_1);

            sender.writeAndFlush(new DatagramPacket(text("hop"), B));
            assertTrue(net.runUntil(() -> reader.count() == 1));

            assertEquals(List.of(CE), secondHop, "the switch forwards the packet as it is, mark and all");
            assertEquals(CE, reader.reads.get(0).ecn);
            assertEquals(5 * MS, reader.reads.get(0).nanos);
        }
    }

    @Test
    void theCodepointTravelsOverIpv6Too() {
        try (VirtualNetwork net = VirtualNetwork.create(6)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Reader reader = new Reader(net);
            Channel receiver = bind(net, group, addr("::1", 0), reader, null);
            Channel sender = bind(net, group, addr("::1", 0), new ChannelInboundHandlerAdapter(), ECT_1);

            sender.writeAndFlush(new DatagramPacket(text("v6"), (InetSocketAddress) receiver.localAddress()));
            assertTrue(net.runUntil(() -> reader.count() == 1));
            assertEquals(ECT_1, reader.reads.get(0).ecn);
        }
    }

    @Test
    void anEcnDatagramPacketKeepsItsCodepointThroughCopiesAndNamesIt() {
        EcnDatagramPacket p = new EcnDatagramPacket(text("x"), B, A, ECT_0);
        try {
            EcnDatagramPacket copy = p.copy();
            assertEquals(ECT_0, copy.ecn());
            copy.release();
            assertEquals(ECT_0, p.duplicate().ecn());
            EcnDatagramPacket retained = p.retainedDuplicate();
            assertEquals(ECT_0, retained.ecn());
            retained.release();
            EcnDatagramPacket replaced = p.replace(text("y"));
            assertEquals(ECT_0, replaced.ecn());
            assertEquals(B, replaced.recipient());
            assertEquals(A, replaced.sender());
            replaced.release();
            assertSame(p, p.retain().touch("hint"));
            p.release();
            assertTrue(p.toString().endsWith(", ECT(0))"), p.toString());
            assertEquals("Not-ECT", EcnDatagramPacket.ecnName(NOT_ECT));
            assertEquals("ECT(1)", EcnDatagramPacket.ecnName(ECT_1));
            assertEquals("CE", EcnDatagramPacket.ecnName(CE));
        } finally {
            p.release();
        }
    }

    @Test
    void aBadCodepointIsRefusedEarlyNamingIt() {
        ByteBuf data = text("bad");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new EcnDatagramPacket(data, B, 4));
        assertTrue(e.getMessage().startsWith("ecn: 4 "), e.getMessage());
        assertEquals(1, data.refCnt(), "the caller keeps the buffer it could not wrap");
        data.release();

        ByteBuf other = text("negative");
        assertThrows(IllegalArgumentException.class, () -> new EcnDatagramPacket(other, B, A, -1));
        other.release();
        IllegalArgumentException n = assertThrows(IllegalArgumentException.class, () -> EcnDatagramPacket.ecnName(7));
        assertTrue(n.getMessage().startsWith("ecn: 7 "), n.getMessage());

        try (VirtualNetwork net = twoHosts(7, LinkConfig.ideal())) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Channel ch = bind(net, group, A, new ChannelInboundHandlerAdapter(), null);
            IllegalArgumentException t = assertThrows(
                    IllegalArgumentException.class, () -> ch.config().setOption(ChannelOption.IP_TOS, 256));
            assertTrue(t.getMessage().contains("256"), t.getMessage());
            assertEquals(0, ch.config().getOption(ChannelOption.IP_TOS));

            // Host.send takes ownership: a bad codepoint there is refused and leaks neither buffer nor credit.
            Host a = net.hostOwning(A.getAddress());
            ByteBuf payload = text("direct");
            IllegalArgumentException h =
                    assertThrows(IllegalArgumentException.class, () -> a.send(A, B, payload, null, 5, false));
            assertTrue(h.getMessage().startsWith("ecn: 5 "), h.getMessage());
            assertEquals(0, payload.refCnt());
        }
    }

    @Test
    void aPacketRefusesACodepointOutsideTwoBits() {
        Packet p = new Packet(A, B, Unpooled.EMPTY_BUFFER, null);
        assertEquals(NOT_ECT, p.ecn());
        p.ecn(CE);
        assertEquals(CE, p.ecn());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.ecn(4));
        assertTrue(e.getMessage().startsWith("ecn: 4 "), e.getMessage());
        assertEquals(CE, p.ecn());
    }

    @Test
    void aDatagramReadFromAChannelIsAnEcnDatagramPacketOnlyWhenEcnCapable() {
        try (VirtualNetwork net = twoHosts(8, LinkConfig.ideal())) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            List<Object> raw = new ArrayList<>();
            ChannelInboundHandlerAdapter keep = new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    synchronized (raw) {
                        raw.add(msg);
                    }
                }
            };
            bind(net, group, B, keep, null);
            Channel sender = bind(net, group, A, new ChannelInboundHandlerAdapter(), null);
            sender.writeAndFlush(new EcnDatagramPacket(text("ce"), B, CE));
            assertTrue(net.runUntil(() -> {
                synchronized (raw) {
                    return raw.size() == 1;
                }
            }));
            EcnDatagramPacket p = assertInstanceOf(EcnDatagramPacket.class, raw.get(0));
            assertEquals(CE, p.ecn());
            assertEquals(A, p.sender());
            assertEquals(B, p.recipient());
            p.release();
        }
    }
}
