package io.nettyvirtual.network;

import static io.nettyvirtual.testing.Nets.addr;
import static io.nettyvirtual.testing.Nets.bind;
import static io.nettyvirtual.testing.Nets.sized;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.channel.VirtualEventLoopGroup;
import io.nettyvirtual.engine.TimedEvent;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.stats.PacketCounters;
import io.nettyvirtual.testing.Recorder;
import io.nettyvirtual.testing.TwoHosts;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Pipelined delay, serialization, tail drop and the packet accounting of a wire. */
class LinkTest {
    private static final long MS = 1_000_000L;

    @Test
    void delayIsPipelined() {
        try (TwoHosts t =
                new TwoHosts(11, LinkConfig.delayed(Duration.ofMillis(50)).bitsPerSecond(8_000_000))) {
            VirtualNetwork net = t.net;
            Recorder rec = t.rec;
            t.send(1000, 1000);
            assertTrue(net.runUntil(() -> rec.count() == 1000));

            // 1,000 bytes at 1,000,000 bytes/s is 1 ms each: the first arrives at 1 + 50 ms, the last at 1000 + 50 ms.
            assertEquals(51 * MS, rec.arrivals.get(0).nanos);
            assertEquals(1050 * MS, rec.last().nanos);
            for (int i = 1; i < 1000; i++) {
                assertEquals(MS, rec.arrivals.get(i).nanos - rec.arrivals.get(i - 1).nanos, "spacing at " + i);
            }
            assertEquals(0, net.counters().dropped());
        }
    }

    @Test
    void burstLargerThanTheQueueLosesExactlyTheExcess() {
        try (TwoHosts t = new TwoHosts(12, LinkConfig.limited(1_000_000).queuePackets(10))) {
            VirtualNetwork net = t.net;
            Wire wire = t.wire;
            Recorder rec = t.rec;
            t.send(100, 1000);
            net.runUntilIdle();

            // One packet on the wire being serialized, ten waiting in the queue; the other 89 are tail-dropped.
            assertEquals(11, rec.count());
            PacketCounters link = wire.aToB().counters();
            assertEquals(100, link.sent());
            assertEquals(11, link.delivered());
            assertEquals(89, link.dropped(DropReason.QUEUE_FULL));
            assertEquals(0, link.inFlight());
            assertTrue(link.isBalanced());
            PacketCounters total = net.counters();
            assertEquals(100, total.sent());
            assertEquals(11, total.delivered());
            assertEquals(89, total.dropped(DropReason.QUEUE_FULL));
            assertEquals(89_000, total.droppedBytes(DropReason.QUEUE_FULL));
            assertTrue(total.isBalanced());
        }
    }

    @Test
    void byteLimitedQueueDropsWhatDoesNotFit() {
        try (TwoHosts t = new TwoHosts(13, LinkConfig.limited(1_000_000).queueBytes(2500))) {
            t.send(10, 1000);
            t.net.runUntilIdle();
            assertEquals(3, t.rec.count(), "one serializing, two fit in 2,500 queued bytes");
            assertEquals(7, t.wire.aToB().counters().dropped(DropReason.QUEUE_FULL));
        }
    }

    @Test
    void countsAddUpAtEveryInstant() {
        try (VirtualNetwork net = VirtualNetwork.create(14)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Switch sw = net.newSwitch("sw");
            Host a = net.newHost("a", "10.0.0.1");
            Host b = net.newHost("b", "10.0.0.2");
            Host c = net.newHost("c", "10.0.0.3");
            net.newWire(
                    a,
                    sw,
                    LinkConfig.delayed(Duration.ofMillis(10))
                            .bytesPerSecond(200_000)
                            .loss(0.05));
            net.newWire(
                    b,
                    sw,
                    LinkConfig.delayed(Duration.ofMillis(20))
                            .bytesPerSecond(100_000)
                            .queuePackets(5));
            net.newWire(c, sw, LinkConfig.delayed(Duration.ofMillis(5)));
            Channel ca = bind(net, group, addr("10.0.0.1", 1), new Recorder(net.clock()));
            Channel cc = bind(net, group, addr("10.0.0.3", 3), new Recorder(net.clock()));
            bind(net, group, addr("10.0.0.2", 2), new Recorder(net.clock()));

            for (int i = 0; i < 50; i++) {
                ca.write(sized(500, addr("10.0.0.2", 2)));
                cc.write(sized(700, addr("10.0.0.2", 2)));
                cc.write(sized(100, addr("10.0.0.9", 9))); // nobody owns it
                ca.write(sized(100, addr("10.0.0.2", 4444))); // nobody listens
            }
            ca.flush();
            cc.flush();
            for (int step = 0; step < 400; step++) {
                PacketCounters t = net.counters();
                assertTrue(t.isBalanced(), t.toString());
                assertEquals(net.packetsInWires(), t.inFlight(), "in flight = what the wires hold, at step " + step);
                for (Wire w : net.wires()) {
                    assertTrue(w.aToB().counters().isBalanced());
                    assertTrue(w.bToA().counters().isBalanced());
                }
                net.runFor(Duration.ofMillis(1));
            }
            PacketCounters t = net.counters();
            assertTrue(t.dropped(DropReason.PORT_UNREACHABLE) > 0, "some reach b, where nobody listens on 4444");
            assertEquals(
                    200 + t.dropped(DropReason.PORT_UNREACHABLE),
                    t.sent(),
                    "the 200 datagrams, and b's ICMP error about each one that found no socket (a's socket is bound)");
            assertEquals(0, t.inFlight());
            assertEquals(50, t.dropped(DropReason.NO_ROUTE));
            assertTrue(t.dropped(DropReason.QUEUE_FULL) > 0);
            assertTrue(t.dropped(DropReason.LOSS) > 0);
            assertEquals(t.sent(), t.delivered() + t.dropped());
        }
    }

    @Test
    void settingsChangeWhileRunning() {
        try (TwoHosts t = new TwoHosts(15, LinkConfig.delayed(Duration.ofMillis(10)))) {
            VirtualNetwork net = t.net;
            Wire wire = t.wire;
            Recorder rec = t.rec;
            Channel sender = t.sender;

            sender.writeAndFlush(sized(100, addr("10.0.0.2", 2)));
            net.runUntilIdle();
            assertEquals(10 * MS, rec.last().nanos);

            wire.update(c -> c.delay(Duration.ofMillis(30)));
            long sentAt = net.clock().nanoTime();
            sender.writeAndFlush(sized(100, addr("10.0.0.2", 2)));
            net.runUntilIdle();
            assertEquals(sentAt + 30 * MS, rec.last().nanos);

            wire.update(c -> c.bytesPerSecond(10_000));
            sentAt = net.clock().nanoTime();
            sender.writeAndFlush(sized(100, addr("10.0.0.2", 2)));
            net.runUntilIdle();
            assertEquals(sentAt + 10 * MS + 30 * MS, rec.last().nanos, "100 B at 10,000 B/s is 10 ms");

            wire.update(c -> c.loss(1.0));
            sender.writeAndFlush(sized(100, addr("10.0.0.2", 2)));
            net.runUntilIdle();
            assertEquals(3, rec.count());
            assertEquals(1, wire.aToB().counters().dropped(DropReason.LOSS));
        }
    }

    @Test
    void blackholeAndFilter() {
        try (TwoHosts t = new TwoHosts(16, LinkConfig.delayed(Duration.ofMillis(10)))) {
            VirtualNetwork net = t.net;
            Wire wire = t.wire;
            Recorder rec = t.rec;
            Channel sender = t.sender;

            sender.writeAndFlush(sized(100, addr("10.0.0.2", 2)));
            net.runFor(Duration.ofMillis(5));
            wire.update(c -> c.down(true)); // the one in flight still arrives
            sender.writeAndFlush(sized(100, addr("10.0.0.2", 2)));
            net.runUntilIdle();
            assertEquals(1, rec.count());
            assertEquals(1, wire.aToB().counters().dropped(DropReason.LINK_DOWN));

            wire.update(c -> c.down(false));
            wire.aToB().update(c -> c.filter(p -> p.size() == 77));
            sender.writeAndFlush(sized(77, addr("10.0.0.2", 2)));
            sender.writeAndFlush(sized(78, addr("10.0.0.2", 2)));
            net.runUntilIdle();
            assertEquals(2, rec.count());
            assertEquals(78, rec.last().size);
            assertEquals(1, net.counters().dropped(DropReason.FILTERED));
            assertTrue(net.counters().isBalanced());
        }
    }

    @Test
    void slottedDeliveryReleasesPacketsAtSlotBoundariesAsOneBurst() {
        // 1,000 bytes at 1,000,000 bytes/s is 1 ms each: without slots they arrive at 51, 52, ... 60 ms.
        LinkConfig config = LinkConfig.delayed(Duration.ofMillis(50))
                .bytesPerSecond(1_000_000)
                .slot(Duration.ofMillis(4));
        try (TwoHosts t = new TwoHosts(17, config)) {
            t.send(10, 1000);
            assertTrue(t.net.runUntil(() -> t.rec.count() == 10));
            long[] expected = {52, 52, 56, 56, 56, 56, 60, 60, 60, 60};
            for (int i = 0; i < 10; i++) {
                assertEquals(expected[i] * MS, t.rec.arrivals.get(i).nanos, "arrival " + i);
            }
            assertEquals(3, t.rec.readBursts, "one read burst per slot");

            t.wire.update(c -> c.slot(Duration.ZERO)); // back to exact arrivals
            long start = t.net.clock().nanoTime();
            t.send(3, 1000);
            assertTrue(t.net.runUntil(() -> t.rec.count() == 13));
            for (int i = 0; i < 3; i++) {
                assertEquals(start + (51 + i) * MS, t.rec.arrivals.get(10 + i).nanos, "unslotted arrival " + i);
            }
            assertEquals(6, t.rec.readBursts, "one read burst per packet again");
            assertTrue(t.net.counters().isBalanced());
        }
    }

    @Test
    void slotsKeepOrderAndDelayAnIdealLinkToTheNextBoundary() {
        try (TwoHosts t = new TwoHosts(18, LinkConfig.ideal().slot(Duration.ofMillis(10)))) {
            t.net.runFor(Duration.ofMillis(3));
            for (int i = 1; i <= 5; i++) {
                t.sender.write(sized(i, TwoHosts.B));
            }
            t.sender.flush();
            assertTrue(t.net.runUntil(() -> t.rec.count() == 5));
            for (int i = 0; i < 5; i++) {
                assertEquals(10 * MS, t.rec.arrivals.get(i).nanos);
                assertEquals(i + 1, t.rec.arrivals.get(i).size, "order kept");
            }
            assertEquals(1, t.rec.readBursts);
        }
    }

    @Test
    void aFilterThatThrowsIsContainedOnEveryHop() {
        try (VirtualNetwork net = VirtualNetwork.create(19)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Switch sw = net.newSwitch("sw");
            Host a = net.newHost("a", "10.0.0.1");
            Host b = net.newHost("b", "10.0.0.2");
            Wire first = net.newWire(a, sw, LinkConfig.delayed(Duration.ofMillis(1)));
            Wire second = net.newWire(sw, b, LinkConfig.delayed(Duration.ofMillis(2)));
            first.aToB()
                    .update(c -> c.filter(p -> {
                        if (p.size() == 77) {
                            throw new IllegalStateException("broken filter on the first hop");
                        }
                        return false;
                    }));
            second.aToB()
                    .update(c -> c.filter(p -> {
                        if (p.size() == 78) {
                            throw new IllegalStateException("broken filter on the second hop");
                        }
                        return false;
                    }));
            Recorder rec = new Recorder(net.clock());
            Channel sender = bind(net, group, addr("10.0.0.1", 1), new Recorder(net.clock()));
            bind(net, group, addr("10.0.0.2", 2), rec);

            sender.writeAndFlush(sized(77, addr("10.0.0.2", 2)));
            sender.writeAndFlush(sized(78, addr("10.0.0.2", 2)));
            sender.writeAndFlush(sized(79, addr("10.0.0.2", 2)));
            net.runUntilIdle(); // returns: nothing escapes

            assertTrue(sender.isActive(), "the sending channel stays open");
            assertEquals(1, rec.count());
            assertEquals(79, rec.last().size);
            assertEquals(3 * MS, rec.last().nanos);
            assertEquals(1, first.aToB().counters().dropped(DropReason.FILTER_FAILED));
            assertEquals(1, second.aToB().counters().dropped(DropReason.FILTER_FAILED));
            PacketCounters total = net.counters();
            assertEquals(2, total.dropped(DropReason.FILTER_FAILED));
            assertTrue(total.isBalanced(), total.toString());
            assertEquals(0, total.inFlight());
            assertEquals(0, net.packetsInWires());
        }
    }

    @Test
    void oneVocabularyAtCreationAndWhileRunning() {
        LinkConfig up = LinkConfig.delayed(Duration.ofMillis(10)).bytesPerSecond(100_000);
        LinkConfig down = LinkConfig.delayed(Duration.ofMillis(20));
        try (VirtualNetwork net = VirtualNetwork.create(20)) {
            Wire w = net.newWire(net.newHost("a", "10.0.0.1"), net.newHost("b", "10.0.0.2"), up, down);
            assertEquals(up, w.aToB().config());
            assertEquals(down, w.bToA().config());

            w.update(c -> c.loss(0.25)); // each direction from its own config
            assertEquals(up.loss(0.25), w.aToB().config());
            assertEquals(down.loss(0.25), w.bToA().config());

            w.bToA().configure(LinkConfig.ideal());
            assertEquals(LinkConfig.ideal(), w.bToA().config());
            assertEquals(up.loss(0.25), w.aToB().config());

            w.configure(up);
            assertEquals(up, w.aToB().config());
            assertEquals(up, w.bToA().config());

            // A bad value or a failing update changes nothing, in either direction.
            assertThrows(IllegalArgumentException.class, () -> w.update(c -> c.loss(2)));
            int[] calls = new int[1];
            assertThrows(
                    IllegalStateException.class,
                    () -> w.update(c -> {
                        if (++calls[0] == 2) {
                            throw new IllegalStateException("fails for the second direction");
                        }
                        return c.loss(0.5);
                    }));
            assertEquals(2, calls[0]);
            assertEquals(up, w.aToB().config());
            assertEquals(up, w.bToA().config());
            assertThrows(NullPointerException.class, () -> w.aToB().update(c -> null));
            assertThrows(NullPointerException.class, () -> w.configure(null));
            assertThrows(NullPointerException.class, () -> net.newWire(LinkConfig.ideal(), null));
        }
    }

    @Test
    void aLongWireNearTheEndOfTimeDoesNotDeliverAtOnce() {
        try (TwoHosts t = new TwoHosts(21, LinkConfig.delayed(Duration.ofDays(365)))) {
            long late = Long.MAX_VALUE - Duration.ofDays(1).toNanos();
            t.net.simulation()
                    .schedule(
                            new TimedEvent() {
                                @Override
                                protected void fire() {}
                            },
                            late);
            t.net.runUntilIdle(); // the clock is now a day before its end
            assertEquals(late, t.net.clock().nanoTime());

            t.sender.writeAndFlush(sized(100, TwoHosts.B));
            t.net.runFor(Duration.ofHours(1));
            assertEquals(0, t.rec.count(), "365 days from here is beyond the clock: never, not now");
            assertEquals(1, t.wire.aToB().counters().inFlight());
            assertEquals(1, t.net.packetsInWires());
            assertTrue(t.net.counters().isBalanced());
        }
    }

    @Test
    void aDelayTooLongForTheClockIsRejectedWhileRunningToo() {
        try (TwoHosts t = new TwoHosts(22, LinkConfig.delayed(Duration.ofMillis(10)))) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> t.wire.update(c -> c.delay(Duration.ofDays(365_000))));
            assertTrue(e.getMessage().startsWith("delay: PT8760000H"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> t.wire.update(c -> c.delayMillis(1e300)));
            assertTrue(e.getMessage().startsWith("delay: 1.0E300 ms"), e.getMessage());
            assertEquals(Duration.ofMillis(10), t.wire.aToB().config().delay(), "unchanged");
        }
    }
}
