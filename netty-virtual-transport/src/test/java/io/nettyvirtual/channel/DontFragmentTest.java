package io.nettyvirtual.channel;

import static io.nettyvirtual.testing.Nets.addr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioChannelOption;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.network.Host;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.packet.Packet;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Don't-fragment as a Netty user asks for it ({@link VirtualChannelOption#IP_DONTFRAGMENT}, or NIO's
 * {@code ExtendedSocketOptions.IP_DONTFRAGMENT} through {@code NioChannelOption}), carried on the packet for the
 * link's MTU stage to act on.
 */
class DontFragmentTest {
    private static final InetSocketAddress A = addr("10.0.0.1", 1000);
    private static final InetSocketAddress B = addr("10.0.0.2", 2000);

    /** What NIO's {@code jdk.net.ExtendedSocketOptions.IP_DONTFRAGMENT} is on JDK 19+ (this builds on JDK 17). */
    private static final SocketOption<Boolean> JDK_IP_DONTFRAGMENT = new SocketOption<>() {
        @Override
        public String name() {
            return "IP_DONTFRAGMENT";
        }

        @Override
        public Class<Boolean> type() {
            return Boolean.class;
        }
    };

    /** Sends one datagram from a channel bootstrapped with {@code option = value}; the flags the link saw. */
    private static <T> List<Boolean> flagsOnTheWire(ChannelOption<T> option, T value, long seed) {
        List<Boolean> flags = new ArrayList<>();
        try (VirtualNetwork net = VirtualNetwork.create(seed)) {
            Host a = net.newHost("a", "10.0.0.1");
            Host b = net.newHost("b", "10.0.0.2");
            net.newWire(a, b, LinkConfig.ideal().filter((Packet p) -> {
                flags.add(p.dontFragment());
                return true; // nobody listens at b: drop it here
            }));
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Bootstrap bs = new Bootstrap()
                    .group(group)
                    .channel(VirtualDatagramChannel.class)
                    .handler(new ChannelInboundHandlerAdapter());
            if (option != null) {
                bs.option(option, value);
            }
            Channel ch = net.runUntil(bs.bind(A)).channel();
            if (option != null) {
                assertEquals(value, ch.config().getOption(option));
            }
            net.runUntil(ch.writeAndFlush(new DatagramPacket(Unpooled.copiedBuffer("df", StandardCharsets.UTF_8), B)));
            net.runUntilIdle();
            assertTrue(net.counters().isBalanced(), net.counters().toString());
        }
        return flags;
    }

    @Test
    void byDefaultADatagramMayBeFragmented() {
        assertEquals(List.of(false), flagsOnTheWire(null, null, 1));
    }

    @Test
    void theOptionMarksEveryDatagramNotToBeFragmented() {
        assertEquals(List.of(true), flagsOnTheWire(VirtualChannelOption.IP_DONTFRAGMENT, true, 2));
        assertEquals(List.of(false), flagsOnTheWire(VirtualChannelOption.IP_DONTFRAGMENT, false, 3));
    }

    @Test
    void nioExtendedSocketOptionsDontFragmentWorksUnchanged() {
        assertEquals(List.of(true), flagsOnTheWire(NioChannelOption.of(JDK_IP_DONTFRAGMENT), true, 4));
    }

    @Test
    void theOptionIsReportedAndCheckedAndTheConfigHasItsAccessors() {
        try (VirtualNetwork net = VirtualNetwork.create(5)) {
            net.newHost("a", "10.0.0.1");
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Channel ch = net.runUntil(new Bootstrap()
                            .group(group)
                            .channel(VirtualDatagramChannel.class)
                            .handler(new ChannelInboundHandlerAdapter())
                            .bind(A))
                    .channel();
            VirtualDatagramChannelConfig config = (VirtualDatagramChannelConfig) ch.config();
            assertFalse(config.isDontFragment());
            assertEquals(Boolean.FALSE, config.getOptions().get(VirtualChannelOption.IP_DONTFRAGMENT));
            assertTrue(config.setOption(VirtualChannelOption.IP_DONTFRAGMENT, true));
            assertTrue(config.isDontFragment());
            assertEquals(Boolean.TRUE, config.getOption(NioChannelOption.of(JDK_IP_DONTFRAGMENT)));
            config.setDontFragment(false);
            assertEquals(Boolean.FALSE, config.getOption(VirtualChannelOption.IP_DONTFRAGMENT));

            @SuppressWarnings({"unchecked", "rawtypes"})
            ChannelOption<Object> raw = (ChannelOption) VirtualChannelOption.IP_DONTFRAGMENT;
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> config.setOption(raw, "yes"));
            assertEquals("IP_DONTFRAGMENT: yes (expected a Boolean)", e.getMessage());
            assertThrows(
                    NullPointerException.class, () -> config.setOption(VirtualChannelOption.IP_DONTFRAGMENT, null));
        }
    }

    @Test
    void aPacketCarriesTheFlag() {
        Packet p = new Packet(A, B, Unpooled.EMPTY_BUFFER, null);
        assertFalse(p.dontFragment());
        p.dontFragment(true);
        assertTrue(p.dontFragment());
    }

    @Test
    void aLocalSendOverTheMtuWithDontFragmentFailsAsLinuxEmsgsize() {
        try (VirtualNetwork net = VirtualNetwork.create(77)) {
            Host a = net.newHost("a", "10.0.0.1");
            Host b = net.newHost("b", "10.0.0.2");
            net.newWire(a, b, LinkConfig.ideal().mtu(1280));
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            io.nettyvirtual.testing.Recorder rec = new io.nettyvirtual.testing.Recorder(net.clock());
            io.nettyvirtual.testing.Nets.bind(net, group, B, rec);
            Channel ch = net.runUntil(new Bootstrap()
                            .group(group)
                            .channel(VirtualDatagramChannel.class)
                            .option(VirtualChannelOption.IP_DONTFRAGMENT, true)
                            .handler(new ChannelInboundHandlerAdapter())
                            .bind(A))
                    .channel();
            io.netty.channel.ChannelFuture fits = ch.writeAndFlush(io.nettyvirtual.testing.Nets.sized(1252, B));
            io.netty.channel.ChannelFuture over = ch.writeAndFlush(io.nettyvirtual.testing.Nets.sized(1253, B));
            net.runUntilIdle();
            assertTrue(fits.isSuccess(), "1252 + 28 = 1280 fits");
            assertFalse(over.isSuccess());
            assertTrue(over.cause() instanceof java.net.SocketException, String.valueOf(over.cause()));
            assertTrue(
                    over.cause().getMessage().startsWith("Message too long: a 1281 B IP packet"),
                    over.cause().getMessage());
            assertTrue(
                    over.cause().getMessage().contains("MTU of 1280 B"),
                    over.cause().getMessage());
            assertEquals(1, rec.count(), "only the one that fits went out");
            assertEquals(1252, rec.last().size);
            assertTrue(ch.isOpen());
            assertTrue(net.counters().isBalanced());
        }
    }
}
