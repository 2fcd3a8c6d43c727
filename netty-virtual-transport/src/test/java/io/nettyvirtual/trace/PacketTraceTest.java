package io.nettyvirtual.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.network.DatagramEndpoint;
import io.nettyvirtual.network.Host;
import io.nettyvirtual.network.Switch;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.stats.PacketTap;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trace and its hash: the same seed gives the same hash over a lossy rate-limited wire and a switch with several
 * hosts, another seed another; the JSON lines; the determinism check
 * names the first diverging event of a scenario that is not deterministic; bad input fails early.
 */
class PacketTraceTest {
    private static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 1000);
    private static final InetSocketAddress B = new InetSocketAddress("10.0.0.2", 2000);

    /** Binds a socket that releases what it reads. */
    static void sink(Host host, InetSocketAddress address) {
        try {
            host.bind(
                    new DatagramEndpoint() {
                        @Override
                        public boolean accepts(InetSocketAddress sender) {
                            return true;
                        }

                        @Override
                        public boolean deliver(Packet packet) {
                            packet.content().release();
                            return true;
                        }

                        @Override
                        public void portUnreachable(InetSocketAddress destination) {}
                    },
                    address);
        } catch (BindException e) {
            throw new IllegalStateException(e);
        }
    }

    static void send(Host host, InetSocketAddress from, InetSocketAddress to, int size) {
        host.send(from, to, Unpooled.buffer(size).writeZero(size), null);
    }

    /** Two hosts over a wire with 10% loss, 100 kB/s and a 20-packet queue: loss and queue drops, by the seed. */
    static final Consumer<VirtualNetwork> LOSSY_WIRE = net -> {
        Host a = net.newHost("a", "10.0.0.1");
        Host b = net.newHost("b", "10.0.0.2");
        net.newWire(
                a,
                b,
                LinkConfig.limited(100_000)
                        .loss(0.1)
                        .delay(Duration.ofMillis(5))
                        .queuePackets(20));
        sink(b, B);
        for (int i = 0; i < 50; i++) {
            send(a, A, B, 200 + 10 * i);
            net.runFor(Duration.ofMillis(1));
        }
        net.runUntilIdle();
    };

    /** Four hosts on a switch over lossy wires, each sending to every other. */
    static final Consumer<VirtualNetwork> SWITCH = net -> {
        Switch sw = net.newSwitch("sw");
        List<Host> hosts = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            Host h = net.newHost("h" + i, "10.0.0." + i);
            net.newWire(
                    h, sw, LinkConfig.delayed(Duration.ofMillis(i)).loss(0.05).bytesPerSecond(1_000_000));
            sink(h, new InetSocketAddress("10.0.0." + i, 9));
            hosts.add(h);
        }
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    if (i != j) {
                        send(
                                hosts.get(i),
                                new InetSocketAddress("10.0.0." + (i + 1), 5000),
                                new InetSocketAddress("10.0.0." + (j + 1), 9),
                                100 + round);
                    }
                }
            }
            net.runFor(Duration.ofMillis(2));
        }
        net.runUntilIdle();
    };

    static PacketTrace traced(long seed, Consumer<VirtualNetwork> scenario) throws Exception {
        PacketTrace trace = PacketTrace.inMemory();
        try (VirtualNetwork net = VirtualNetwork.builder().seed(seed).build()) {
            net.addTap(trace);
            scenario.accept(net);
            assertTrue(net.counters().isBalanced());
        }
        return trace;
    }

    @Test
    void theSameSeedGivesTheSameHashAndAnotherSeedAnother() throws Exception {
        for (Consumer<VirtualNetwork> scenario : List.of(LOSSY_WIRE, SWITCH)) {
            PacketTrace one = traced(7, scenario);
            PacketTrace two = traced(7, scenario);
            PacketTrace other = traced(8, scenario);
            assertEquals(one.hash(), two.hash());
            assertEquals(one.events(), two.events());
            assertNotEquals(one.hash(), other.hash(), "loss decided by another seed");
            assertEquals(DeterminismCheck.check(7, scenario), one.hash());
            assertTrue(one.events().stream().anyMatch(e -> e.reason() == DropReason.LOSS), "some loss");
        }
        PacketTrace lossy = traced(7, LOSSY_WIRE);
        assertTrue(lossy.events().stream().anyMatch(e -> e.reason() == DropReason.QUEUE_FULL), "some queue drops");
    }

    @Test
    void theRunningHashFoldsTheEventsHashesInOrder() throws Exception {
        PacketTrace trace = traced(3, SWITCH);
        long h = TraceHash.EMPTY;
        for (TraceEvent e : trace.events()) {
            h = TraceHash.append(h, e.hash());
        }
        assertEquals(h, trace.hash());
        assertEquals(trace.events().size(), trace.count());
        assertEquals(16, trace.hashHex().length());
        assertEquals(TraceHash.EMPTY, PacketTrace.hashing().hash());
    }

    @Test
    void writesOneJsonObjectPerEvent(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("trace.jsonl");
        PacketTrace trace = PacketTrace.toFile(file);
        InetSocketAddress nobody = new InetSocketAddress("10.0.0.9", 9);
        try (VirtualNetwork net = VirtualNetwork.create(1);
                trace) {
            Host a = net.newHost("a", "10.0.0.1");
            Switch sw = net.newSwitch("sw");
            net.newWire(a, sw, LinkConfig.delayed(Duration.ofMillis(10)));
            net.addTap(trace);
            send(a, A, nobody, 4);
            net.runUntilIdle();
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(
                List.of(
                        "{\"t\":0,\"event\":\"SENT\",\"element\":\"network\",\"proto\":\"UDP\",\"src\":\"10.0.0.1:1000\","
                                + "\"dst\":\"10.0.0.9:9\",\"size\":4,\"ttl\":64,\"ecn\":0,\"reason\":null}",
                        "{\"t\":0,\"event\":\"ENTERED\",\"element\":\"a\",\"proto\":\"UDP\",\"src\":\"10.0.0.1:1000\","
                                + "\"dst\":\"10.0.0.9:9\",\"size\":4,\"ttl\":64,\"ecn\":0,\"reason\":null}",
                        "{\"t\":0,\"event\":\"LEFT\",\"element\":\"a\",\"proto\":\"UDP\",\"src\":\"10.0.0.1:1000\","
                                + "\"dst\":\"10.0.0.9:9\",\"size\":4,\"ttl\":64,\"ecn\":0,\"reason\":null}",
                        "{\"t\":0,\"event\":\"ENTERED\",\"element\":\"wire1 a->sw\",\"proto\":\"UDP\",\"src\":\"10.0.0.1:1000\","
                                + "\"dst\":\"10.0.0.9:9\",\"size\":4,\"ttl\":64,\"ecn\":0,\"reason\":null}",
                        "{\"t\":10000000,\"event\":\"LEFT\",\"element\":\"wire1 a->sw\",\"proto\":\"UDP\","
                                + "\"src\":\"10.0.0.1:1000\",\"dst\":\"10.0.0.9:9\",\"size\":4,\"ttl\":64,\"ecn\":0,\"reason\":null}",
                        "{\"t\":10000000,\"event\":\"ENTERED\",\"element\":\"sw\",\"proto\":\"UDP\",\"src\":\"10.0.0.1:1000\","
                                + "\"dst\":\"10.0.0.9:9\",\"size\":4,\"ttl\":64,\"ecn\":0,\"reason\":null}",
                        "{\"t\":10000000,\"event\":\"DROPPED\",\"element\":\"sw\",\"proto\":\"UDP\",\"src\":\"10.0.0.1:1000\","
                                + "\"dst\":\"10.0.0.9:9\",\"size\":4,\"ttl\":64,\"ecn\":0,\"reason\":\"NO_ROUTE\"}"),
                lines);
        assertEquals(7, trace.count());
    }

    @Test
    void theCheckNamesTheFirstDivergingEventAndTheSharedOnesBeforeIt() {
        int[] runs = {0};
        AssertionError e = assertThrows(
                AssertionError.class,
                () -> DeterminismCheck.check(5, net -> {
                    runs[0]++;
                    Host a = net.newHost("a", "10.0.0.1");
                    Host b = net.newHost("b", "10.0.0.2");
                    net.newWire(a, b, LinkConfig.delayed(Duration.ofMillis(10)));
                    sink(b, B);
                    send(a, A, B, 4);
                    net.runFor(Duration.ofMillis(3));
                    send(a, A, B, runs[0] == 1 ? 4 : 5); // the second run sends a bigger datagram
                    net.runUntilIdle();
                }));
        // The wire's two ends plugged (#0, #1), then the first datagram is SENT, ENTERED a, LEFT a, ENTERED the wire
        // (#2-#5), in the wire at 3 ms.
        assertEquals(
                "two runs of seed 5 diverge at event #6 at 3.000000 ms (run 1 saw 18 events, run 2 18)\n"
                        + "  run 1: 3.000000 ms SENT network UDP 10.0.0.1:1000 > 10.0.0.2:2000 4 B\n"
                        + "  run 2: 3.000000 ms SENT network UDP 10.0.0.1:1000 > 10.0.0.2:2000 5 B\n"
                        + "  after the same events:\n"
                        + "    #3 0.000000 ms ENTERED a UDP 10.0.0.1:1000 > 10.0.0.2:2000 4 B\n"
                        + "    #4 0.000000 ms LEFT a UDP 10.0.0.1:1000 > 10.0.0.2:2000 4 B\n"
                        + "    #5 0.000000 ms ENTERED wire1 a->b UDP 10.0.0.1:1000 > 10.0.0.2:2000 4 B\n"
                        + "  replay one run with -Dnettyvirtual.seed=5",
                e.getMessage());
    }

    @Test
    void theCheckNamesARunThatEndsEarly() {
        int[] runs = {0};
        AssertionError e = assertThrows(
                AssertionError.class,
                () -> DeterminismCheck.check(6, net -> {
                    runs[0]++;
                    Host a = net.newHost("a", "10.0.0.1");
                    Host b = net.newHost("b", "10.0.0.2");
                    net.newWire(a, b);
                    sink(b, B);
                    if (runs[0] == 1) {
                        send(a, A, B, 4);
                    }
                    net.runUntilIdle();
                }));
        assertEquals(
                "two runs of seed 6 diverge at event #2 at 0.000000 ms "
                        + "(run 1 saw 10 events, run 2 2)\n"
                        + "  run 1: 0.000000 ms SENT network UDP 10.0.0.1:1000 > 10.0.0.2:2000 4 B\n"
                        + "  run 2: no event (the run ended)\n"
                        + "  after the same events:\n"
                        + "    #0 0.000000 ms CHANGED a topology changed\n"
                        + "    #1 0.000000 ms CHANGED b topology changed\n"
                        + "  replay one run with -Dnettyvirtual.seed=6",
                e.getMessage());
    }

    /**
     * The send order comes from iterating a {@code HashMap} keyed by objects standing for channels, whose hash codes
     * are identity hash codes: each run sends in another order, and the check names the first send that differs.
     */
    @Test
    void catchesASendOrderTakenFromIdentityHashCodes() {
        int senders = 10;
        AssertionError e = assertThrows(
                AssertionError.class,
                () -> DeterminismCheck.check(9, net -> {
                    Host a = net.newHost("a", "10.0.0.1");
                    Host b = net.newHost("b", "10.0.0.2");
                    net.newWire(a, b, LinkConfig.delayed(Duration.ofMillis(1)));
                    sink(b, B);
                    Map<Object, Integer> ports = new HashMap<>();
                    for (int i = 0; i < senders; i++) {
                        ports.put(new Object(), 3000 + i);
                    }
                    for (int port : ports.values()) {
                        send(a, new InetSocketAddress("10.0.0.1", port), B, 8);
                    }
                    net.runUntilIdle();
                }));
        // The two plugs are events #0 and #1; then each datagram makes 8 events; each send at time 0 is SENT,
        // ENTERED a, LEFT a, ENTERED the wire: the first differing one is a SENT.
        Matcher m = Pattern.compile("two runs of seed 9 diverge at event #(\\d+) at 0\\.000000 ms "
                        + "\\(run 1 saw (\\d+) events, run 2 (\\d+)\\)\n"
                        + "  run 1: 0\\.000000 ms SENT network UDP 10\\.0\\.0\\.1:(30\\d\\d) > 10\\.0\\.0\\.2:2000 8 B\n"
                        + "  run 2: 0\\.000000 ms SENT network UDP 10\\.0\\.0\\.1:(30\\d\\d) > 10\\.0\\.0\\.2:2000 8 B\n"
                        + "(.|\n)*")
                .matcher(e.getMessage());
        assertTrue(m.matches(), e.getMessage());
        assertEquals(0, (Integer.parseInt(m.group(1)) - 2) % 4, e.getMessage());
        assertEquals(2 + senders * 8, Integer.parseInt(m.group(2)));
        assertEquals(2 + senders * 8, Integer.parseInt(m.group(3)));
        assertNotEquals(m.group(4), m.group(5));
    }

    @Test
    void badInputFailsEarlyNamingIt(@TempDir Path dir) {
        NullPointerException npe = assertThrows(NullPointerException.class, () -> DeterminismCheck.check(1, null));
        assertEquals("scenario", npe.getMessage());
        IllegalStateException failed = assertThrows(
                IllegalStateException.class,
                () -> DeterminismCheck.check(4, net -> net.newHost("a", "not an address")));
        assertTrue(failed.getMessage().startsWith("run 1 of seed 4 failed: "), failed.getMessage());
        Path missing = dir.resolve("no such dir").resolve("trace.jsonl");
        UncheckedIOException io = assertThrows(UncheckedIOException.class, () -> PacketTrace.toFile(missing));
        assertTrue(io.getMessage().startsWith("cannot write a trace to " + missing), io.getMessage());
        assertThrows(NullPointerException.class, () -> PacketTrace.toFile(null));
        IllegalStateException noEvents = assertThrows(
                IllegalStateException.class, () -> PacketTrace.hashing().events());
        assertEquals(
                "this trace keeps no events: make it with PacketTrace.inMemory() or PacketTrace.last(n)",
                noEvents.getMessage());
        PacketTap tap = PacketTrace.hashing();
        assertTrue(tap.toString().startsWith("PacketTrace(0 events, hash "));
    }
}
