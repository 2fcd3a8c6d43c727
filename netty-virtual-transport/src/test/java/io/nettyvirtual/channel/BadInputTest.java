package io.nettyvirtual.channel;

import static io.nettyvirtual.testing.Nets.addr;
import static io.nettyvirtual.testing.Nets.bind;
import static io.nettyvirtual.testing.Nets.sized;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.network.Host;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.testing.Recorder;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Bad input gets an early, clear error that names the bad value, and nothing leaks. */
class BadInputTest {

    private static void assertMentions(Throwable t, String value) {
        assertTrue(
                String.valueOf(t.getMessage()).contains(value),
                "message should name '" + value + "': " + t.getMessage());
    }

    @Test
    void negativeDelay() {
        assertMentions(
                assertThrows(IllegalArgumentException.class, () -> LinkConfig.delayed(Duration.ofMillis(-5))),
                "-0.005");
    }

    @Test
    void nanDelay() {
        assertMentions(
                assertThrows(IllegalArgumentException.class, () -> new LinkConfig().delayMillis(Double.NaN)), "NaN");
    }

    @Test
    void zeroAndNegativeBandwidth() {
        assertMentions(assertThrows(IllegalArgumentException.class, () -> LinkConfig.limited(0)), "0 bytes/s");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> LinkConfig.limited(-10)), "-10");
    }

    @Test
    void negativeSlot() {
        assertMentions(
                assertThrows(IllegalArgumentException.class, () -> new LinkConfig().slot(Duration.ofMillis(-3))),
                "-0.003");
        try (VirtualNetwork net = VirtualNetwork.create(32)) {
            var w = net.newWire(net.newHost("a", "10.0.0.1"), net.newHost("b", "10.0.0.2"));
            assertMentions(
                    assertThrows(IllegalArgumentException.class, () -> w.update(c -> c.slot(Duration.ofNanos(-1)))),
                    "PT-0.000000001S");
        }
    }

    @Test
    void lossOutsideZeroToOne() {
        assertMentions(assertThrows(IllegalArgumentException.class, () -> new LinkConfig().loss(1.5)), "1.5");
    }

    @Test
    void changingAWireToABadValue() {
        try (VirtualNetwork net = VirtualNetwork.create(31)) {
            var w = net.newWire(net.newHost("a", "10.0.0.1"), net.newHost("b", "10.0.0.2"));
            assertMentions(assertThrows(IllegalArgumentException.class, () -> w.update(c -> c.bytesPerSecond(0))), "0");
            assertMentions(
                    assertThrows(IllegalArgumentException.class, () -> w.update(c -> c.delay(Duration.ofSeconds(-1)))),
                    "-1");
        }
    }

    @Test
    void addressThatIsNotALiteralOrTaken() {
        try (VirtualNetwork net = VirtualNetwork.create(32)) {
            assertMentions(
                    assertThrows(IllegalArgumentException.class, () -> net.newHost("x", "not-an-ip")), "not-an-ip");
            net.newHost("a", "10.0.0.1");
            assertMentions(
                    assertThrows(IllegalArgumentException.class, () -> net.newHost("b", "10.0.0.1")), "10.0.0.1");
        }
    }

    @Test
    void unresolvedRecipient() {
        try (VirtualNetwork net = VirtualNetwork.create(33)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Channel ch = bind(net, group, addr("127.0.0.1", 1000), new Recorder(net.clock()));
            ChannelFuture f = ch.writeAndFlush(sized(10, InetSocketAddress.createUnresolved("example.invalid", 53)));
            net.runUntil(f);
            assertInstanceOf(UnresolvedAddressException.class, f.cause());
            assertMentions(f.cause(), "example.invalid");
        }
    }

    @Test
    void datagramOverTheUdpMaximum() {
        try (VirtualNetwork net = VirtualNetwork.create(34)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Recorder rec = new Recorder(net.clock());
            Channel ch = bind(net, group, addr("127.0.0.1", 1000), rec);
            ChannelFuture f = ch.writeAndFlush(sized(65_508, addr("127.0.0.1", 1000)));
            net.runUntil(f);
            assertFalse(f.isSuccess());
            assertMentions(f.cause(), "65508");
            ChannelFuture ok = ch.writeAndFlush(sized(65_507, addr("127.0.0.1", 1000)));
            net.runUntil(ok);
            net.runUntilIdle();
            assertTrue(ok.isSuccess());
            assertEquals(65_507, rec.last().size, "the largest datagram arrives whole");
        }
    }

    @Test
    void writeOnAClosedChannel() {
        try (VirtualNetwork net = VirtualNetwork.create(35)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Channel ch = bind(net, group, addr("127.0.0.1", 1000), new Recorder(net.clock()));
            net.runUntil(ch.close());
            ChannelFuture f = ch.writeAndFlush(sized(10, addr("127.0.0.1", 1000)));
            net.runUntil(f);
            assertInstanceOf(ClosedChannelException.class, f.cause());
            assertMentions(f.cause(), "127.0.0.1:1000");
        }
    }

    @Test
    void secondBindToATakenAddress() {
        try (VirtualNetwork net = VirtualNetwork.create(36)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Host h = net.newHost("h", "10.0.0.1");
            bind(net, group, addr("10.0.0.1", 53), new Recorder(net.clock()));
            ChannelFuture second = new Bootstrap()
                    .group(group)
                    .channel(VirtualDatagramChannel.class)
                    .handler(new Recorder(net.clock()))
                    .bind(addr("10.0.0.1", 53));
            net.runUntil(second);
            assertInstanceOf(BindException.class, second.cause());
            assertMentions(second.cause(), "10.0.0.1:53");
            assertTrue(h.addresses().size() == 1);
        }
    }

    @Test
    void bindToAnAddressNoHostOwns() {
        try (VirtualNetwork net = VirtualNetwork.create(37)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            ChannelFuture f = new Bootstrap()
                    .group(group)
                    .channel(VirtualDatagramChannel.class)
                    .handler(new Recorder(net.clock()))
                    .bind(addr("10.9.9.9", 53));
            net.runUntil(f);
            assertInstanceOf(BindException.class, f.cause());
            assertMentions(f.cause(), "10.9.9.9");
        }
    }

    @Test
    void blockingOnASimulationFutureNothingCanCompleteFailsAtOnce() {
        try (VirtualNetwork net = VirtualNetwork.create(38)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Channel ch = bind(net, group, addr("127.0.0.1", 1000), new Recorder(net.clock()));
            IllegalStateException e = assertThrows(
                    IllegalStateException.class, () -> ch.newPromise().sync());
            assertMentions(e, "seed 38");
        }
    }

    @Test
    void runUntilAFutureThatCannotCompleteFailsNamingTheSeed() {
        try (VirtualNetwork net = VirtualNetwork.create(39)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Channel ch = bind(net, group, addr("127.0.0.1", 1000), new Recorder(net.clock()));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> net.runUntil(ch.closeFuture()));
            assertMentions(e, "seed 39");
        }
    }
}
