package io.nettyvirtual.network.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.nettyvirtual.stats.DropReason;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** FQ-CoDel's flow hashing, deficit round robin, drop from the fattest flow, memory limit and CE threshold. */
class FqCoDelQueueTest {
    private static int flowOf(QdiscRig q, int port) {
        FqCoDelQueue fq = (FqCoDelQueue) RedQueueTest.serializerQueue(q.rig.chain);
        io.nettyvirtual.packet.Packet p = new io.nettyvirtual.packet.Packet(
                new java.net.InetSocketAddress("10.0.0.1", port),
                ChainRig.TO,
                io.netty.buffer.Unpooled.EMPTY_BUFFER,
                null);
        return fq.flowOf(p);
    }

    @Test
    void twoBackloggedFlowsShareTheLinkByDeficitRoundRobin() throws Exception {
        QdiscRig q = new QdiscRig(1, LinkConfig.limited(1_000_000).queue(QueueDisciplines.fqCodel()));
        assertNotEquals(flowOf(q, 1), flowOf(q, 2), "the two senders hash to different flows");
        q.send(8, 1000, 0, 1);
        q.send(8, 1000, 0, 2);
        q.rig.sim.runUntilIdle();
        // quantum 1514: each turn a flow sends two 1000-byte packets (deficit 1514 -> 514 -> -486, then +1514)
        // except when the carried deficit allows one: A1 A2 | B1 B2 | A3 A4 | B3 B4 | A5 | B5 | ...
        List<Integer> ports = q.seen.stream().map(QdiscRig.Seen::port).toList();
        assertEquals(List.of(1, 1, 2, 2, 1, 1, 2, 2, 1, 2, 1, 1, 2, 2, 1, 2), ports);
        q.rig.close();
    }

    @Test
    void theSameSeedHashesTheSameWayAndAnotherSeedMayNot() {
        QdiscRig a = new QdiscRig(7, LinkConfig.limited(1_000_000).queue(QueueDisciplines.fqCodel()));
        QdiscRig b = new QdiscRig(7, LinkConfig.limited(1_000_000).queue(QueueDisciplines.fqCodel()));
        for (int port = 1; port < 50; port++) {
            assertEquals(flowOf(a, port), flowOf(b, port));
        }
        QdiscRig c = new QdiscRig(8, LinkConfig.limited(1_000_000).queue(QueueDisciplines.fqCodel()));
        boolean differs = false;
        for (int port = 1; port < 50; port++) {
            differs |= flowOf(a, port) != flowOf(c, port);
        }
        assertEquals(true, differs, "the key comes from the seed");
    }

    @Test
    void overTheLimitTheFattestFlowLosesHalfItsBacklogFromTheHead() throws Exception {
        QdiscRig q = new QdiscRig(
                2,
                LinkConfig.limited(1_000_000)
                        .queue(QueueDisciplines.fqCodel(
                                Duration.ofMillis(5), Duration.ofMillis(100), 10, 1024, 1514, true)));
        q.send(10, 1000, 0, 1); // one leaves at once, 9 wait in flow A
        q.send(1, 500, 0, 2); // 10 waiting: at the limit
        assertEquals(0, q.rig.counters().dropped());
        q.send(1, 500, 0, 2); // 11 > 10: A (9,000 B) drops from its head until 4,500 B are gone: 5 packets
        assertEquals(5, q.rig.counters().dropped(DropReason.OVERLIMIT));
        assertEquals(5, q.stats().drops(DropReason.OVERLIMIT));
        assertEquals(6, q.stats().backlogPackets());
        q.rig.sim.runUntilIdle();
        assertEquals(7, q.seen.size());
        q.rig.close();
    }

    @Test
    void aSparseFlowIsServedBeforeTheBackloggedOne() throws Exception {
        QdiscRig q = new QdiscRig(3, LinkConfig.limited(1_000_000).queue(QueueDisciplines.fqCodel()));
        q.send(50, 1000, 0, 1);
        q.rig.at(10 * ChainRig.MS + 1, () -> q.send(1, 100, 0, 2));
        q.rig.sim.runUntilIdle();
        // the sparse packet goes to the new-flows list and leaves right after the packet serializing at 10 ms
        QdiscRig.Seen sparse =
                q.seen.stream().filter(s -> s.port() == 2).findFirst().orElseThrow();
        assertEquals(11 * ChainRig.MS + 100_000, sparse.nanos());
        q.rig.close();
    }

    @Test
    void overTheMemoryLimitTheFattestFlowLosesHalfItsBacklogCountedAsMemory() throws Exception {
        QdiscRig q = new QdiscRig(
                2,
                LinkConfig.limited(1_000_000)
                        .queue(QueueDisciplines.fqCodel(
                                Duration.ofMillis(5), Duration.ofMillis(100), 10240, 1024, 1514, true, 10_000, null)));
        q.send(7, 1000, 0, 1); // one leaves at once, 6,000 B wait in flow A
        q.send(4, 1000, 0, 2); // 10,000 B waiting: at the memory limit, not over it
        assertEquals(0, q.rig.counters().dropped());
        q.send(1, 1000, 0, 2); // 11,000 B > 10,000: A (6,000 B) drops from its head until 3,000 B are gone
        assertEquals(3, q.rig.counters().dropped(DropReason.MEMORY_LIMIT));
        assertEquals(3, q.stats().drops(DropReason.MEMORY_LIMIT));
        assertEquals(0, q.stats().drops(DropReason.OVERLIMIT));
        assertEquals(8, q.stats().backlogPackets());
        assertEquals(8000, q.stats().backlogBytes());
        q.rig.sim.runUntilIdle();
        assertEquals(4, q.seen.stream().filter(s -> s.port() == 1).count());
        assertEquals(5, q.seen.stream().filter(s -> s.port() == 2).count());
        q.rig.close();
    }

    @Test
    void theCeThresholdMarksEcnCapablePacketsThatWaitedLonger() throws Exception {
        QdiscRig q = new QdiscRig(
                3,
                LinkConfig.limited(1_000_000)
                        .queue(QueueDisciplines.fqCodel(
                                Duration.ofMillis(5),
                                Duration.ofMillis(100),
                                10240,
                                1024,
                                1514,
                                false,
                                32 << 20,
                                Duration.ofMillis(2))));
        for (int k = 0; k < 10; k++) {
            q.send(1, 1000, k % 2 == 0 ? 2 : 0, 1); // packet k waits k ms; even ones ECT(0), odd ones Not-ECT
        }
        q.rig.sim.runUntilIdle();
        // over 2 ms: packets 3..9; of those the ECT(0) ones, 4, 6 and 8, are marked; the others pass (no drop)
        assertEquals(
                List.of(2, 0, 2, 0, 3, 0, 3, 0, 3, 0),
                q.seen.stream().map(QdiscRig.Seen::ecn).toList());
        assertEquals(3, q.stats().marks(MarkReason.CE_THRESHOLD));
        assertEquals(3, q.stats().marks());
        assertEquals(0, q.stats().drops());
        q.rig.close();
    }
}
