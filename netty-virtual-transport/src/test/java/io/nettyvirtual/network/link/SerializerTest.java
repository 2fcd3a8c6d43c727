package io.nettyvirtual.network.link;

import static io.nettyvirtual.network.link.ChainRig.MS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The rate limiter: size / rate per packet, one at a time, the remainder carried, credit back when serialized. */
class SerializerTest {
    @Test
    void eachPacketTakesSizeOverRateAndLeavesTheSenderWhenSerialized() throws Exception {
        try (ChainRig rig = new ChainRig(1, LinkConfig.limited(1_000_000))) {
            rig.send(3, 1000);
            rig.assertExact();
            rig.sim.runUntilIdle();
            assertArrayEquals(new long[] {MS, 2 * MS, 3 * MS}, rig.arrivalTimes());
            assertEquals(java.util.List.of(MS, 2 * MS, 3 * MS), rig.credits);
            assertEquals(3, rig.counters().delivered());
        }
    }

    @Test
    void theSubNanosecondRemainderCarriesOverSoTheRateIsExact() throws Exception {
        try (ChainRig rig = new ChainRig(2, LinkConfig.limited(7))) {
            rig.send(7, 1);
            rig.sim.runUntilIdle();
            long[] expected = new long[7];
            for (int k = 1; k <= 7; k++) {
                expected[k - 1] = k * 1_000_000_000L / 7;
            }
            assertArrayEquals(expected, rig.arrivalTimes());
            assertEquals(1_000_000_000L, rig.arrivals.get(6).nanos, "7 bytes at 7 B/s take exactly one second");
        }
    }

    @Test
    void withoutALimitPacketsPassAtOnceAndTheQueueIsNotUsed() throws Exception {
        try (ChainRig rig = new ChainRig(3, LinkConfig.ideal().queuePackets(0))) {
            rig.send(5, 1000);
            assertArrayEquals(new long[5], rig.arrivalTimes());
            assertEquals(5, rig.credits.size());
            assertEquals("Serializer -> Propagation -> Delivery", rig.chain.toString());
        }
    }

    @Test
    void removingTheLimitWhilePacketsWaitSendsThemOnInOrder() throws Exception {
        try (ChainRig rig = new ChainRig(4, LinkConfig.limited(1000))) {
            rig.sendSizes(100, 101, 102); // 100 ms, then 101 and 102 ms more
            rig.at(50 * MS, () -> rig.chain.configure(rig.chain.config().unlimited()));
            rig.sim.runUntilIdle();
            assertArrayEquals(
                    new long[] {100 * MS, 100 * MS, 100 * MS},
                    rig.arrivalTimes(),
                    "the one being serialized keeps its time; the waiting ones follow it at once");
            assertEquals(100, rig.arrivals.get(0).size);
            assertEquals(101, rig.arrivals.get(1).size);
            assertEquals(102, rig.arrivals.get(2).size);
        }
    }

    @Test
    void aNewRateAppliesToThePacketsThatStartSerializingAfterwards() throws Exception {
        try (ChainRig rig = new ChainRig(5, LinkConfig.limited(1000))) {
            rig.send(2, 100); // the first finishes at 100 ms
            rig.at(50 * MS, () -> rig.chain.configure(rig.chain.config().bytesPerSecond(10_000)));
            rig.sim.runUntilIdle();
            assertArrayEquals(new long[] {100 * MS, 110 * MS}, rig.arrivalTimes());
        }
    }
}
