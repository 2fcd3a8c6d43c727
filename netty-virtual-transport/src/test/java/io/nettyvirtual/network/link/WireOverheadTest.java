package io.nettyvirtual.network.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;
import java.net.InetSocketAddress;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.junit.jupiter.api.Test;

/** Bytes on the wire (IP, UDP, framing) in the rate limiter, and the MTU's fragments and don't-fragment drops. */
class WireOverheadTest {
    private static final long US = 1_000L;
    private static final InetSocketAddress FROM6 = new InetSocketAddress("fd00::1", 1);
    private static final InetSocketAddress TO6 = new InetSocketAddress("fd00::2", 2);

    @Test
    void theDefaultCountsThePayloadOnly() throws Exception {
        try (ChainRig rig = new ChainRig(1, LinkConfig.limited(1_000_000))) {
            assertEquals(-1, rig.chain.config().overhead());
            rig.send(2, 1000);
            rig.sim.runUntilIdle();
            assertArrayEquals(new long[] {1000 * US, 2000 * US}, rig.arrivalTimes());
        }
    }

    @Test
    void ipv4CountsTwentyEightBytesOfHeadersPlusTheFraming() throws Exception {
        try (ChainRig rig = new ChainRig(2, LinkConfig.limited(1_000_000).overhead(14))) {
            rig.send(2, 1000); // 1000 + 20 + 8 + 14 = 1042 B: 1.042 ms each
            rig.sim.runUntilIdle();
            assertArrayEquals(new long[] {1042 * US, 2084 * US}, rig.arrivalTimes());
            assertEquals(1000, rig.arrivals.get(0).size, "counters and receivers still see the payload");
            assertEquals(2000, rig.counters().deliveredBytes());
        }
    }

    @Test
    void ipv6CountsFortyEightBytesOfHeaders() throws Exception {
        try (ChainRig rig = new ChainRig(3, LinkConfig.limited(1_000_000).overhead(0))) {
            rig.send(new Packet(FROM6, TO6, Unpooled.buffer(1000).writeZero(1000), null));
            rig.sim.runUntilIdle();
            assertArrayEquals(new long[] {1048 * US}, rig.arrivalTimes());
        }
    }

    /**
     * The fidelity check against Linux: 1,200 B datagrams through {@code tbf} at 10 Mbit/s with 42 B of overhead
     * each (14 B Ethernet, 20 B IPv4, 8 B UDP) carry 9.66 Mbit/s of payload.
     */
    @Test
    void twelveHundredBytePayloadsThroughTenMegabitsGiveNinePointSixSixMegabitsOfGoodput() throws Exception {
        int n = 10_000;
        try (ChainRig rig = new ChainRig(
                4, LinkConfig.ideal().bitsPerSecond(10_000_000).overhead(14).queuePackets(n))) {
            rig.send(n, 1200);
            rig.sim.runUntilIdle();
            assertEquals(n, rig.arrivals.size());
            long last = rig.arrivals.get(n - 1).nanos;
            assertEquals(n * 993_600L, last, "1242 B * 8 / 10 Mbit/s = 993.6 us per datagram, exactly");
            double goodput = n * 1200 * 8.0 / (last / 1e9);
            assertEquals(9.66e6, goodput, 9.66e6 * 0.01, "payload goodput in bit/s: " + goodput);
        }
    }

    @Test
    void aDatagramOverTheMtuIsFragmentedAndEachFragmentCarriesItsHeaders() throws Exception {
        try (ChainRig rig =
                new ChainRig(5, LinkConfig.limited(1_000_000).overhead(14).mtu(1500))) {
            // UDP 3008 B in fragments of at most 1480 B of data: 3 IP packets, each 20 + 14 B of headers.
            rig.send(1, 3000);
            rig.send(1, 1472); // 1472 + 28 = 1500: fits in one
            rig.send(1, 1473); // one byte more: two fragments
            rig.sim.runUntilIdle();
            long first = 3008 + 3 * 34;
            long second = first + 1472 + 28 + 14;
            long third = second + 1473 + 8 + 2 * 34;
            assertArrayEquals(new long[] {first * US, second * US, third * US}, rig.arrivalTimes());
        }
    }

    @Test
    void ipv6FragmentsCarryTheFragmentHeader() throws Exception {
        try (ChainRig rig =
                new ChainRig(6, LinkConfig.limited(1_000_000).overhead(0).mtu(1280))) {
            // UDP 2008 B; per fragment (1280 - 40 - 8) & ~7 = 1232 B of data: 2 fragments of 48 B of headers.
            rig.send(new Packet(FROM6, TO6, Unpooled.buffer(2000).writeZero(2000), null));
            rig.sim.runUntilIdle();
            assertArrayEquals(new long[] {(2008 + 2 * 48) * US}, rig.arrivalTimes());
        }
    }

    @Test
    void dontFragmentOverTheMtuIsDroppedAtTheEntryAndCounted() throws Exception {
        try (ChainRig rig = new ChainRig(7, LinkConfig.limited(1_000_000).mtu(1500))) {
            rig.send(rig.packet(1473).dontFragment(true));
            rig.send(rig.packet(1472).dontFragment(true));
            rig.sim.runUntilIdle();
            assertEquals(1, rig.counters().dropped(DropReason.MTU_EXCEEDED));
            assertEquals(1, rig.arrivals.size());
            assertEquals(1472, rig.arrivals.get(0).size);
            assertEquals("Mtu -> Serializer -> Propagation -> Delivery", rig.chain.toString());
        }
    }

    @Test
    void aDatagramIsLostWhenAnyOfItsFragmentsIs() throws Exception {
        int n = 20_000;
        double p = 0.1;
        try (ChainRig rig = new ChainRig(8, LinkConfig.ideal().mtu(1500).loss(p))) {
            rig.send(n, 4000); // 4008 B of UDP: 3 fragments
            long lost = rig.counters().dropped(DropReason.FRAGMENT_LOST);
            assertEquals(0, rig.counters().dropped(DropReason.LOSS));
            assertEquals(n, lost + rig.arrivals.size());
            BinomialDistribution expected = new BinomialDistribution(n, 1 - Math.pow(1 - p, 3));
            assertTrue(
                    lost >= expected.inverseCumulativeProbability(0.0005)
                            && lost <= expected.inverseCumulativeProbability(0.9995),
                    "lost " + lost + " of " + n + ", expected about " + expected.getNumericalMean());
        }
    }
}
