package io.nettyvirtual.network.link;

import static io.nettyvirtual.network.link.ChainRig.MS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nettyvirtual.stats.DropReason;
import org.junit.jupiter.api.Test;

/** The default queue discipline: FIFO, tail drop when full in packets or in bytes. */
class TailDropFifoTest {
    @Test
    void aPacketLimitDropsTheArrivalsThatDoNotFit() throws Exception {
        try (ChainRig rig = new ChainRig(1, LinkConfig.limited(1_000_000).queuePackets(2))) {
            rig.send(5, 1000);
            assertEquals(2, rig.chain.queuedPackets(), "one serializing, two waiting");
            assertEquals(2, rig.counters().dropped(DropReason.QUEUE_FULL));
            assertEquals(2000, rig.counters().droppedBytes(DropReason.QUEUE_FULL));
            assertEquals(2, rig.credits.size(), "dropped packets give their credit back at once");
            rig.assertExact();
            rig.sim.runUntilIdle();
            assertArrayEquals(new long[] {MS, 2 * MS, 3 * MS}, rig.arrivalTimes());
        }
    }

    @Test
    void aByteLimitDropsWhatDoesNotFit() throws Exception {
        try (ChainRig rig = new ChainRig(2, LinkConfig.limited(1_000_000).queueBytes(2500))) {
            rig.sendSizes(1000, 1000, 1000, 600, 400);
            // 1000 serializing; 1000 + 1000 wait (2000 B); 600 does not fit; 400 does (2400 B).
            assertEquals(1, rig.counters().dropped(DropReason.QUEUE_FULL));
            assertEquals(600, rig.counters().droppedBytes(DropReason.QUEUE_FULL));
            rig.sim.runUntilIdle();
            assertEquals(4, rig.arrivals.size());
            assertEquals(400, rig.arrivals.get(3).size);
            assertEquals(3400 * 1000L, rig.arrivals.get(3).nanos);
        }
    }

    @Test
    void aZeroLimitKeepsOnlyThePacketBeingSerialized() throws Exception {
        try (ChainRig rig = new ChainRig(3, LinkConfig.limited(1_000_000).queuePackets(0))) {
            rig.send(3, 1000);
            rig.sim.runUntilIdle();
            assertArrayEquals(new long[] {MS}, rig.arrivalTimes());
            assertEquals(2, rig.counters().dropped(DropReason.QUEUE_FULL));
        }
    }
}
