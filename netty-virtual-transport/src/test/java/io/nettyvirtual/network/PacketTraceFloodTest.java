package io.nettyvirtual.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.network.route.Allocations;
import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.trace.PacketTrace;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A hashing {@link PacketTrace} on the flood path of {@code PacketTapTest} allocates nothing per event (here, in
 * this package, because it sends ready-made packets through the package-private {@code Host.send(Packet)}).
 */
class PacketTraceFloodTest {
    private static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 1000);
    private static final InetSocketAddress B = new InetSocketAddress("10.0.0.2", 2000);

    @Test
    void aHashingTraceAllocatesNothingPerEvent() throws Exception {
        int n = 10_000;
        PacketTrace trace = PacketTrace.hashing();
        try (VirtualNetwork net = VirtualNetwork.create(52)) {
            Host a = net.newHost("a", "10.0.0.1");
            Host b = net.newHost("b", "10.0.0.2");
            Switch sw = net.newSwitch("sw");
            net.newWire(a, sw, LinkConfig.delayed(Duration.ofMillis(1)).queuePackets(2 * n));
            net.newWire(sw, b, LinkConfig.delayed(Duration.ofMillis(1)).queuePackets(2 * n));
            b.bind(
                    new DatagramEndpoint() {
                        @Override
                        public boolean accepts(InetSocketAddress sender) {
                            return true;
                        }

                        @Override
                        public boolean deliver(Packet packet) {
                            packet.content().release();
                            return true;
                        }

                        @Override
                        public void portUnreachable(InetSocketAddress destination) {}
                    },
                    B);
            net.addTap(trace);
            Packet[][] batches = new Packet[2][n];
            for (Packet[] batch : batches) {
                for (int i = 0; i < n; i++) {
                    batch[i] = new Packet(A, B, Unpooled.buffer(100).writeZero(100), null);
                }
            }
            int[] next = {0};
            long bytes = Allocations.bytesAllocated(1, () -> {
                for (Packet p : batches[next[0]]) {
                    a.send(p);
                }
                next[0]++;
                net.runUntilIdle();
            });
            assertEquals(2L * n * 12, trace.count(), "12 events per packet through two wires and a switch");
            assertTrue(bytes < n, bytes + " bytes allocated for " + n + " traced packets");
        }
    }
}
