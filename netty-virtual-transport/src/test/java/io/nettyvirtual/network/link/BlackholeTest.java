package io.nettyvirtual.network.link;

import static io.nettyvirtual.network.link.ChainRig.MS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nettyvirtual.stats.DropReason;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A link that is down drops what enters; what is already inside still arrives. */
class BlackholeTest {
    @Test
    void aDownLinkDropsWhatEntersAndDeliversWhatIsInside() throws Exception {
        try (ChainRig rig = new ChainRig(1, LinkConfig.delayed(Duration.ofMillis(10)))) {
            rig.sendSizes(1);
            rig.at(5 * MS, () -> {
                rig.chain.configure(rig.chain.config().down(true));
                rig.sendSizes(2);
            });
            rig.at(20 * MS, () -> {
                rig.chain.configure(rig.chain.config().down(false));
                rig.sendSizes(3);
            });
            rig.sim.runUntilIdle();
            assertArrayEquals(new long[] {10 * MS, 30 * MS}, rig.arrivalTimes());
            assertEquals(1, rig.counters().dropped(DropReason.LINK_DOWN));
            assertEquals(1, rig.credits.stream().filter(t -> t == 5 * MS).count(), "the dropped one's credit");
        }
    }

    @Test
    void downIsTheFirstStageAndUpIsAbsent() throws Exception {
        try (ChainRig rig = new ChainRig(2, LinkConfig.ideal().down(true))) {
            assertEquals("Blackhole -> Serializer -> Propagation -> Delivery", rig.chain.toString());
            rig.configure(LinkConfig.ideal());
            assertEquals("Serializer -> Propagation -> Delivery", rig.chain.toString());
        }
    }
}
