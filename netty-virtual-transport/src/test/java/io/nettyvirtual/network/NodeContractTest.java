package io.nettyvirtual.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.stats.DropReason;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The node contract, shown with a test-only element ({@link Repeater}, one file): it plugs into wires, makes its own
 * forwarding decision, is seen through by a switch's table of its broadcast domain, and tells that domain when it
 * changes.
 */
class NodeContractTest {
    private static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 1000);
    private static final InetSocketAddress B = new InetSocketAddress("10.0.0.2", 2000);

    @Test
    void aRepeaterBetweenAHostAndASwitchCarriesPacketsAndFollowsUnplugging() throws Exception {
        try (VirtualNetwork net = VirtualNetwork.create(41)) {
            Host a = net.newHost("a", "10.0.0.1");
            Host b = net.newHost("b", "10.0.0.2");
            Switch sw = net.newSwitch("sw").plug(b);
            Repeater r = Repeater.create(net.model(), "r");
            net.newWire(a, r, LinkConfig.delayed(Duration.ofMillis(10)));
            Wire toSwitch = net.newWire(r, sw, LinkConfig.delayed(Duration.ofMillis(5)));
            IcmpTest.Socket atA = new IcmpTest.Socket(net);
            IcmpTest.Socket atB = new IcmpTest.Socket(net);
            a.bind(atA, A);
            b.bind(atB, B);

            a.send(A, B, io.netty.buffer.Unpooled.buffer(4).writeZero(4), null);
            net.runUntilIdle();
            assertEquals(List.of("15 ms: datagram from " + A), atB.events, "10 ms to the repeater, 5 ms on");
            b.send(B, A, io.netty.buffer.Unpooled.buffer(4).writeZero(4), null);
            net.runUntilIdle();
            assertEquals(List.of("30 ms: datagram from " + B), atA.events, "the switch's table sees through it");
            assertEquals(2, r.counters().delivered());
            assertTrue(net.nodes().contains(r), "registered with the model like any node");

            toSwitch.unplug();
            b.send(B, A, io.netty.buffer.Unpooled.buffer(4).writeZero(4), null);
            a.send(A, B, io.netty.buffer.Unpooled.buffer(4).writeZero(4), null);
            net.runUntilIdle();
            assertEquals(1, sw.counters().dropped(DropReason.NO_ROUTE), "the switch's domain changed: a is gone");
            assertEquals(1, r.counters().dropped(DropReason.NO_ROUTE), "the repeater's other side is unplugged");
            assertEquals(1, atA.events.size());
            assertEquals(1, atB.events.size());
            assertTrue(net.counters().isBalanced());
        }
    }
}
