package io.nettyvirtual.trace;

import static io.nettyvirtual.trace.PacketTraceTest.send;
import static io.nettyvirtual.trace.PacketTraceTest.sink;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.network.Host;
import io.nettyvirtual.network.Switch;
import io.nettyvirtual.network.Wire;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.stats.PacketTap;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Topology and configuration changes in the trace (plugging and unplugging wires and hosts, a link's or a wire's
 * config replaced or updated), at their virtual times and in the hash; the ring of the last events.
 */
class TraceChangesTest {
    private static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 1000);
    private static final InetSocketAddress B = new InetSocketAddress("10.0.0.2", 2000);

    /** The changes of {@code trace}, as {@code "<ms> <element>: <change>"}. */
    private static List<String> changes(PacketTrace trace) {
        return trace.events().stream()
                .filter(e -> e.event() == PacketTap.Event.CHANGED)
                .map(e -> TraceEvent.millis(e.nanos()) + " " + e.element() + " " + e.change())
                .collect(Collectors.toList());
    }

    @Test
    void plugsUnplugsAndConfigChangesAreTracedAtTheirTimes() throws Exception {
        PacketTrace trace = PacketTrace.inMemory();
        try (VirtualNetwork net = VirtualNetwork.create(1)) {
            net.addTap(trace);
            Host a = net.newHost("a", "10.0.0.1");
            Host b = net.newHost("b", "10.0.0.2");
            Switch sw = net.newSwitch("sw");
            Wire w = net.newWire(a, sw, LinkConfig.delayed(Duration.ofMillis(1)));
            net.runFor(Duration.ofMillis(1));
            sw.plug(b);
            net.runFor(Duration.ofMillis(1));
            w.aToB().configure(LinkConfig.delayed(Duration.ofMillis(3)));
            w.bToA().update(c -> c.loss(0.5));
            net.runFor(Duration.ofMillis(1));
            w.update(c -> c.down(true));
            w.configure(LinkConfig.ideal());
            net.runFor(Duration.ofMillis(1));
            sw.unplug(b);
            w.end().unplug();
            w.start().unplug();
        }
        assertEquals(
                List.of(
                        "0.000000 a topology changed",
                        "0.000000 sw topology changed",
                        "1.000000 sw topology changed",
                        "2.000000 wire1 a->sw configured: " + LinkConfig.delayed(Duration.ofMillis(3)),
                        "2.000000 wire1 sw->a configured: "
                                + LinkConfig.delayed(Duration.ofMillis(1)).loss(0.5),
                        "3.000000 wire1 a->sw configured: "
                                + LinkConfig.delayed(Duration.ofMillis(3)).down(true),
                        "3.000000 wire1 sw->a configured: "
                                + LinkConfig.delayed(Duration.ofMillis(1))
                                        .loss(0.5)
                                        .down(true),
                        "3.000000 wire1 a->sw configured: " + LinkConfig.ideal(),
                        "3.000000 wire1 sw->a configured: " + LinkConfig.ideal(),
                        "4.000000 sw topology changed: Host(b)",
                        "4.000000 sw topology changed: Host(a)",
                        "4.000000 a topology changed"),
                changes(trace));
        assertEquals(trace.events().size(), trace.count(), "no packet: only changes");
    }

    @Test
    void anInterfaceGoingDownAndUpIsTracedByName() {
        PacketTrace trace = PacketTrace.inMemory();
        try (VirtualNetwork net = VirtualNetwork.create(2)) {
            net.addTap(trace);
            Host phone = net.newHost("phone");
            io.nettyvirtual.network.Interface wifi = phone.newInterface("wlan0", 600, "192.168.1.20/24");
            net.runFor(Duration.ofMillis(2));
            wifi.down();
            net.runFor(Duration.ofMillis(3));
            wifi.up();
        }
        List<String> c = changes(trace);
        assertEquals(
                List.of("2.000000 phone interface wlan0 down", "5.000000 phone interface wlan0 up"),
                c.stream().filter(x -> x.contains("interface")).collect(Collectors.toList()),
                c.toString());
    }

    @Test
    void aChangeIsOneJsonLineAndPartOfTheHash(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("changes.jsonl");
        try (VirtualNetwork net = VirtualNetwork.create(1);
                PacketTrace trace = PacketTrace.toFile(file)) {
            Host a = net.newHost("a", "10.0.0.1");
            Host b = net.newHost("b", "10.0.0.2");
            Wire w = net.newWire(a, b);
            net.addTap(trace);
            net.runFor(Duration.ofMillis(2));
            w.aToB().update(c -> c.down(true));
        }
        assertEquals(
                List.of("{\"t\":2000000,\"event\":\"CHANGED\",\"element\":\"wire1 a->b\",\"change\":\"configured: "
                        + LinkConfig.ideal().down(true) + "\"}"),
                Files.readAllLines(file));
        TraceEvent e = TraceEvent.change(5, "sw", "topology changed");
        assertEquals("0.000005 ms CHANGED sw topology changed", e.toString());
        assertNotEquals(e.hash(), TraceEvent.change(6, "sw", "topology changed").hash(), "the time is hashed");
        assertNotEquals(
                e.hash(),
                TraceEvent.change(5, "sw", "topology changed: Host(b)").hash(),
                "and the text");
    }

    /** The same packets, the link's delay changed at 5 ms or at 6 ms (before any packet enters it at 10 ms). */
    private static Consumer<VirtualNetwork> reconfiguredAt(long millis) {
        return net -> {
            Host a = net.newHost("a", "10.0.0.1");
            Host b = net.newHost("b", "10.0.0.2");
            Wire w = net.newWire(a, b, LinkConfig.delayed(Duration.ofMillis(1)));
            sink(b, B);
            net.runFor(Duration.ofMillis(millis));
            w.configure(LinkConfig.delayed(Duration.ofMillis(2)));
            net.runFor(Duration.ofMillis(10 - millis));
            send(a, A, B, 10);
            net.runUntilIdle();
        };
    }

    @Test
    void aChangeAtAnotherTimeChangesTheHashThoughThePacketsAreTheSame() throws Exception {
        PacketTrace five = PacketTraceTest.traced(1, reconfiguredAt(5));
        PacketTrace six = PacketTraceTest.traced(1, reconfiguredAt(6));
        assertEquals(
                five.events().stream()
                        .filter(e -> e.event() != PacketTap.Event.CHANGED)
                        .collect(Collectors.toList()),
                six.events().stream()
                        .filter(e -> e.event() != PacketTap.Event.CHANGED)
                        .collect(Collectors.toList()));
        assertNotEquals(five.hash(), six.hash());
        assertEquals(DeterminismCheck.check(1, reconfiguredAt(5)), five.hash());
    }

    @Test
    void theCheckNamesADivergingChange() {
        int[] runs = {0};
        AssertionError e = assertThrows(
                AssertionError.class,
                () -> DeterminismCheck.check(3, net -> {
                    runs[0]++;
                    Host a = net.newHost("a", "10.0.0.1");
                    Host b = net.newHost("b", "10.0.0.2");
                    Wire w = net.newWire(a, b);
                    net.runFor(Duration.ofMillis(runs[0]));
                    w.aToB().update(c -> c.loss(0.1));
                }));
        String m = e.getMessage();
        assertTrue(
                m.startsWith("two runs of seed 3 diverge at event #2 at 1.000000 ms (run 1 saw 3 events, run 2 3)\n"
                                + "  run 1: 1.000000 ms CHANGED wire1 a->b configured: LinkConfig(")
                        && m.contains("\n  run 2: 2.000000 ms CHANGED wire1 a->b configured: LinkConfig(")
                        && m.contains("\n    #1 0.000000 ms CHANGED b topology changed\n"),
                m);
    }

    @Test
    void theRingGivesBackEveryFieldAsTheTapSawIt() {
        PacketTrace ring = PacketTrace.last(2);
        PacketTrace all = PacketTrace.inMemory();
        Packet p = new Packet(
                A,
                new InetSocketAddress("2001:db8::1", 443),
                Unpooled.buffer(70_000).writeZero(65_507),
                null);
        try {
            p.ttl(255);
            p.ecn(3);
            for (PacketTrace t : List.of(ring, all)) {
                t.changed(1, "wire1 a->b", "configured: x");
                t.packet(2, PacketTap.Event.DROPPED, "sw", p, DropReason.values()[DropReason.values().length - 1]);
                t.packet(3, PacketTap.Event.DELIVERED, "network", p, null);
            }
        } finally {
            p.release();
        }
        assertEquals(all.events().subList(1, 3), ring.events());
        assertEquals(255, ring.events().get(0).ttl());
        assertEquals(3, ring.events().get(0).ecn());
        assertEquals(65_507, ring.events().get(0).size());
        assertEquals(all.hash(), ring.hash());
    }

    @Test
    void theRingKeepsTheLastEventsAndHashesThemAll(@TempDir Path dir) throws Exception {
        PacketTrace all = PacketTraceTest.traced(7, PacketTraceTest.SWITCH);
        PacketTrace last = PacketTrace.last(100);
        PacketTrace one = PacketTrace.last(1);
        try (VirtualNetwork net = VirtualNetwork.builder().seed(7).build()) {
            net.addTap(last);
            net.addTap(one);
            PacketTraceTest.SWITCH.accept(net);
        }
        assertEquals(all.hash(), last.hash());
        assertEquals(all.count(), last.count());
        List<TraceEvent> every = all.events();
        assertTrue(every.size() > 300, "the ring wraps: " + every.size());
        assertEquals(every.subList(every.size() - 100, every.size()), last.events());
        assertEquals(List.of(every.get(every.size() - 1)), one.events());
        Path file = last.writeJson(dir.resolve("sub").resolve("last.jsonl"));
        List<String> lines = Files.readAllLines(file);
        assertEquals(100, lines.size());
        assertEquals(every.get(every.size() - 100).toJson(), lines.get(0));
        PacketTrace few = PacketTrace.last(1000);
        try (VirtualNetwork net = VirtualNetwork.builder().seed(7).build()) {
            net.addTap(few);
            PacketTraceTest.SWITCH.accept(net);
        }
        assertEquals(every.subList(every.size() - Math.min(1000, every.size()), every.size()), few.events());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> PacketTrace.last(0));
        assertEquals("capacity: 0 (expected 1 to 16777216 events)", bad.getMessage());
        assertThrows(IllegalStateException.class, () -> PacketTrace.hashing().writeJson(dir.resolve("x")));
    }
}
