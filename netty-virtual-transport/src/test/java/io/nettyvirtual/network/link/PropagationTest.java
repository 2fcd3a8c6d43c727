package io.nettyvirtual.network.link;

import static io.nettyvirtual.network.link.ChainRig.MS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nettyvirtual.stats.DropReason;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Pipelined, order-preserving propagation delay and slotted delivery. */
class PropagationTest {
    @Test
    void delayIsPipelined() throws Exception {
        try (ChainRig rig =
                new ChainRig(1, LinkConfig.delayed(Duration.ofMillis(50)).bytesPerSecond(1_000_000))) {
            rig.send(3, 1000);
            rig.sim.runUntilIdle();
            assertArrayEquals(new long[] {51 * MS, 52 * MS, 53 * MS}, rig.arrivalTimes());
        }
    }

    @Test
    void manyPacketsInFlightAtOnceAreHeldWithoutLoss() throws Exception {
        try (ChainRig rig = new ChainRig(2, LinkConfig.delayed(Duration.ofMillis(10)))) {
            rig.send(1000, 1); // more than the line's first capacity
            assertEquals(1000, rig.counters().inFlight());
            rig.assertExact();
            rig.sim.runUntilIdle();
            assertEquals(1000, rig.arrivals.size());
            assertEquals(10 * MS, rig.arrivals.get(999).nanos);
        }
    }

    @Test
    void shorteningTheDelayNeverLetsAPacketOvertake() throws Exception {
        try (ChainRig rig = new ChainRig(3, LinkConfig.delayed(Duration.ofMillis(50)))) {
            rig.sendSizes(1);
            rig.at(10 * MS, () -> {
                rig.chain.configure(rig.chain.config().delay(Duration.ofMillis(10)));
                rig.sendSizes(2); // due at 20 ms, but the first arrives at 50 ms
            });
            rig.at(60 * MS, () -> rig.sendSizes(3));
            rig.sim.runUntilIdle();
            assertArrayEquals(new long[] {50 * MS, 50 * MS, 70 * MS}, rig.arrivalTimes());
            assertEquals(2, rig.arrivals.get(1).size);
        }
    }

    @Test
    void slotsDeliverAtTheNextBoundary() throws Exception {
        try (ChainRig rig =
                new ChainRig(4, LinkConfig.delayed(Duration.ofMillis(1)).slot(Duration.ofMillis(10)))) {
            rig.at(3 * MS, () -> rig.sendSizes(1, 2)); // cross at 4 ms, wait for 10 ms
            rig.at(9 * MS, () -> rig.sendSizes(3)); // crosses at 10 ms: on the boundary
            rig.at(10 * MS, () -> rig.sendSizes(4)); // crosses at 11 ms, waits for 20 ms
            rig.sim.runUntilIdle();
            assertArrayEquals(new long[] {10 * MS, 10 * MS, 10 * MS, 20 * MS}, rig.arrivalTimes());
        }
    }

    @Test
    void anArrivalBeyondTheEndOfTimeSaturatesInsteadOfWrapping() throws Exception {
        try (ChainRig rig = new ChainRig(5, LinkConfig.delayed(Duration.ofDays(365)))) {
            long late = Long.MAX_VALUE - Duration.ofDays(1).toNanos();
            rig.at(late, () -> rig.sendSizes(1));
            rig.sim.runUntil(() -> rig.sim.nanoTime() >= late);
            assertEquals(late, rig.sim.nanoTime());
            assertEquals(0, rig.arrivals.size(), "not delivered at once");
            assertEquals(1, rig.counters().inFlight());
            rig.assertExact();
        }
    }

    @Test
    void clearingDropsWhatPropagatesAsUnplugged() throws Exception {
        ChainRig rig = new ChainRig(6, LinkConfig.delayed(Duration.ofMillis(50)).bytesPerSecond(1_000_000));
        try {
            rig.send(4, 1000);
            rig.sim.runFor(Duration.ofMillis(2)); // two propagate, one serializes, one waits
            rig.assertExact();
            assertEquals(4, rig.counters().inFlight());
        } finally {
            rig.close(); // clears, and checks the counters
        }
        assertEquals(4, rig.counters().dropped(DropReason.UNPLUGGED));
        assertEquals(0, rig.arrivals.size());
    }
}
