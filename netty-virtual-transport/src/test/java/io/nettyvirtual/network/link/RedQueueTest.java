package io.nettyvirtual.network.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nettyvirtual.stats.DropReason;
import org.junit.jupiter.api.Test;

/** RED's average and its drops with known sequences (1,000-byte packets, 1 ms each at 1,000,000 B/s). */
class RedQueueTest {
    private static double average(QdiscRig q) {
        double[] a = new double[1];
        q.rig.locked(() -> {
            // the chain's serializer holds the discipline; reach it through a fresh stats-free path
            a[0] = ((RedQueue) serializerQueue(q.rig.chain)).average();
        });
        return a[0];
    }

    static QueueDiscipline serializerQueue(LinkChain chain) {
        try {
            java.lang.reflect.Field stages = LinkChain.class.getDeclaredField("serializer");
            stages.setAccessible(true);
            Serializer s = (Serializer) stages.get(chain);
            java.lang.reflect.Field queue = Serializer.class.getDeclaredField("queue");
            queue.setAccessible(true);
            return (QueueDiscipline) queue.get(s);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theAverageFollowsTheEwmaAndDecaysOverIdleTime() throws Exception {
        QdiscRig q = new QdiscRig(
                1, LinkConfig.limited(1_000_000).queue(QueueDisciplines.red(100, 5, 15, 0.02, 0.5, true, false, 1000)));
        q.send(4, 1000, 0, 1);
        // Arrivals see 0 (it leaves at once), 0, 1 and 2 packets waiting: avg 0, 0, 0.5, 0.25 + 1 = 1.25.
        assertEquals(1.25, average(q));
        q.rig.sim.runUntilIdle(); // the queue empties at 4 ms
        q.rig.at(14 * ChainRig.MS, () -> q.send(1, 1000, 0, 1));
        q.rig.sim.runUntilIdle();
        // 10 ms idle at 1,000 packets/s: as if 10 empty-queue arrivals, then this one: 1.25 * 0.5^11.
        assertEquals(1.25 / 2048, average(q));
        q.rig.close();
    }

    @Test
    void earlyAndForcedDropsInGentleMode() throws Exception {
        // weight 1: avg = the queue seen on arrival. min 1, max 2, max_p 0.5, gentle: forced from 2 * max = 4.
        QdiscRig q = new QdiscRig(
                2, LinkConfig.limited(1_000_000).queue(QueueDisciplines.red(100, 1, 2, 0.5, 1.0, true, false, 1000)));
        q.send(10, 1000, 0, 1);
        // #3 sees 2 (crosses min: count restarts), #4 sees 3: p_b = 0.75, count 2 -> p_a = 1.5: dropped;
        // #5 sees 3, count 1 -> p_a = 0: queued; #6..#9 see 4 = 2 * max: forced.
        assertEquals(5, q.stats().drops(DropReason.AQM_DROP));
        assertEquals(5, q.rig.counters().dropped(DropReason.AQM_DROP));
        q.rig.sim.runUntilIdle();
        assertEquals(5, q.seen.size());
        q.rig.close();
    }

    @Test
    void ecnCapableArrivalsAreMarkedForcedInsteadOfDropped() throws Exception {
        QdiscRig q = new QdiscRig(
                3, LinkConfig.limited(1_000_000).queue(QueueDisciplines.red(6, 1, 2, 0.5, 1.0, false, true, 1000)));
        q.send(10, 1000, 1, 1); // ECT(1)
        // not gentle: forced from max = 2 on; marked, so they are queued until the limit (6) drops them
        QueueStats s = q.stats();
        assertEquals(0, s.drops(DropReason.AQM_DROP));
        assertEquals(3, s.drops(DropReason.OVERLIMIT), "one serializing, six waiting, three over");
        q.rig.sim.runUntilIdle();
        assertEquals(7, q.seen.size());
        // #3..#9 are marked (forced); as in ns-3 the mark comes first and the limit then drops #7..#9
        assertEquals(7, s.marks(MarkReason.FORCED));
        assertEquals(4, q.seen.stream().filter(p -> p.ecn() == 3).count());
        q.rig.close();
    }
}
