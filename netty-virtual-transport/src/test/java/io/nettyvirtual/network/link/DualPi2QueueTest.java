package io.nettyvirtual.network.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nettyvirtual.stats.DropReason;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DualPI2: L4S classification, the step mark, the time-shifted FIFO and the PI2 controller. */
class DualPi2QueueTest {
    private static final LinkConfig LINK = LinkConfig.limited(1_000_000).queue(QueueDisciplines.dualPi2());

    @Test
    void l4sPacketsOverTheStepThresholdAreMarked() throws Exception {
        QdiscRig q = new QdiscRig(1, LINK);
        q.send(10, 1000, 1, 1); // ECT(1): the L4S queue
        q.rig.sim.runUntilIdle();
        // packet k waits k ms; the step threshold is 1 ms: packets 2..9 are marked; p' is still 0 (before 16 ms)
        assertEquals(8, q.stats().marks(MarkReason.STEP));
        assertEquals(
                List.of(1, 1, 3, 3, 3, 3, 3, 3, 3, 3),
                q.seen.stream().map(QdiscRig.Seen::ecn).toList());
        q.rig.close();
    }

    @Test
    void theTimeShiftedFifoServesAYoungerL4sPacketFirst() throws Exception {
        QdiscRig q = new QdiscRig(2, LINK);
        q.send(4, 1000, 0, 1); // classic, Not-ECT: one serializes, three wait from 0 ms
        q.rig.at(ChainRig.MS / 2, () -> q.send(1, 500, 1, 2)); // L4S at 0.5 ms: 0.5 - tshift (30) < 0
        q.rig.sim.runUntilIdle();
        assertEquals(
                List.of(1, 2, 1, 1, 1), q.seen.stream().map(QdiscRig.Seen::port).toList());
        q.rig.close();
    }

    @Test
    void aStandingClassicQueueRaisesTheBaseProbabilityAndIsDropped() throws Exception {
        QdiscRig q = new QdiscRig(3, LINK);
        // 2,000 packets/s into a 1,000 packets/s link for 2 s: a classic queue well above the 15 ms target
        for (int i = 0; i < 4000; i++) {
            q.rig.at(i * ChainRig.MS / 2, () -> q.send(1, 1000, 0, 1));
        }
        q.rig.sim.runUntilIdle();
        QueueStats s = q.stats();
        assertTrue(s.drops(DropReason.AQM_DROP) > 0, s.toString());
        assertEquals(4000, q.seen.size() + q.rig.counters().dropped());
        double p = ((DualPi2Queue) RedQueueTest.serializerQueue(q.rig.chain)).baseProbability();
        assertTrue(p > 0 && p <= 0.5, "p' = " + p);
        q.rig.close();
    }
}
