package io.nettyvirtual.network;

import static io.nettyvirtual.testing.Nets.addr;
import static io.nettyvirtual.testing.Nets.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.channel.VirtualEventLoopGroup;
import io.nettyvirtual.channel.VirtualSockets;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.testing.Recorder;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Routing through switches: across wires between switches, after topology changes, and with many hosts. */
class SwitchRoutingTest {

    @Test
    void routesAcrossTwoSwitchesAndFollowsUnplugging() {
        try (VirtualNetwork net = VirtualNetwork.create(31)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Switch left = net.newSwitch("left");
            Switch right = net.newSwitch("right");
            Wire trunk = net.newWire(left, right, LinkConfig.delayed(Duration.ofMillis(1)));
            Recorder atB = new Recorder(net.clock());
            Recorder atC = new Recorder(net.clock());
            Channel a = net.runUntil(
                            VirtualSockets.connectSocket(left, group, addr("10.0.1.1", 7), new Recorder(net.clock())))
                    .channel();
            net.runUntil(VirtualSockets.connectSocket(right, group, addr("10.0.2.1", 7), atB));
            net.runUntil(VirtualSockets.connectSocket(left, group, addr("10.0.1.2", 7), atC));

            a.writeAndFlush(text("over the trunk", addr("10.0.2.1", 7)));
            a.writeAndFlush(text("same switch", addr("10.0.1.2", 7)));
            net.runUntilIdle();
            assertEquals("over the trunk", atB.last().text);
            assertEquals(1_000_000, atB.last().nanos, "one trunk hop of 1 ms");
            assertEquals("same switch", atC.last().text);
            assertEquals(0, atC.last().nanos);

            trunk.unplug();
            a.writeAndFlush(text("lost", addr("10.0.2.1", 7)));
            net.runUntilIdle();
            assertEquals(1, atB.count());
            assertEquals(1, left.counters().dropped(DropReason.NO_ROUTE));
            assertTrue(net.counters().isBalanced());
        }
    }

    @Test
    void manyHostsOnOneSwitchAllTalk() {
        int n = 5_000;
        try (VirtualNetwork net = VirtualNetwork.create(32)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Switch sw = net.newSwitch("s");
            Recorder rec = new Recorder(net.clock());
            Channel[] chs = new Channel[n];
            for (int i = 0; i < n; i++) {
                chs[i] = VirtualSockets.connectSocket(sw, group, host(i), rec).channel();
            }
            net.runUntilIdle();
            for (int i = 0; i < n; i++) {
                chs[i].writeAndFlush(text("hi", host((i + 1) % n)));
            }
            // Every destination is new to the switch: this must not cost a scan of all ports per destination.
            assertTrue(net.runUntil(() -> rec.count() == n));
            assertEquals(0, net.counters().dropped());
        }
    }

    private static InetSocketAddress host(int i) {
        return addr("10.1." + (i / 250) + "." + (i % 250 + 1), 9);
    }

    @Test
    void aHostPluggedIntoTheFarEndOfAWireOnASwitchIsReachedAfterTheTableWasBuilt() {
        try (VirtualNetwork net = VirtualNetwork.create(33)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Switch sw = net.newSwitch("sw");
            Wire w = net.newWire(LinkConfig.delayed(Duration.ofMillis(1)));
            w.start().plug(sw);
            Channel b = net.runUntil(
                            VirtualSockets.connectSocket(sw, group, addr("10.0.0.2", 7), new Recorder(net.clock())))
                    .channel();
            b.writeAndFlush(text("nobody yet", addr("10.0.0.1", 7)));
            net.runUntilIdle();
            assertEquals(1, sw.counters().dropped(DropReason.NO_ROUTE), "the table is built, without 10.0.0.1");
            Recorder atA = new Recorder(net.clock());
            net.runUntil(VirtualSockets.connectSocket(w.end(), group, addr("10.0.0.1", 7), atA));
            b.writeAndFlush(text("now", addr("10.0.0.1", 7)));
            net.runUntilIdle();
            assertEquals(1, atA.count(), "the switch learned of the host on the wire's far end");
            assertTrue(net.counters().isBalanced());
        }
    }
}
