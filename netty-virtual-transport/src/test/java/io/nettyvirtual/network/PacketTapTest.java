package io.nettyvirtual.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.network.route.Allocations;
import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.PacketTap;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The observer seam: a tap on the whole network and one on a link see the exact sequence of events, with virtual
 * times, of a datagram through a wire, a switch and a wire, and of one the switch drops; with nothing attached the
 * flood path allocates nothing.
 */
class PacketTapTest {
    private static final long MS = 1_000_000L;
    private static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 1000);
    private static final InetSocketAddress B = new InetSocketAddress("10.0.0.2", 2000);

    /** Records events as "ms EVENT element [reason]". */
    static final class Trace implements PacketTap {
        final List<String> lines = new ArrayList<>();

        @Override
        public void packet(
                long nanos, Event event, String element, Packet packet, io.nettyvirtual.stats.DropReason reason) {
            lines.add(nanos / MS + " " + event + " " + element + (reason == null ? "" : " " + reason) + " "
                    + packet.destination());
        }
    }

    @Test
    void aNetworkTapAndALinkTapSeeEveryEventInOrder() throws Exception {
        try (VirtualNetwork net = VirtualNetwork.create(51)) {
            Host a = net.newHost("a", "10.0.0.1");
            Host b = net.newHost("b", "10.0.0.2");
            Switch sw = net.newSwitch("sw");
            net.newWire(a, sw, LinkConfig.delayed(Duration.ofMillis(10)));
            Wire second = net.newWire(sw, b, LinkConfig.delayed(Duration.ofMillis(5)));
            b.bind(new IcmpTest.Socket(net), B);
            Trace all = new Trace();
            Trace link = new Trace();
            net.addTap(all);
            second.aToB().addTap(link);

            InetSocketAddress nobody = new InetSocketAddress("10.0.0.9", 9);
            a.send(A, B, Unpooled.buffer(4).writeZero(4), null);
            a.send(A, nobody, Unpooled.buffer(4).writeZero(4), null);
            net.runUntilIdle();

            String toB = " " + B;
            String toNobody = " " + nobody;
            assertEquals(
                    List.of(
                            "0 SENT network" + toB,
                            "0 ENTERED a" + toB,
                            "0 LEFT a" + toB,
                            "0 ENTERED wire1 a->sw" + toB,
                            "0 SENT network" + toNobody,
                            "0 ENTERED a" + toNobody,
                            "0 LEFT a" + toNobody,
                            "0 ENTERED wire1 a->sw" + toNobody,
                            "10 LEFT wire1 a->sw" + toB,
                            "10 ENTERED sw" + toB,
                            "10 LEFT sw" + toB,
                            "10 ENTERED wire2 sw->b" + toB,
                            "10 LEFT wire1 a->sw" + toNobody,
                            "10 ENTERED sw" + toNobody,
                            "10 DROPPED sw NO_ROUTE" + toNobody,
                            "15 LEFT wire2 sw->b" + toB,
                            "15 ENTERED b" + toB,
                            "15 LEFT b" + toB,
                            "15 DELIVERED network" + toB),
                    all.lines);
            assertEquals(List.of("10 ENTERED wire2 sw->b" + toB, "15 LEFT wire2 sw->b" + toB), link.lines);

            net.removeTap(all);
            second.aToB().removeTap(link);
            a.send(A, B, Unpooled.buffer(4).writeZero(4), null);
            net.runUntilIdle();
            assertEquals(19, all.lines.size(), "detached: no more events");
            assertEquals(2, link.lines.size());
        }
    }

    @Test
    void theFloodPathWithNoTapAllocatesNothing() throws Exception {
        int n = 10_000;
        try (VirtualNetwork net = VirtualNetwork.create(52)) {
            Host a = net.newHost("a", "10.0.0.1");
            Host b = net.newHost("b", "10.0.0.2");
            Switch sw = net.newSwitch("sw");
            net.newWire(a, sw, LinkConfig.delayed(Duration.ofMillis(1)).queuePackets(2 * n));
            net.newWire(sw, b, LinkConfig.delayed(Duration.ofMillis(1)).queuePackets(2 * n));
            long[] delivered = {0};
            b.bind(
                    new DatagramEndpoint() {
                        @Override
                        public boolean accepts(InetSocketAddress sender) {
                            return true;
                        }

                        @Override
                        public boolean deliver(Packet packet) {
                            delivered[0]++;
                            packet.content().release();
                            return true;
                        }

                        @Override
                        public void portUnreachable(InetSocketAddress destination) {}
                    },
                    B);
            Packet[][] batches = new Packet[2][n];
            for (Packet[] batch : batches) {
                for (int i = 0; i < n; i++) {
                    batch[i] = new Packet(A, B, Unpooled.buffer(100).writeZero(100), null);
                }
            }
            int[] next = {0};
            // One call sends a whole batch and runs it through: the first (warm-up) grows the queues once.
            long bytes = Allocations.bytesAllocated(1, () -> {
                for (Packet p : batches[next[0]]) {
                    a.send(p);
                }
                next[0]++;
                net.runUntilIdle();
            });
            assertEquals(2L * n, delivered[0]);
            assertTrue(bytes < n, bytes + " bytes allocated for " + n + " packets through two wires and a switch");
            assertTrue(net.counters().isBalanced());
        }
    }
}
