package io.nettyvirtual.network;

import static io.nettyvirtual.network.NatLab.MS;
import static io.nettyvirtual.network.nat.NatBehavior.ADDRESS_AND_PORT_DEPENDENT;
import static io.nettyvirtual.network.nat.NatBehavior.ADDRESS_DEPENDENT;
import static io.nettyvirtual.network.nat.NatBehavior.ENDPOINT_INDEPENDENT;
import static io.nettyvirtual.testing.Nets.addr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nettyvirtual.network.nat.AddressPooling;
import io.nettyvirtual.network.nat.NatBehavior;
import io.nettyvirtual.network.nat.NatConfig;
import io.nettyvirtual.network.nat.NatCounters;
import io.nettyvirtual.network.nat.NatRefusal;
import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.testing.Recorder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A {@link Router} with a NAT, seen from outside over real channels: what each mapping and filtering behaviour
 * lets back in and which external endpoint a second destination sees, port assignment, address pooling, mapping
 * lifetime at the exact virtual nanosecond, hairpinning, reboot and rebind, the counters, and a home NAT behind a
 * carrier-grade NAT. The topology is {@link NatLab}'s: home host to router 5 ms, router to the public switch 10 ms,
 * switch to a server 1 ms (16 ms one way).
 */
class NatRouterTest {
    private static final long S = 1_000 * MS;
    private static final String EXT = "203.0.113.2";

    /** A lab with two servers (s1 203.0.113.10, s2 203.0.113.20) and one home (192.168.1.0/24 behind EXT). */
    private static final class World implements AutoCloseable {
        final NatLab lab;
        final NatLab.Home home;
        final Host s1;
        final Host s2;

        World(long seed, NatConfig.Builder nat) {
            lab = new NatLab(seed);
            s1 = lab.server("s1", "203.0.113.10");
            s2 = lab.server("s2", "203.0.113.20");
            home = lab.home("home", EXT, "192.168.1.0/24", nat);
            home.host("alice", "192.168.1.10");
            home.host("bob", "192.168.1.11");
            home.host("carol", "192.168.1.12");
        }

        NatLab.Peer bind(String ip, int port) {
            return lab.bind(ip, port);
        }

        void run() {
            lab.net.runUntilIdle();
        }

        long dropped(DropReason reason) {
            return home.router.counters().dropped(reason);
        }

        NatCounters nat() {
            return home.router.natCounters();
        }

        @Override
        public void close() {
            assertTrue(lab.net.counters().isBalanced(), lab.net.counters().toString());
            lab.close();
        }
    }

    static Stream<Arguments> behaviours() {
        List<Arguments> all = new ArrayList<>();
        for (NatBehavior m : NatBehavior.values()) {
            for (NatBehavior f : NatBehavior.values()) {
                all.add(Arguments.of(m, f));
            }
        }
        return all.stream();
    }

    private static List<String> senders(Recorder r) {
        List<String> out = new ArrayList<>();
        for (Recorder.Arrival a : r.arrivals) {
            out.add(a.sender.getAddress().getHostAddress() + ":" + a.sender.getPort());
        }
        out.sort(null);
        return out;
    }

    @ParameterizedTest(name = "mapping {0}, filtering {1}")
    @MethodSource("behaviours")
    void mappingAndFilteringAsSeenFromOutside(NatBehavior mapping, NatBehavior filtering) {
        try (World w = new World(1, NatConfig.builder().mapping(mapping).filtering(filtering))) {
            NatLab.Peer s1a = w.bind("203.0.113.10", 3478);
            NatLab.Peer s1b = w.bind("203.0.113.10", 3479);
            NatLab.Peer s2a = w.bind("203.0.113.20", 3478);
            NatLab.Peer alice = w.bind("192.168.1.10", 5000);

            alice.send("to s1:3478", s1a.local());
            w.run();
            InetSocketAddress ext = s1a.lastSender();
            assertEquals(addr(EXT, 5000), ext, "the internal port is preserved");
            assertEquals(16 * MS, s1a.recorder.last().nanos);

            // Who may send back through the mapping alice opened towards s1:3478?
            s1a.send("from s1:3478", ext);
            s1b.send("from s1:3479", ext);
            s2a.send("from s2:3478", ext);
            w.run();
            List<String> admitted = new ArrayList<>(List.of("203.0.113.10:3478"));
            if (filtering != ADDRESS_AND_PORT_DEPENDENT) {
                admitted.add("203.0.113.10:3479"); // same address, another port
            }
            if (filtering == ENDPOINT_INDEPENDENT) {
                admitted.add("203.0.113.20:3478"); // another address
            }
            admitted.sort(null);
            assertEquals(admitted, senders(alice.recorder), "filtering " + filtering);
            assertEquals(3 - admitted.size(), w.dropped(DropReason.NAT_FILTERED));
            assertEquals(3 - admitted.size(), w.nat().refused(NatRefusal.FILTERED));
            for (Recorder.Arrival a : alice.recorder.arrivals) {
                assertEquals(16 * MS + 16 * MS, a.nanos, "11 ms to the NAT, 5 ms to alice, sent at 16 ms");
                assertEquals(addr("192.168.1.10", 5000), a.recipient, "translated back to alice's endpoint");
            }

            // Which external endpoint do other destinations see?
            alice.send("to s1:3479", s1b.local());
            alice.send("to s2:3478", s2a.local());
            w.run();
            InetSocketAddress toS1b = s1b.lastSender();
            InetSocketAddress toS2 = s2a.lastSender();
            if (mapping == ENDPOINT_INDEPENDENT) {
                assertEquals(ext, toS1b);
                assertEquals(ext, toS2);
                assertEquals(1, w.nat().created());
            } else if (mapping == ADDRESS_DEPENDENT) {
                assertEquals(ext, toS1b, "same destination address, same mapping");
                assertEquals(addr(EXT, 5002), toS2, "a new address, a new port (5001 breaks parity)");
                assertEquals(2, w.nat().created());
            } else {
                assertEquals(addr(EXT, 5002), toS1b, "another destination port is another mapping");
                assertEquals(addr(EXT, 5004), toS2);
                assertEquals(3, w.nat().created());
            }
            assertEquals(w.nat().created(), w.nat().active());
            assertEquals(w.nat().created(), w.home.router.natMappings().size());
        }
    }

    @Test
    void portsArePreservedWhenFreeAndKeepTheirParity() {
        try (World w = new World(2, NatConfig.portRestrictedCone())) {
            NatLab.Peer server = w.bind("203.0.113.10", 3478);
            w.bind("192.168.1.10", 5000).send("a", server.local());
            w.run();
            w.bind("192.168.1.11", 5000).send("b", server.local());
            w.run();
            w.bind("192.168.1.11", 5001).send("c", server.local());
            w.run();
            w.bind("192.168.1.12", 5001).send("d", server.local());
            w.run();
            assertEquals(
                    List.of(addr(EXT, 5000), addr(EXT, 5002), addr(EXT, 5001), addr(EXT, 5003)),
                    server.recorder.arrivals.stream().map(a -> a.sender).toList(),
                    "5000 kept, then the next free even port, 5001 kept, then the next free odd port");
        }
        try (World w = new World(2, NatConfig.portRestrictedCone().portParity(false))) {
            NatLab.Peer server = w.bind("203.0.113.10", 3478);
            w.bind("192.168.1.10", 5000).send("a", server.local());
            w.run();
            w.bind("192.168.1.11", 5000).send("b", server.local());
            w.run();
            assertEquals(addr(EXT, 5001), server.lastSender(), "without parity the next free port is taken");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"PAIRED", "ARBITRARY"})
    void aPoolOfExternalAddresses(String poolingName) throws Exception {
        AddressPooling pooling = AddressPooling.valueOf(poolingName);
        try (World w = new World(3, null)) {
            w.home.router.nat(
                    w.home.wan,
                    NatConfig.symmetric()
                            .pooling(pooling)
                            .externalAddresses(InetAddress.getByName(EXT), InetAddress.getByName("203.0.113.3"))
                            .build());
            NatLab.Peer s1 = w.bind("203.0.113.10", 3478);
            NatLab.Peer s2 = w.bind("203.0.113.20", 3478);
            NatLab.Peer alice = w.bind("192.168.1.10", 5000);
            NatLab.Peer bob = w.bind("192.168.1.11", 5000);
            alice.send("a1", s1.local());
            w.run();
            alice.send("a2", s2.local());
            w.run();
            bob.send("b1", s1.local());
            w.run();
            assertEquals(addr(EXT, 5000), s1.recorder.arrivals.get(0).sender, "alice's first mapping");
            if (pooling == AddressPooling.PAIRED) {
                assertEquals(addr(EXT, 5002), s2.lastSender(), "alice keeps her external address");
                assertEquals(addr("203.0.113.3", 5000), s1.lastSender(), "bob gets the next address");
            } else {
                assertEquals(addr("203.0.113.3", 5000), s2.lastSender(), "each mapping takes the next address");
                assertEquals(addr(EXT, 5002), s1.lastSender());
            }
            // The second address answers on the outside link: replies through it come back in.
            InetSocketAddress viaSecond = pooling == AddressPooling.PAIRED ? s1.lastSender() : s2.lastSender();
            NatLab.Peer replier = pooling == AddressPooling.PAIRED ? s1 : s2;
            replier.send("back", viaSecond);
            w.run();
            NatLab.Peer inside = pooling == AddressPooling.PAIRED ? bob : alice;
            assertEquals(1, inside.recorder.count());
            assertEquals(replier.local(), inside.lastSender());
        }
    }

    @Test
    void aMappingExpiresAtItsExactVirtualTime() {
        try (World w = new World(4, NatConfig.fullCone())) {
            NatLab.Peer server = w.bind("203.0.113.10", 3478);
            NatLab.Peer alice = w.bind("192.168.1.10", 5000);
            alice.send("open", server.local());
            w.run();
            InetSocketAddress ext = server.lastSender();
            long expiry = 5 * MS + 120 * S; // created when the datagram crossed the NAT, 5 ms after it was sent
            assertEquals(expiry, w.home.router.natMappings().get(0).expiry());

            long oneWay = 11 * MS; // server to the NAT
            w.lab.runTo(expiry - oneWay - 1);
            server.send("just in time", ext);
            w.lab.runTo(expiry - oneWay);
            server.send("too late", ext);
            w.lab.runTo(expiry - 1);
            assertEquals(1, w.nat().active(), "alive one nanosecond before its expiry");
            w.lab.runTo(expiry);
            NatCounters at = w.nat();
            assertEquals(0, at.active(), "gone at its expiry");
            assertEquals(1, at.expired());
            w.run();
            assertEquals(
                    List.of("just in time"),
                    alice.recorder.arrivals.stream().map(a -> a.text).toList());
            assertEquals(expiry - 1 + 5 * MS, alice.recorder.last().nanos);
            assertEquals(1, w.dropped(DropReason.NAT_NO_MAPPING), "the datagram that reached the NAT at expiry");
            assertEquals(1, w.lab.net.counters().dropped(DropReason.NAT_NO_MAPPING));
        }
    }

    @Test
    void outboundTrafficRefreshesTheMapping() {
        try (World w = new World(5, NatConfig.fullCone())) {
            NatLab.Peer server = w.bind("203.0.113.10", 3478);
            NatLab.Peer alice = w.bind("192.168.1.10", 5000);
            alice.send("open", server.local());
            w.run();
            InetSocketAddress ext = server.lastSender();
            w.lab.runTo(60 * S);
            alice.send("keepalive", server.local());
            w.run();
            long expiry = 60 * S + 5 * MS + 120 * S;
            assertEquals(expiry, w.home.router.natMappings().get(0).expiry());
            assertEquals(60 * S + 5 * MS, w.home.router.natMappings().get(0).lastRefresh());
            w.lab.runTo(expiry - 11 * MS - 1);
            server.send("still open", ext); // long after the first lifetime would have ended
            w.lab.runTo(expiry - 11 * MS);
            server.send("closed", ext);
            w.run();
            assertEquals(
                    List.of("still open"),
                    alice.recorder.arrivals.stream().map(a -> a.text).toList());
            assertEquals(1, w.dropped(DropReason.NAT_NO_MAPPING));
            assertEquals(1, w.nat().created(), "refreshed, not re-created");
        }
    }

    @ParameterizedTest(name = "inbound refresh {0}")
    @ValueSource(booleans = {false, true})
    void inboundTrafficRefreshesOnlyWhenConfigured(boolean inboundRefresh) {
        try (World w = new World(6, NatConfig.fullCone().inboundRefresh(inboundRefresh))) {
            NatLab.Peer server = w.bind("203.0.113.10", 3478);
            NatLab.Peer alice = w.bind("192.168.1.10", 5000);
            alice.send("open", server.local());
            w.run();
            InetSocketAddress ext = server.lastSender();
            w.lab.runTo(100 * S);
            server.send("push", ext);
            w.run();
            assertEquals(1, alice.recorder.count());
            long expiry = w.home.router.natMappings().get(0).expiry();
            assertEquals(inboundRefresh ? 100 * S + 11 * MS + 120 * S : 5 * MS + 120 * S, expiry);
            w.lab.runTo(200 * S);
            server.send("push again", ext);
            w.run();
            assertEquals(inboundRefresh ? 2 : 1, alice.recorder.count());
            assertEquals(inboundRefresh ? 0 : 1, w.dropped(DropReason.NAT_NO_MAPPING));
        }
    }

    @ParameterizedTest(name = "hairpinning {0}")
    @ValueSource(booleans = {true, false})
    void hairpinningBothWays(boolean hairpinning) {
        try (World w = new World(7, NatConfig.fullCone().hairpinning(hairpinning))) {
            NatLab.Peer server = w.bind("203.0.113.10", 3478);
            NatLab.Peer alice = w.bind("192.168.1.10", 5000);
            NatLab.Peer bob = w.bind("192.168.1.11", 6000);
            alice.send("who am i", server.local());
            bob.send("who am i", server.local());
            w.run();
            InetSocketAddress aliceExt = addr(EXT, 5000);
            InetSocketAddress bobExt = addr(EXT, 6000);
            long t = w.lab.net.clock().nanoTime();
            alice.send("to bob's external endpoint", bobExt);
            bob.send("to alice's external endpoint", aliceExt);
            w.run();
            if (hairpinning) {
                assertEquals(1, bob.recorder.count());
                assertEquals(aliceExt, bob.lastSender(), "the target sees the sender's external endpoint");
                assertEquals(addr("192.168.1.11", 6000), bob.recorder.last().recipient);
                assertEquals(t + 10 * MS, bob.recorder.last().nanos, "5 ms to the router and 5 ms back");
                assertEquals(1, alice.recorder.count());
                assertEquals(bobExt, alice.lastSender());
                assertEquals(t + 10 * MS, alice.recorder.last().nanos);
                assertEquals(0, w.dropped(DropReason.NAT_HAIRPINNING_DISABLED));
            } else {
                assertEquals(0, bob.recorder.count());
                assertEquals(0, alice.recorder.count());
                assertEquals(2, w.dropped(DropReason.NAT_HAIRPINNING_DISABLED));
                assertEquals(2, w.nat().refused(NatRefusal.HAIRPINNING_DISABLED));
            }
            assertEquals(
                    0,
                    server.recorder.arrivals.stream()
                            .filter(a -> a.text.startsWith("to "))
                            .count(),
                    "nothing hairpinned leaks outside");
        }
    }

    @Test
    void aRebootForgetsEveryMapping() {
        try (World w = new World(8, NatConfig.portRestrictedCone())) {
            NatLab.Peer server = w.bind("203.0.113.10", 3478);
            NatLab.Peer alice = w.bind("192.168.1.10", 5000);
            NatLab.Peer bob = w.bind("192.168.1.11", 5001);
            alice.send("open", server.local());
            bob.send("open", server.local());
            w.run();
            assertEquals(2, w.nat().active());
            w.home.router.rebootNat();
            NatCounters after = w.nat();
            assertEquals(0, after.active());
            assertEquals(2, after.removed());
            assertEquals(after.created(), after.expired() + after.removed() + after.active());
            server.send("lost", addr(EXT, 5000));
            server.send("lost", addr(EXT, 5001));
            w.run();
            assertEquals(0, alice.recorder.count() + bob.recorder.count());
            assertEquals(2, w.dropped(DropReason.NAT_NO_MAPPING));
            alice.send("again", server.local());
            w.run();
            server.send("back", server.lastSender());
            w.run();
            assertEquals(1, alice.recorder.count(), "new outbound traffic opens a new mapping");
            assertEquals(3, w.nat().created());
        }
    }

    @Test
    void aRebindMovesTheFlowToANewPortMidFlow() {
        try (World w = new World(9, NatConfig.portRestrictedCone())) {
            NatLab.Peer server = w.bind("203.0.113.10", 3478);
            NatLab.Peer alice = w.bind("192.168.1.10", 5000);
            alice.send("before", server.local());
            w.run();
            assertEquals(addr(EXT, 5000), server.lastSender());
            assertEquals(1, w.home.router.rebindNat(addr("192.168.1.10", 5000)));
            server.send("to the old port", addr(EXT, 5000));
            w.run();
            assertEquals(0, alice.recorder.count());
            assertEquals(1, w.dropped(DropReason.NAT_NO_MAPPING));
            alice.send("after", server.local());
            w.run();
            InetSocketAddress moved = server.lastSender();
            assertEquals(addr(EXT, 5002), moved, "the next free port of the same parity");
            server.send("to the new port", moved);
            w.run();
            assertEquals(1, alice.recorder.count(), "the permission moved with the mapping");
            NatCounters c = w.nat();
            assertEquals(1, c.rebinds());
            assertEquals(1, c.created());
            assertEquals(1, c.active());
        }
    }

    @Test
    void countersAndDropsByReasonStayExact() {
        try (World w = new World(10, NatConfig.symmetric().portsPerSubscriber(1))) {
            NatLab.Peer s1 = w.bind("203.0.113.10", 3478);
            NatLab.Peer s2 = w.bind("203.0.113.20", 3478);
            NatLab.Peer alice = w.bind("192.168.1.10", 5000);
            alice.send("first mapping", s1.local());
            alice.send("over quota", s2.local());
            // Mid-flight the counters balance too: in flight counts what the wires hold.
            w.lab.runTo(3 * MS);
            assertTrue(w.lab.net.counters().isBalanced());
            w.run();
            assertEquals(1, s1.recorder.count());
            assertEquals(0, s2.recorder.count());
            s2.send("filtered", s1.lastSender()); // s2 was never sent to through this mapping
            w.lab.net.runUntilIdle();
            s1.send("no mapping", addr(EXT, 6000));
            w.run();
            w.lab.runTo(200 * S);
            NatCounters c = w.nat();
            assertEquals(1, c.created());
            assertEquals(1, c.expired());
            assertEquals(0, c.active());
            assertEquals(1, c.refused(NatRefusal.PORTS_EXHAUSTED));
            assertEquals(1, c.refused(NatRefusal.FILTERED));
            assertEquals(1, c.refused(NatRefusal.NO_MAPPING));
            assertEquals(3, c.refused());
            for (DropReason r :
                    List.of(DropReason.NAT_PORTS_EXHAUSTED, DropReason.NAT_FILTERED, DropReason.NAT_NO_MAPPING)) {
                assertEquals(1, w.dropped(r), r.toString());
                assertEquals(1, w.lab.net.counters().dropped(r), r.toString());
            }
            assertEquals(0, alice.recorder.count());
            assertEquals(0, w.lab.net.packetsInWires());
        }
    }

    @Test
    void aHomeNatBehindACarrierGradeNatEachWithItsOwnBehaviour() {
        try (NatLab lab = new NatLab(11)) {
            lab.server("s1", "203.0.113.10");
            lab.server("s2", "203.0.113.20");
            Router carrier = lab.net.newRouter("carrier");
            Interface outside = carrier.newInterface("outside", "203.0.113.100/24");
            Interface access = carrier.newInterface("access", "100.64.0.1/24");
            lab.net.newWire(outside, lab.internet, NatLab.SERVER_LINK);
            Switch accessSwitch = lab.net.newSwitch("access");
            accessSwitch.plug(access);
            assertTrue(NatConfig.SHARED_ADDRESS_SPACE.contains(access.address()));
            carrier.nat(
                    outside,
                    NatConfig.carrierGrade()
                            .externalAddresses(outside.address())
                            .build());

            NatLab.Home cone = lab.homeBehind(
                    "cone",
                    "100.64.0.2/24",
                    "100.64.0.1",
                    accessSwitch,
                    "192.168.1.0/24",
                    NatConfig.portRestrictedCone());
            cone.host("alice", "192.168.1.10");
            NatLab.Home sym = lab.homeBehind(
                    "sym", "100.64.0.3/24", "100.64.0.1", accessSwitch, "192.168.2.0/24", NatConfig.symmetric());
            sym.host("bob", "192.168.2.10");

            NatLab.Peer s1a = lab.bind("203.0.113.10", 3478);
            NatLab.Peer s1b = lab.bind("203.0.113.10", 3479);
            NatLab.Peer s2a = lab.bind("203.0.113.20", 3478);
            NatLab.Peer alice = lab.bind("192.168.1.10", 5000);
            NatLab.Peer bob = lab.bind("192.168.2.10", 5000);

            alice.send("a to s1a", s1a.local());
            bob.send("b to s1a", s1a.local());
            lab.net.runUntilIdle();
            // alice -> cone 5 ms, cone -> carrier 10 ms, carrier -> switch 1 ms, switch -> s1 1 ms
            assertEquals(
                    List.of(17 * MS, 17 * MS),
                    s1a.recorder.arrivals.stream().map(a -> a.nanos).toList());
            InetSocketAddress aliceExt = s1a.recorder.arrivals.get(0).sender;
            InetSocketAddress bobExt = s1a.recorder.arrivals.get(1).sender;
            assertEquals(outside.address(), aliceExt.getAddress(), "the server sees the carrier's address");
            assertEquals(outside.address(), bobExt.getAddress());
            assertNotEquals(aliceExt, bobExt);
            assertEquals(
                    addr("100.64.0.2", 5000),
                    cone.router.natMappings().get(0).external(),
                    "the home NAT's external side is in the shared address space");
            assertEquals(
                    addr("100.64.0.2", 5000),
                    carrier.natMappings().stream()
                            .filter(m -> m.external().equals(aliceExt))
                            .findFirst()
                            .orElseThrow()
                            .internal());

            alice.send("a to s1b", s1b.local());
            alice.send("a to s2a", s2a.local());
            bob.send("b to s1b", s1b.local());
            bob.send("b to s2a", s2a.local());
            lab.net.runUntilIdle();
            assertEquals(aliceExt, s1b.recorder.arrivals.get(0).sender, "both of alice's NATs map independently");
            assertEquals(aliceExt, s2a.recorder.arrivals.get(0).sender);
            assertNotEquals(bobExt, s1b.recorder.arrivals.get(1).sender, "bob's home NAT is symmetric");
            assertNotEquals(bobExt, s2a.recorder.arrivals.get(1).sender);
            assertEquals(1, cone.router.natCounters().created());
            assertEquals(3, sym.router.natCounters().created());
            assertEquals(4, carrier.natCounters().created(), "one per external endpoint of the homes");

            // A stranger (s2 on another port) writes to alice's public endpoint: the carrier-grade NAT admits
            // anyone (endpoint-independent filtering), alice's home NAT filters by address and port.
            NatLab.Peer stranger = lab.bind("203.0.113.20", 4000);
            stranger.send("stranger", aliceExt);
            s1a.send("reply", aliceExt);
            lab.net.runUntilIdle();
            assertEquals(
                    List.of("reply"),
                    alice.recorder.arrivals.stream().map(a -> a.text).toList());
            assertEquals(0, carrier.counters().dropped(DropReason.NAT_FILTERED));
            assertEquals(1, cone.router.counters().dropped(DropReason.NAT_FILTERED));
            assertEquals(1, cone.router.natCounters().refused(NatRefusal.FILTERED));
            assertTrue(lab.net.counters().isBalanced());
        }
    }
}
