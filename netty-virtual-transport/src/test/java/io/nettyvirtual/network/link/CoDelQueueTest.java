package io.nettyvirtual.network.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nettyvirtual.stats.DropReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CoDel's control law in a constructed saturating scenario: a burst of 1,000-byte packets at t = 0 into a link of
 * 1,000,000 B/s, so that the packet at the head at t ms has waited exactly t ms and one packet leaves each ms.
 */
class CoDelQueueTest {
    private static final LinkConfig LINK = LinkConfig.limited(1_000_000)
            .queue(QueueDisciplines.codel(Duration.ofMillis(5), Duration.ofMillis(100), 1000, false));

    /** RFC 8289's schedule for this scenario: the first drop, then drop_next = t + interval / sqrt(count). */
    private static List<Long> expectedDropMillis(int packets) {
        List<Long> drops = new ArrayList<>();
        // Sojourn reaches target (5 ms) at 5 ms; it stays above for interval (100 ms): first drop at 105 ms.
        long first = 105;
        drops.add(first);
        double dropNext = first + 100.0;
        int count = 1;
        long sent = first + 1; // packets gone by the end of ms 105: 105 sent, one dropped
        for (long t = first + 1; sent < packets - 1; t++) {
            if (t >= dropNext) {
                count++;
                drops.add(t);
                sent++;
                dropNext += (long) (100e6 / Math.sqrt(count)) / 1e6;
            }
            sent++;
        }
        return drops;
    }

    @Test
    void theFirstDropsFollowTheControlLawExactly() throws Exception {
        QdiscRig q = new QdiscRig(1, LINK);
        q.send(600, 1000, 0, 1);
        List<Long> drops = q.eventMillis(700, false);
        assertEquals(
                List.of(105L, 205L, 276L, 334L, 384L),
                drops.subList(0, 5),
                "105 = 5 + 100; 205; 205 + 100/sqrt 2 = 275.7; + 100/sqrt 3 = 333.4; + 100/sqrt 4 = 383.4");
        assertEquals(expectedDropMillis(600), drops);
        QueueStats s = q.stats();
        assertEquals(drops.size(), s.drops(DropReason.AQM_DROP));
        assertEquals(drops.size(), q.rig.counters().dropped(DropReason.AQM_DROP), "visible in PacketCounters");
        assertEquals(600 - drops.size(), q.seen.size());
        assertEquals(600 - drops.size(), s.departed());
        q.rig.close();
    }

    @Test
    void ecnCapablePacketsAreMarkedAtTheSameInstantsInsteadOfDropped() throws Exception {
        QdiscRig q = new QdiscRig(
                2,
                LinkConfig.limited(1_000_000)
                        .queue(QueueDisciplines.codel(Duration.ofMillis(5), Duration.ofMillis(100), 1000, true)));
        q.send(300, 1000, 2, 1); // ECT(0)
        List<Long> marks = q.eventMillis(400, true);
        // A mark does not remove a packet, so the head's sojourn keeps the schedule of drop_next: 105, 205, 276.
        assertEquals(List.of(105L, 205L, 276L), marks);
        assertEquals(0, q.stats().drops());
        assertEquals(3, q.stats().marks(MarkReason.AQM));
        assertEquals(300, q.seen.size(), "nothing dropped");
        assertEquals(3, q.seen.stream().filter(s -> s.ecn() == 3).count());
        assertEquals(3, q.seen.get(105).ecn(), "the packet leaving at 105 ms is marked CE");
        q.rig.close();
    }

    @Test
    void notEctPacketsAreDroppedEvenWithEcnOn() throws Exception {
        QdiscRig q = new QdiscRig(
                3,
                LinkConfig.limited(1_000_000)
                        .queue(QueueDisciplines.codel(Duration.ofMillis(5), Duration.ofMillis(100), 1000, true)));
        q.send(300, 1000, 0, 1);
        assertEquals(List.of(105L, 205L, 276L), q.eventMillis(400, false));
        assertEquals(0, q.stats().marks());
        q.rig.close();
    }

    @Test
    void aShortQueueIsNeverDropped() throws Exception {
        QdiscRig q = new QdiscRig(4, LINK);
        // 4 packets every 4 ms (the link's rate): each waits at most 3 ms, below target.
        for (int i = 0; i < 100; i++) {
            q.rig.at(i * 4 * ChainRig.MS, () -> q.send(4, 1000, 0, 1));
        }
        q.rig.sim.runUntilIdle();
        assertEquals(400, q.seen.size());
        QueueStats s = q.stats();
        assertEquals(0, s.drops());
        assertEquals(3 * ChainRig.MS, s.maxSojournNanos());
        assertEquals(1.5 * ChainRig.MS, s.meanSojournNanos(), 1e-6, "(0 + 1 + 2 + 3) / 4 ms");
        q.rig.close();
    }

    @Test
    void anArrivalOverTheLimitIsDroppedAsOverlimit() throws Exception {
        QdiscRig q = new QdiscRig(
                5,
                LinkConfig.limited(1_000_000)
                        .queue(QueueDisciplines.codel(Duration.ofMillis(5), Duration.ofMillis(100), 3, false)));
        q.send(6, 1000, 0, 1);
        assertEquals(2, q.rig.counters().dropped(DropReason.OVERLIMIT), "one serializing, three waiting");
        q.rig.assertExact();
        q.rig.close();
    }
}
