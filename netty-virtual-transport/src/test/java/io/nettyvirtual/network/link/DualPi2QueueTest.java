package io.nettyvirtual.network.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * DualPI2 (RFC 9332 Appendix A, Linux's scheduler): classification, the native L4S AQM (step and ramp), the
 * weighted round robin and the time-shifted FIFO, the coupling p_CL = k p' against p_C = p'^2, overload, and a
 * classic and an L4S flow that respond to congestion sharing a bottleneck with the delays the RFC promises.
 */
class DualPi2QueueTest {
    private static final int CLASSIC = 1;
    private static final int L4S = 2;

    private static LinkConfig link(DualPi2 q) {
        return LinkConfig.limited(1_000_000).queue(q);
    }

    private static DualPi2Queue queue(QdiscRig q) {
        return (DualPi2Queue) RedQueueTest.serializerQueue(q.rig.chain);
    }

    private static List<Integer> ecns(QdiscRig q) {
        return q.seen.stream().map(QdiscRig.Seen::ecn).toList();
    }

    @Test
    void theStepMarksEveryL4sPacketThatWaitedLongerThanTheThreshold() throws Exception {
        QdiscRig q = new QdiscRig(1, link(QueueDisciplines.dualPi2().stepThresh(Duration.ofMillis(1))));
        q.send(10, 1000, 1, L4S); // ECT(1): the L4S queue; packet k waits k ms
        q.rig.sim.runUntilIdle();
        // waited more than 1 ms: packets 2..9; the last one left alone in its queue (Th_len), so it is not marked
        assertEquals(List.of(1, 1, 3, 3, 3, 3, 3, 3, 3, 1), ecns(q));
        assertEquals(7, q.stats().marks(MarkReason.NATIVE_L4S));
        assertEquals(0, q.stats().drops());
        q.rig.close();
    }

    @Test
    void theRampMarksInProportionToTheSojournBeyondMinTh() throws Exception {
        QdiscRig q = new QdiscRig(1, link(QueueDisciplines.dualPi2()));
        q.send(20, 100, 1, L4S); // 0.1 ms each: packet k waits 0.1 k ms
        q.rig.sim.runUntilIdle();
        // the ramp (800 us, 400 us): p'_L 0.25, 0.5, 0.75 for packets 9, 10, 11 (recur() passes 1 at packet 11),
        // 1 from packet 12 (1.2 ms); packet 19 left alone, not marked
        List<Integer> e = ecns(q);
        for (int k = 0; k < 20; k++) {
            assertEquals(k >= 11 && k <= 18 ? 3 : 1, e.get(k), "packet " + k + ": " + e);
        }
        assertEquals(8, q.stats().marks(MarkReason.NATIVE_L4S));
        q.rig.close();
    }

    @Test
    void theWeightedRoundRobinGivesTheClassicQueueItsProtectedShare() throws Exception {
        // alpha = beta = 0: p' stays 0, only the scheduler acts
        QdiscRig q = new QdiscRig(2, link(QueueDisciplines.dualPi2().alpha(0).beta(0)));
        q.send(100, 1000, 0, CLASSIC);
        q.send(100, 1000, 1, L4S);
        q.rig.sim.runUntilIdle();
        List<Integer> ports = q.seen.stream().map(QdiscRig.Seen::port).toList();
        // the first classic packet found the link idle; then the credit starts at 1514 x (10 - 90) = -121,120:
        // 13 L4S packets (+10,000 each) make it positive, one classic (-90,000) makes it negative, then 9 L4S per
        // classic: the classic queue's 10%
        StringBuilder expected = new StringBuilder("1").append("2".repeat(13)).append('1');
        for (int i = 0; i < 8; i++) {
            expected.append("2".repeat(9)).append('1');
        }
        StringBuilder got = new StringBuilder();
        ports.subList(0, expected.length()).forEach(got::append);
        assertEquals(expected.toString(), got.toString());
        assertEquals(200, q.seen.size());
        q.rig.close();
    }

    @Test
    void theTimeShiftedFifoServesAYoungerL4sPacketFirst() throws Exception {
        QdiscRig q = new QdiscRig(2, link(QueueDisciplines.dualPi2().tshift(Duration.ofMillis(30))));
        q.send(4, 1000, 0, CLASSIC); // one serializes, three wait from 0 ms
        q.rig.at(ChainRig.MS / 2, () -> q.send(1, 500, 1, L4S)); // L4S at 0.5 ms: 0.5 - 30 < 0
        q.rig.at(40 * ChainRig.MS, () -> {
            q.send(4, 1000, 0, CLASSIC); // 40 ms: one serializes, three wait
            q.send(1, 500, 1, L4S); // 40 ms, but shifted back: still first
        });
        q.rig.sim.runUntilIdle();
        assertEquals(
                List.of(1, 2, 1, 1, 1, 1, 2, 1, 1, 1),
                q.seen.stream().map(QdiscRig.Seen::port).toList());
        q.rig.close();
    }

    @Test
    void aPinnedBaseProbabilityDropsClassicWithItsSquareAndMarksL4sWithTwiceIt() throws Exception {
        // p' pinned at 0.2 (alpha = beta = 0), the native AQM out of the way: p_C = 0.04, p_CL = 0.4
        QdiscRig q = new QdiscRig(
                3,
                link(QueueDisciplines.dualPi2()
                        .alpha(0)
                        .beta(0)
                        .stepThresh(Duration.ofDays(1))
                        .classicProtection(50)));
        q.rig.locked(() -> queue(q).baseProbability(0.2));
        q.send(2000, 1000, 0, CLASSIC);
        q.send(2000, 1000, 1, L4S);
        q.rig.sim.runUntilIdle();
        DualPi2Queue d = queue(q);
        QueueStats s = q.stats();
        long classicSeen = d.classicDeparted + s.drops(DropReason.AQM_DROP);
        double dropRate = (double) s.drops(DropReason.AQM_DROP) / classicSeen;
        double markRate = (double) s.marks(MarkReason.COUPLED) / d.l4sDeparted;
        // recur() is deterministic: the counts are the probabilities times the packets, to within the last few,
        // which leave below the two-MTU floor
        assertEquals(0.04, dropRate, 0.001, s.toString());
        assertEquals(0.4, markRate, 0.002, s.toString());
        assertEquals(2 * Math.sqrt(dropRate), markRate, 0.01, "p_CL = k p' with p' = sqrt(p_C)");
        assertEquals(0, s.marks(MarkReason.NATIVE_L4S));
        assertEquals(4000, q.seen.size() + s.drops());
        q.rig.close();
    }

    @Test
    void overloadDropsL4sPacketsTooAndStopsMarkingClassicOnes() throws Exception {
        // p' pinned at 0.6: p_CL = 1.2 saturates; ECT(0) classic packets are dropped with p_C = 0.36, not marked,
        // and L4S packets dropped with p_C too, the rest marked
        QdiscRig q =
                new QdiscRig(4, link(QueueDisciplines.dualPi2().alpha(0).beta(0).classicProtection(50)));
        q.rig.locked(() -> queue(q).baseProbability(0.6));
        q.send(1000, 1000, 2, CLASSIC); // ECT(0)
        q.send(1000, 1000, 1, L4S);
        q.rig.sim.runUntilIdle();
        DualPi2Queue d = queue(q);
        QueueStats s = q.stats();
        assertEquals(0, s.marks(MarkReason.AQM), "no classic marks in overload");
        long l4sDropped = 1000 - d.l4sDeparted;
        long classicDropped = 1000 - d.classicDeparted;
        assertEquals(0.36, (double) l4sDropped / 1000, 0.01, s.toString());
        assertEquals(0.36, (double) classicDropped / 1000, 0.01, s.toString());
        assertEquals(d.l4sDeparted, s.marks(MarkReason.COUPLED) + s.marks(MarkReason.NATIVE_L4S));
        // without drop-on-overload p' stops at 1/k = 0.5: p_CL = 1 marks every L4S packet, ECT(0) is marked
        QdiscRig o = new QdiscRig(4, link(QueueDisciplines.dualPi2().dropOnOverload(false)));
        o.send(3000, 1000, 2, CLASSIC); // 3 s of classic queue: p' climbs to its cap
        o.rig.sim.runUntilIdle();
        assertEquals(0.5, queue(o).baseProbability(), 0);
        assertEquals(0, o.stats().drops(DropReason.AQM_DROP), o.stats().toString());
        assertTrue(o.stats().marks(MarkReason.AQM) > 0, o.stats().toString());
        q.rig.close();
        o.rig.close();
    }

    @Test
    void aStandingClassicQueueRaisesTheBaseProbabilityAndIsDropped() throws Exception {
        QdiscRig q = new QdiscRig(3, link(QueueDisciplines.dualPi2()));
        // 2,000 packets/s into a 1,000 packets/s link for 2 s: a classic queue well above the 15 ms target
        for (int i = 0; i < 4000; i++) {
            q.rig.at(i * ChainRig.MS / 2, () -> q.send(1, 1000, 0, 1));
        }
        q.rig.sim.runUntilIdle();
        QueueStats s = q.stats();
        assertTrue(s.drops(DropReason.AQM_DROP) > 0, s.toString());
        assertEquals(4000, q.seen.size() + q.rig.counters().dropped());
        double p = queue(q).baseProbability();
        assertTrue(p > 0 && p <= 1, "p' = " + p);
        q.rig.close();
    }

    /**
     * A window-based flow over the link and a fixed return delay: a Reno-like classic flow (Not-ECT: +1/cwnd per
     * ack, halve once per RTT on a loss, found as a gap in the sequence) or a DCTCP/Prague-like L4S one (ECT(1):
     * +1/cwnd per unmarked ack, -1/2 per CE-marked ack).
     */
    private static final class Flow {
        final QdiscRig q;
        final boolean l4s;
        final InetSocketAddress from;
        double cwnd = 2;
        int inFlight;
        int nextSeq;
        int expected;
        long lastHalving = -1;
        long lastAck;
        long rtt;
        boolean stopped;

        Flow(QdiscRig q, boolean l4s, long rtt) {
            this.q = q;
            this.l4s = l4s;
            this.from = new InetSocketAddress("10.0.0.1", l4s ? L4S : CLASSIC);
            this.rtt = rtt;
        }

        void send() {
            while (!stopped && inFlight < (int) cwnd) {
                Packet p = new Packet(
                        from,
                        ChainRig.TO,
                        Unpooled.buffer(1000).writeInt(nextSeq++).writeZero(996),
                        null);
                p.ecn(l4s ? 1 : 0);
                inFlight++;
                q.rig.total.in(p);
                q.rig.chain.accept(p);
            }
        }

        /** The far end got {@code p}: its ack comes back after the return delay. */
        void arrived(Packet p) {
            int seq = p.content().getInt(0);
            int lost = seq - expected;
            expected = seq + 1;
            boolean ce = p.ecn() == 3;
            q.rig.at(q.rig.sim.nanoTime() + rtt, () -> acked(lost, ce));
        }

        /** A retransmission timeout: the whole window was lost, so no ack will come. */
        void timer() {
            long now = q.rig.sim.nanoTime();
            if (stopped) {
                return;
            }
            if (inFlight > 0 && now - lastAck > 20 * rtt) {
                inFlight = 0;
                expected = nextSeq;
                cwnd = 2;
            }
            send();
            q.rig.at(now + 10 * rtt, this::timer);
        }

        void acked(int lost, boolean ce) {
            long now = q.rig.sim.nanoTime();
            lastAck = now;
            inFlight -= 1 + lost;
            if (lost > 0 && now - lastHalving > rtt * 2) {
                cwnd = Math.max(2, cwnd / 2);
                lastHalving = now;
            } else if (ce && l4s) {
                cwnd = Math.max(2, cwnd - 0.5);
            } else {
                cwnd += 1 / cwnd;
            }
            send();
        }
    }

    private record Mix(long l4sMeanNanos, long classicMeanNanos, long l4sPackets, long classicPackets, String stats) {}

    /** A classic and an L4S flow, 10 ms of return delay, 20 s through 10 Mbit/s; delays measured after 5 s. */
    private static Mix mix(long seed) throws Exception {
        QdiscRig q = new QdiscRig(seed, LinkConfig.limited(1_250_000).queue(QueueDisciplines.dualPi2()));
        Flow[] flows = new Flow[3];
        flows[CLASSIC] = new Flow(q, false, 10 * ChainRig.MS);
        flows[L4S] = new Flow(q, true, 10 * ChainRig.MS);
        q.rig.chain.attach(p -> {
            flows[p.source().getPort()].arrived(p);
            q.rig.total.out(p);
            p.release();
        });
        long start = q.rig.sim.random().nextLong(ChainRig.MS); // the seed decides which flow starts first
        q.rig.at(start, flows[CLASSIC]::timer);
        q.rig.at(ChainRig.MS - start, flows[L4S]::timer);
        long[] at5s = new long[4];
        q.rig.at(5000 * ChainRig.MS, () -> {
            DualPi2Queue d = queue(q);
            at5s[0] = d.l4sDeparted;
            at5s[1] = d.l4sSojourn;
            at5s[2] = d.classicDeparted;
            at5s[3] = d.classicSojourn;
        });
        long[] end = new long[4];
        String[] stats = new String[1];
        q.rig.at(20_000 * ChainRig.MS, () -> {
            DualPi2Queue d = queue(q);
            end[0] = d.l4sDeparted;
            end[1] = d.l4sSojourn;
            end[2] = d.classicDeparted;
            end[3] = d.classicSojourn;
            stats[0] = q.rig.chain.queueStats() + ", p' " + d.baseProbability();
            flows[CLASSIC].stopped = true;
            flows[L4S].stopped = true;
            q.rig.chain.clear();
        });
        q.rig.sim.runUntilIdle();
        long l4s = end[0] - at5s[0];
        long classic = end[2] - at5s[2];
        q.rig.assertExact();
        q.rig.sim.close();
        return new Mix((end[1] - at5s[1]) / l4s, (end[3] - at5s[3]) / classic, l4s, classic, stats[0]);
    }

    @Test
    void aClassicAndAnL4sFlowShareTheLinkWithLowL4sDelayAndClassicNearTarget() throws Exception {
        Mix m = mix(2026);
        System.out.println("DualPI2 mix: " + m);
        assertTrue(m.l4sMeanNanos() < ChainRig.MS, "L4S mean sojourn under 1 ms: " + m);
        assertTrue(
                m.classicMeanNanos() > 5 * ChainRig.MS && m.classicMeanNanos() < 20 * ChainRig.MS,
                "classic mean sojourn near the 15 ms target: " + m);
        assertTrue(m.l4sPackets() > 0 && m.classicPackets() > 0, m.toString());
        assertEquals(m, mix(2026), "repeatable by seed");
    }
}
