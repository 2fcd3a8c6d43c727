package io.nettyvirtual.network.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nettyvirtual.stats.DropReason;
import java.util.List;
import org.junit.jupiter.api.Test;

/** pfifo_head_drop, pfifo and bfifo as explicit disciplines. */
class HeadDropFifoTest {
    @Test
    void theOldestWaitingPacketsMakeRoom() throws Exception {
        QdiscRig q = new QdiscRig(1, LinkConfig.limited(1_000_000).queue(QueueDisciplines.pfifoHeadDrop(2)));
        for (int size = 1000; size <= 1004; size++) {
            q.send(1, size, 0, 1);
        }
        // 1000 serializes; 1001 and 1002 wait; 1003 drops 1001, 1004 drops 1002.
        assertEquals(2, q.rig.counters().dropped(DropReason.QUEUE_FULL));
        q.rig.sim.runUntilIdle();
        assertEquals(
                List.of(1000, 1003, 1004),
                q.seen.stream().map(QdiscRig.Seen::size).toList());
        assertEquals(
                List.of(1_000_000L, 2_003_000L, 3_007_000L),
                q.seen.stream().map(QdiscRig.Seen::nanos).toList());
        q.rig.close();
    }

    @Test
    void pfifoAndBfifoDropTheArrival() throws Exception {
        QdiscRig p = new QdiscRig(2, LinkConfig.limited(1_000_000).queue(QueueDisciplines.pfifo(2)));
        p.send(5, 1000, 0, 1);
        assertEquals(2, p.rig.counters().dropped(DropReason.QUEUE_FULL));
        p.rig.sim.runUntilIdle();
        assertEquals(2 * ChainRig.MS, p.stats().maxSojournNanos());
        p.rig.close();
        QdiscRig b = new QdiscRig(3, LinkConfig.limited(1_000_000).queue(QueueDisciplines.bfifo(2500)));
        for (int size : new int[] {1000, 1000, 1000, 600, 400}) {
            b.send(1, size, 0, 1);
        }
        assertEquals(600, b.rig.counters().droppedBytes(DropReason.QUEUE_FULL));
        b.rig.close();
    }

    @Test
    void changingTheDisciplineMovesTheWaitingPacketsInOrder() throws Exception {
        QdiscRig q = new QdiscRig(4, LinkConfig.limited(1_000_000));
        for (int size = 1000; size <= 1005; size++) {
            q.send(1, size, 0, 1);
        }
        q.rig.configure(LinkConfig.limited(1_000_000).queue(QueueDisciplines.pfifoHeadDrop(3)));
        // 1000 serializes; 1001..1005 move into a head-drop queue of 3: 1001 and 1002 are dropped.
        assertEquals(2, q.rig.counters().dropped(DropReason.QUEUE_FULL));
        q.rig.sim.runUntilIdle();
        assertEquals(
                List.of(1000, 1003, 1004, 1005),
                q.seen.stream().map(QdiscRig.Seen::size).toList());
        q.rig.close();
    }
}
