package io.nettyvirtual.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.packet.IpProtocol;
import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.stats.PacketCounters;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Port unreachable travels back as an ICMP packet through the network: it crosses the links with their delay, can
 * be filtered like any packet, reaches the socket bound at the datagram's source, and is counted exactly. Uses
 * endpoints bound straight on the hosts (no channel), so that the network model alone is under test.
 */
class IcmpTest {
    private static final long MS = 1_000_000L;
    private static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 1000);
    private static final InetSocketAddress B_CLOSED = new InetSocketAddress("10.0.0.2", 9);

    /** A socket as the network sees it: records deliveries and port-unreachable reports with their times. */
    static final class Socket implements DatagramEndpoint {
        final VirtualNetwork net;
        final List<String> events = new ArrayList<>();

        Socket(VirtualNetwork net) {
            this.net = net;
        }

        @Override
        public boolean accepts(InetSocketAddress sender) {
            return true;
        }

        @Override
        public boolean deliver(Packet packet) {
            events.add(net.clock().nanoTime() / MS + " ms: datagram from " + packet.source());
            packet.content().release();
            return true;
        }

        @Override
        public void portUnreachable(InetSocketAddress destination) {
            events.add(net.clock().nanoTime() / MS + " ms: unreachable " + destination);
        }
    }

    private static void send(Host from, InetSocketAddress src, InetSocketAddress dst) {
        from.send(src, dst, Unpooled.buffer(10).writeZero(10), null);
    }

    @Test
    void theErrorCrossesTheWireBackWithItsDelay() throws Exception {
        try (VirtualNetwork net = VirtualNetwork.create(1)) {
            Host a = net.newHost("a", "10.0.0.1");
            Host b = net.newHost("b", "10.0.0.2");
            Wire w = net.newWire(
                    a, b, LinkConfig.delayed(Duration.ofMillis(20)), LinkConfig.delayed(Duration.ofMillis(30)));
            Socket s = new Socket(net);
            a.bind(s, A);
            send(a, A, B_CLOSED);
            net.runUntilIdle();
            assertEquals(List.of("50 ms: unreachable " + B_CLOSED), s.events, "20 ms there, 30 ms back");
            PacketCounters t = net.counters();
            assertEquals(2, t.sent(), "the datagram, and the ICMP error b made");
            assertEquals(1, t.delivered(), "the error, consumed by a's socket");
            assertEquals(1, t.dropped(DropReason.PORT_UNREACHABLE));
            assertEquals(10 + 16, t.sentBytes(), "10 payload bytes, and 8 ICMP header bytes quoting 8 of them");
            assertTrue(t.isBalanced());
            assertEquals(1, w.bToA().counters().delivered(), "the error crossed the wire b->a");
        }
    }

    @Test
    void aFilteredErrorNeverArrives() throws Exception {
        try (VirtualNetwork net = VirtualNetwork.create(2)) {
            Host a = net.newHost("a", "10.0.0.1");
            Host b = net.newHost("b", "10.0.0.2");
            Wire w = net.newWire(a, b, LinkConfig.delayed(Duration.ofMillis(5)));
            w.bToA().update(c -> c.filter(p -> p.protocol() == IpProtocol.ICMP));
            Socket s = new Socket(net);
            a.bind(s, A);
            send(a, A, B_CLOSED);
            net.runUntilIdle();
            assertEquals(List.of(), s.events);
            assertEquals(1, w.bToA().counters().dropped(DropReason.FILTERED));
            assertEquals(2, net.counters().sent());
            assertEquals(0, net.counters().inFlight());
        }
    }

    @Test
    void noErrorIsSentAboutAnError() throws Exception {
        try (VirtualNetwork net = VirtualNetwork.create(3)) {
            Host a = net.newHost("a", "10.0.0.1");
            Host b = net.newHost("b", "10.0.0.2");
            net.newWire(a, b, LinkConfig.delayed(Duration.ofMillis(5)));
            Socket s = new Socket(net);
            a.bind(s, A);
            send(a, A, B_CLOSED);
            a.unbind(s, A); // gone before the error comes back at 10 ms
            net.runUntilIdle();
            assertEquals(List.of(), s.events);
            PacketCounters t = net.counters();
            assertEquals(2, t.sent(), "the datagram and one error: none about the error that found no socket");
            assertEquals(2, t.dropped(DropReason.PORT_UNREACHABLE));
            assertEquals(1, b.counters().dropped(DropReason.PORT_UNREACHABLE));
            assertEquals(1, a.counters().dropped(DropReason.PORT_UNREACHABLE));
            assertTrue(t.isBalanced());
        }
    }

    @Test
    void aLocalDatagramToAClosedPortGetsItsErrorAtOnce() throws Exception {
        try (VirtualNetwork net = VirtualNetwork.create(4)) {
            Host a = net.newHost("a", "10.0.0.1");
            Socket s = new Socket(net);
            a.bind(s, A);
            net.runFor(Duration.ofMillis(7));
            send(a, A, new InetSocketAddress("10.0.0.1", 9));
            net.runUntilIdle();
            assertEquals(List.of("7 ms: unreachable /10.0.0.1:9"), s.events, "no wire: no delay");
            assertEquals(2, net.counters().sent());
            assertEquals(1, net.counters().delivered());
        }
    }
}
