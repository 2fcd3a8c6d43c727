package io.nettyvirtual.network.link;

import static io.nettyvirtual.network.link.ChainRig.MS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nettyvirtual.stats.DropReason;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A test's packet filter, and a filter that throws. */
class FilterTest {
    @Test
    void theFilterDropsWhatItChooses() throws Exception {
        try (ChainRig rig =
                new ChainRig(1, LinkConfig.delayed(Duration.ofMillis(10)).filter(p -> p.size() == 2))) {
            rig.sendSizes(1, 2, 3);
            rig.sim.runUntilIdle();
            assertArrayEquals(new long[] {10 * MS, 10 * MS}, rig.arrivalTimes());
            assertEquals(3, rig.arrivals.get(1).size);
            assertEquals(1, rig.counters().dropped(DropReason.FILTERED));
            assertEquals("Filter -> Serializer -> Propagation -> Delivery", rig.chain.toString());
        }
    }

    @Test
    void aFilterThatThrowsDropsThePacketAndTheLinkGoesOn() throws Exception {
        try (ChainRig rig =
                new ChainRig(2, LinkConfig.delayed(Duration.ofMillis(10)).filter(p -> {
                    if (p.size() == 2) {
                        throw new IllegalStateException("a broken filter");
                    }
                    return false;
                }))) {
            rig.sendSizes(1, 2, 3, 2); // no exception escapes to the sender
            rig.assertExact();
            rig.sim.runUntilIdle();
            assertArrayEquals(new long[] {10 * MS, 10 * MS}, rig.arrivalTimes());
            assertEquals(2, rig.counters().dropped(DropReason.FILTER_FAILED));
            assertEquals(2, rig.total.snapshot().dropped(DropReason.FILTER_FAILED));
            assertEquals(0, rig.counters().dropped(DropReason.FILTERED));
            assertEquals(4, rig.credits.size()); // and the buffers were released (leak detector)
        }
    }
}
