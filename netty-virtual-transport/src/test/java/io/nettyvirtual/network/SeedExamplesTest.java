package io.nettyvirtual.network;

import static io.nettyvirtual.testing.Nets.addr;
import static io.nettyvirtual.testing.Nets.bind;
import static io.nettyvirtual.testing.Nets.sized;
import static io.nettyvirtual.testing.Nets.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.channel.VirtualEventLoopGroup;
import io.nettyvirtual.channel.VirtualSockets;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.testing.Echo;
import io.nettyvirtual.testing.Recorder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The three examples of the seed crate's README, as tests. */
class SeedExamplesTest {

    @Test
    void echoOverAPlainWire() {
        try (VirtualNetwork net = VirtualNetwork.create(1)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Host a = net.newHost("a", "10.0.0.11");
            Host b = net.newHost("b", "10.0.0.99");
            net.newWire(a, b);
            Recorder rec = new Recorder(net.clock());
            Channel ca = bind(net, group, addr("10.0.0.11", 1000), rec);
            bind(net, group, addr("10.0.0.99", 2000), new Echo());

            ca.writeAndFlush(text("Hello, world!", addr("10.0.0.99", 2000)));
            assertTrue(net.runUntil(() -> rec.count() == 1));

            assertEquals("Hello, world!", rec.last().text);
            assertEquals(addr("10.0.0.99", 2000), rec.last().sender);
            assertEquals(addr("10.0.0.11", 1000), rec.last().recipient);
            assertEquals(0, rec.last().nanos, "an ideal wire takes no time");
            assertTrue(net.counters().isBalanced());
            assertEquals(2, net.counters().delivered());
        }
    }

    @Test
    void delayedWireRoundTripTakesExactlyTwiceTheDelay() {
        try (VirtualNetwork net = VirtualNetwork.create(2)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Host a = net.newHost("a", "10.0.0.11");
            Host b = net.newHost("b", "10.0.0.99");
            net.newWire(a, b, LinkConfig.delayed(Duration.ofMillis(50)));
            Recorder rec = new Recorder(net.clock());
            Channel ca = bind(net, group, addr("10.0.0.11", 1000), rec);
            bind(net, group, addr("10.0.0.99", 2000), new Echo());

            ca.writeAndFlush(text("ping", addr("10.0.0.99", 2000)));
            assertTrue(net.runUntil(() -> rec.count() == 1));

            assertEquals(Duration.ofMillis(100).toNanos(), rec.last().nanos);
            assertEquals(Duration.ofMillis(100).toNanos(), net.clock().nanoTime());
        }
    }

    @Test
    void limitedWireDelivers320kBytesIn10Seconds() {
        try (VirtualNetwork net = VirtualNetwork.create(3)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Host a = net.newHost("a", "10.0.0.11");
            Host b = net.newHost("b", "10.0.0.99");
            net.newWire(a, b, LinkConfig.limited(32_000));
            Recorder rec = new Recorder(net.clock());
            Channel ca = bind(net, group, addr("10.0.0.11", 1000), new Echo());
            bind(net, group, addr("10.0.0.99", 2000), rec);

            // 320 datagrams of 1,000 bytes: 10 s of serialization at 32,000 bytes per second.
            for (int i = 0; i < 320; i++) {
                ca.write(sized(1000, addr("10.0.0.99", 2000)));
            }
            ca.flush();
            assertTrue(net.runUntil(() -> rec.bytes == 320_000));

            long serializationOfOne = Duration.ofMillis(1000 * 1000 / 32_000).toNanos() / 1000 * 1000;
            long done = rec.last().nanos;
            assertEquals(
                    Duration.ofSeconds(10).toNanos(),
                    done,
                    "the last byte arrives after exactly 10 s of serialization");
            assertTrue(serializationOfOne > 0);
            assertEquals(0, net.counters().dropped());
        }
    }

    @Test
    void switchWithSocketsPluggedInAndOutWhileRunning() {
        try (VirtualNetwork net = VirtualNetwork.create(4)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Switch sw = net.newSwitch("switch");
            Recorder rec42 = new Recorder(net.clock());
            Recorder rec111 = new Recorder(net.clock());
            Channel s42 = net.runUntil(VirtualSockets.connectSocket(sw, group, addr("10.0.0.42", 7), rec42))
                    .channel();
            Channel s111 = net.runUntil(VirtualSockets.connectSocket(sw, group, addr("10.0.0.111", 7), rec111))
                    .channel();

            s42.writeAndFlush(text("to 111", addr("10.0.0.111", 7)));
            s111.writeAndFlush(text("to 42", addr("10.0.0.42", 7)));
            net.runUntilIdle();
            assertEquals("to 111", rec111.last().text);
            assertEquals("to 42", rec42.last().text);

            // Unplug 111 while running: its datagrams now have no route; plug it back and they flow again.
            Host h111 = net.hostOwning(addr("10.0.0.111", 7).getAddress());
            sw.unplug(h111);
            s42.writeAndFlush(text("lost", addr("10.0.0.111", 7)));
            net.runUntilIdle();
            assertEquals(1, rec111.count());
            assertEquals(1, sw.counters().dropped(DropReason.NO_ROUTE));
            assertFalse(h111.isPlugged());

            sw.plug(h111);
            s42.writeAndFlush(text("back", addr("10.0.0.111", 7)));
            net.runUntilIdle();
            assertEquals("back", rec111.last().text);

            // A third socket joins later and is reachable at once.
            Recorder rec7 = new Recorder(net.clock());
            net.runUntil(VirtualSockets.connectSocket(sw, group, addr("10.0.0.7", 9), rec7));
            s111.writeAndFlush(text("hi 7", addr("10.0.0.7", 9)));
            net.runUntilIdle();
            assertEquals("hi 7", rec7.last().text);
            assertTrue(net.counters().isBalanced());
        }
    }

    @Test
    void socketsConnectedToTheEndsOfAFreeWire() {
        try (VirtualNetwork net = VirtualNetwork.create(5)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Wire wire = net.newWire(LinkConfig.delayed(Duration.ofMillis(50)));
            Recorder rec = new Recorder(net.clock());
            Channel s11 = net.runUntil(VirtualSockets.connectSocket(wire.start(), group, addr("10.0.0.11", 1), rec))
                    .channel();
            net.runUntil(VirtualSockets.connectSocket(wire.end(), group, addr("10.0.0.99", 1), new Echo()));

            s11.writeAndFlush(text("Hello, world!", addr("10.0.0.99", 1)));
            assertTrue(net.runUntil(() -> rec.count() == 1));
            assertEquals("Hello, world!", rec.last().text);
            assertEquals(100_000_000L, rec.last().nanos);

            // Unplug one end while a datagram is on the wire: it is dropped and counted.
            s11.writeAndFlush(text("lost", addr("10.0.0.99", 1)));
            net.runFor(Duration.ofMillis(10));
            wire.end().unplug();
            net.runUntilIdle();
            assertEquals(1, rec.count());
            assertEquals(1, wire.aToB().counters().dropped(DropReason.UNPLUGGED));
            assertTrue(net.counters().isBalanced());
        }
    }
}
