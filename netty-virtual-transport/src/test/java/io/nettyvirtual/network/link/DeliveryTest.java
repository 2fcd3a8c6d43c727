package io.nettyvirtual.network.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nettyvirtual.stats.DropReason;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The end of the chain: counted out and handed to the far end, or dropped when nothing is plugged there. */
class DeliveryTest {
    @Test
    void withoutAFarEndPacketsAreDroppedAsUnplugged() throws Exception {
        try (ChainRig rig = new ChainRig(1, LinkConfig.delayed(Duration.ofMillis(10)))) {
            rig.send(1, 100);
            rig.locked(() -> rig.chain.attach(null)); // unplugged while the packet propagates
            rig.sim.runUntilIdle();
            assertEquals(0, rig.arrivals.size());
            assertEquals(1, rig.counters().dropped(DropReason.UNPLUGGED));
            assertEquals(10_000_000L, rig.sim.nanoTime(), "dropped when it reached the missing end");
        }
    }

    @Test
    void deliveredPacketsAreCountedOutOfTheLink() throws Exception {
        try (ChainRig rig = new ChainRig(2, LinkConfig.ideal())) {
            rig.send(2, 100);
            assertEquals(2, rig.counters().delivered());
            assertEquals(200, rig.counters().deliveredBytes());
            assertEquals(0, rig.counters().inFlight());
        }
    }
}
