package io.nettyvirtual.network.link;

import static io.nettyvirtual.network.link.ChainRig.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nettyvirtual.stats.DropReason;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Bernoulli loss after serialization, from the simulation's seeded random source. */
class LossTest {
    @Test
    void certainLossDropsEveryPacketAfterItWasSerialized() throws Exception {
        try (ChainRig rig = new ChainRig(1, LinkConfig.limited(1_000_000).loss(1.0))) {
            rig.send(3, 1000);
            rig.sim.runUntilIdle();
            assertEquals(0, rig.arrivals.size());
            assertEquals(3, rig.counters().dropped(DropReason.LOSS));
            assertEquals(java.util.List.of(MS, 2 * MS, 3 * MS), rig.credits, "lost on the wire, not in the host");
        }
    }

    @Test
    void eachPacketIsOneDrawOfTheSeededSource() throws Exception {
        long seed = 77;
        SplittableRandom replay = new SplittableRandom(seed);
        int expectedLost = 0;
        for (int i = 0; i < 1000; i++) {
            if (replay.nextDouble() < 0.3) {
                expectedLost++;
            }
        }
        try (ChainRig rig = new ChainRig(seed, LinkConfig.ideal().loss(0.3))) {
            rig.send(1000, 10);
            assertEquals(expectedLost, rig.counters().dropped(DropReason.LOSS));
            assertEquals(1000 - expectedLost, rig.arrivals.size());
            assertTrue(expectedLost > 250 && expectedLost < 350, "about 30%: " + expectedLost);
        }
    }

    @Test
    void noLossIsAbsentFromThePathAndDrawsNothing() throws Exception {
        long seed = 78;
        try (ChainRig rig = new ChainRig(seed, LinkConfig.ideal())) {
            rig.send(100, 10);
            assertEquals(new SplittableRandom(seed).nextLong(), rig.sim.random().nextLong());
            assertEquals("Serializer -> Propagation -> Delivery", rig.chain.toString());
            rig.configure(LinkConfig.ideal().loss(0.5));
            assertEquals("Serializer -> Loss -> Propagation -> Delivery", rig.chain.toString());
        }
    }
}
