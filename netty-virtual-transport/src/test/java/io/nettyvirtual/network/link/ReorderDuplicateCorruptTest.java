package io.nettyvirtual.network.link;

import static io.nettyvirtual.network.link.ChainRig.MS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.stats.PacketCounters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.junit.jupiter.api.Test;

/** netem's reorder (exact gap pattern), duplicate (conservation with the copy) and corrupt (one flipped bit). */
class ReorderDuplicateCorruptTest {
    private static void assertInBinomialInterval(long seed, long count, int n, double p) {
        BinomialDistribution b = new BinomialDistribution(n, p);
        assertTrue(
                count >= b.inverseCumulativeProbability(0.0005) && count <= b.inverseCumulativeProbability(0.9995),
                "seed " + seed + ": " + count + " of " + n + ", expected about " + b.getNumericalMean());
    }

    @Test
    void reorderGapFiveSendsEveryFifthPacketAtOnce() throws Exception {
        try (ChainRig rig =
                new ChainRig(41, LinkConfig.delayed(Duration.ofMillis(10)).reorder(1.0, 0, 5))) {
            for (int i = 0; i < 10; i++) {
                rig.sendAt(i * MS, i + 1); // packet i + 1 at i ms
            }
            rig.sim.runUntilIdle();
            int[] sizes = rig.arrivals.stream().mapToInt(a -> a.size).toArray();
            assertArrayEquals(new int[] {5, 10, 1, 2, 3, 4, 6, 7, 8, 9}, sizes, "the fifth and tenth overtake");
            assertArrayEquals(
                    new long[] {4 * MS, 9 * MS, 10 * MS, 11 * MS, 12 * MS, 13 * MS, 15 * MS, 16 * MS, 17 * MS, 18 * MS},
                    rig.arrivalTimes());
        }
    }

    @Test
    void reorderWithGapOneSendsEachPacketAtOnceWithTheProbability() throws Exception {
        long seed = 42;
        int n = 20_000;
        try (ChainRig rig =
                new ChainRig(seed, LinkConfig.delayed(Duration.ofMillis(10)).reorder(0.25, 0, 1))) {
            rig.send(n, 10);
            assertInBinomialInterval(seed, rig.arrivals.size(), n, 0.25); // those sent at once arrived already
            rig.sim.runUntilIdle();
            assertEquals(n, rig.arrivals.size());
        }
    }

    @Test
    void aDuplicateCountsAsSentIntoTheLinkSoConservationStaysExact() throws Exception {
        try (ChainRig rig =
                new ChainRig(43, LinkConfig.delayed(Duration.ofMillis(5)).duplicate(1.0))) {
            rig.send(10, 100);
            rig.assertExact();
            assertEquals(20, rig.counters().sent());
            assertEquals(20, rig.counters().inFlight());
            rig.sim.runUntilIdle();
            PacketCounters c = rig.counters();
            assertEquals(20, c.delivered());
            assertEquals(2000, c.deliveredBytes());
            assertEquals(10, rig.credits.size(), "only the original returns send credit");
        }
    }

    @Test
    void duplicationHappensWithItsProbability() throws Exception {
        long seed = 44;
        int n = 20_000;
        try (ChainRig rig = new ChainRig(seed, LinkConfig.ideal().duplicate(0.1))) {
            rig.send(n, 10);
            assertInBinomialInterval(seed, rig.arrivals.size() - n, n, 0.1);
            assertEquals(rig.arrivals.size(), rig.counters().sent());
        }
    }

    @Test
    void aCorruptedPacketIsDroppedAsByTheUdpChecksum() throws Exception {
        long seed = 45;
        int n = 20_000;
        try (ChainRig rig = new ChainRig(seed, LinkConfig.ideal().corrupt(0.05))) {
            rig.send(n, 10);
            long corrupted = rig.counters().dropped(DropReason.CORRUPTED);
            assertInBinomialInterval(seed, corrupted, n, 0.05);
            assertEquals(n, corrupted + rig.arrivals.size());
        }
    }

    @Test
    void eachCopyOfADuplicateIsCorruptedOnItsOwnByOneFlippedBit() throws Exception {
        List<Integer> flipped = new ArrayList<>();
        try (ChainRig rig =
                new ChainRig(46, LinkConfig.ideal().duplicate(1.0).corrupt(1.0).deliverCorrupted(true))) {
            rig.chain.attach(p -> {
                ByteBuf b = p.content();
                int bits = 0;
                for (int i = b.readerIndex(); i < b.writerIndex(); i++) {
                    bits += Integer.bitCount(b.getByte(i) & 0xff);
                }
                flipped.add(bits);
                rig.total.out(p);
                p.release();
            });
            rig.send(50, 64);
            assertEquals(100, flipped.size());
            assertTrue(flipped.stream().allMatch(b -> b == 1), "one bit each, never the other copy's: " + flipped);
        }
    }

    @Test
    void anEmptyPayloadHasNoBitToFlip() throws Exception {
        try (ChainRig rig = new ChainRig(47, LinkConfig.ideal().corrupt(1.0))) {
            rig.send(3, 0);
            assertEquals(3, rig.arrivals.size());
        }
    }

    @Test
    void everyImpairmentOnKeepsTheStageOrderAndExactConservationWhenUnplugged() throws Exception {
        LinkConfig all = LinkConfig.delayed(Duration.ofMillis(20))
                .bytesPerSecond(1_000_000)
                .overhead(14)
                .mtu(1500)
                .jitter(Duration.ofMillis(5))
                .loss(0.1)
                .duplicate(0.2)
                .reorder(0.1, 0, 1)
                .corrupt(0.05)
                .flaps(io.nettyvirtual.network.link.LinkFlaps.periodic(Duration.ofMillis(30), Duration.ofMillis(5)));
        try (ChainRig rig = new ChainRig(48, all)) {
            assertEquals(
                    "Flaps -> Mtu -> Serializer -> Loss -> Duplicate -> Corrupt -> Propagation -> Delivery",
                    rig.chain.toString());
            for (int i = 0; i < 200; i++) {
                rig.sendAt(i * MS / 2, 100 + i);
            }
            rig.sim.runFor(Duration.ofMillis(80));
            rig.assertExact();
            assertTrue(rig.counters().inFlight() > 0, "some still inside when unplugged");
            rig.locked(rig.chain::clear); // the heap and the queue are dropped as unplugged
            rig.assertExact();
            PacketCounters c = rig.counters();
            assertEquals(0, c.inFlight());
            assertTrue(c.dropped(DropReason.UNPLUGGED) > 0);
            assertEquals(
                    c.sent(),
                    c.delivered()
                            + c.dropped(DropReason.UNPLUGGED)
                            + c.dropped(DropReason.LOSS)
                            + c.dropped(DropReason.CORRUPTED)
                            + c.dropped(DropReason.LINK_DOWN),
                    c.toString());
        }
    }
}
