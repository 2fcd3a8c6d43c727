package io.nettyvirtual.network.nat;

import static io.nettyvirtual.network.nat.NatBehavior.ADDRESS_AND_PORT_DEPENDENT;
import static io.nettyvirtual.network.nat.NatBehavior.ADDRESS_DEPENDENT;
import static io.nettyvirtual.network.nat.NatBehavior.ENDPOINT_INDEPENDENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nettyvirtual.network.route.IpPrefix;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A NAT table seen from outside: mapping and filtering, port choice, pooling, expiry, hairpinning, runtime changes. */
class NatTableTest {
    static final long S = 1_000_000_000L;
    static final InetAddress EXT = ip("203.0.113.1");
    static final InetAddress EXT2 = ip("203.0.113.2");
    static final InetSocketAddress A = ep("192.168.1.10", 5000);
    static final InetSocketAddress B = ep("192.168.1.11", 5000);
    static final InetSocketAddress C = ep("192.168.1.12", 5000);
    /** A server, another port on the same server, and another server. */
    static final InetSocketAddress S1 = ep("198.51.100.1", 3478);

    static final InetSocketAddress S1_OTHER_PORT = ep("198.51.100.1", 3479);
    static final InetSocketAddress S2 = ep("198.51.100.2", 3478);

    static InetAddress ip(String text) {
        return IpPrefix.parseAddress(text, text);
    }

    static InetSocketAddress ep(String ip, int port) {
        return new InetSocketAddress(ip(ip), port);
    }

    static NatTable table(NatConfig.Builder b) {
        return new NatTable(b.build(), new SplittableRandom(42));
    }

    static NatConfig.Builder nat(NatBehavior mapping, NatBehavior filtering) {
        return NatConfig.builder().mapping(mapping).filtering(filtering).externalAddresses(EXT);
    }

    static Stream<Arguments> combinations() {
        List<Arguments> all = new ArrayList<>();
        for (NatBehavior m : NatBehavior.values()) {
            for (NatBehavior f : NatBehavior.values()) {
                all.add(Arguments.of(m, f));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "mapping {0}, filtering {1}")
    @MethodSource("combinations")
    void externalPortSeenByASecondDestination(NatBehavior mapping, NatBehavior filtering) {
        NatTable t = table(nat(mapping, filtering));
        InetSocketAddress toS1 = t.outbound(A, S1, 0).endpoint();
        InetSocketAddress toS1OtherPort = t.outbound(A, S1_OTHER_PORT, 0).endpoint();
        InetSocketAddress toS2 = t.outbound(A, S2, 0).endpoint();
        assertEquals(new InetSocketAddress(EXT, 5000), toS1, "the first mapping preserves the port");
        switch (mapping) {
            case ENDPOINT_INDEPENDENT -> {
                assertEquals(toS1, toS1OtherPort);
                assertEquals(toS1, toS2);
            }
            case ADDRESS_DEPENDENT -> {
                assertEquals(toS1, toS1OtherPort, "same address, other port: same mapping");
                assertNotEquals(toS1, toS2);
            }
            case ADDRESS_AND_PORT_DEPENDENT -> {
                assertNotEquals(toS1, toS1OtherPort);
                assertNotEquals(toS1, toS2);
                assertNotEquals(toS1OtherPort, toS2);
            }
        }
        long distinct = Stream.of(toS1, toS1OtherPort, toS2).distinct().count();
        assertEquals(distinct, t.counters().active());
    }

    @ParameterizedTest(name = "mapping {0}, filtering {1}")
    @MethodSource("combinations")
    void whoMaySendBack(NatBehavior mapping, NatBehavior filtering) {
        NatTable t = table(nat(mapping, filtering));
        InetSocketAddress external = t.outbound(A, S1, 0).endpoint();

        assertEquals(A, t.inbound(external, S1, 1).endpoint(), "the endpoint A sent to always may answer");
        NatResult otherPort = t.inbound(external, S1_OTHER_PORT, 2);
        NatResult otherHost = t.inbound(external, S2, 3);
        switch (filtering) {
            case ENDPOINT_INDEPENDENT -> {
                assertEquals(A, otherPort.endpoint());
                assertEquals(A, otherHost.endpoint());
            }
            case ADDRESS_DEPENDENT -> {
                assertEquals(A, otherPort.endpoint(), "any port of an address A sent to");
                assertEquals(NatRefusal.FILTERED, otherHost.refusal());
            }
            case ADDRESS_AND_PORT_DEPENDENT -> {
                assertEquals(NatRefusal.FILTERED, otherPort.refusal());
                assertEquals(NatRefusal.FILTERED, otherHost.refusal());
            }
        }
        NatResult unmapped = t.inbound(new InetSocketAddress(EXT, 5001), S1, 4);
        assertEquals(NatRefusal.NO_MAPPING, unmapped.refusal());
        assertNull(unmapped.endpoint());
        assertEquals(1, t.counters().refused(NatRefusal.NO_MAPPING));
    }

    @Test
    void sendingToAnEndpointOpensItsFilter() {
        NatTable t = table(nat(ENDPOINT_INDEPENDENT, ADDRESS_AND_PORT_DEPENDENT));
        InetSocketAddress e = t.outbound(A, S1, 0).endpoint();
        assertFalse(t.inbound(e, S2, 1).isTranslated());
        t.outbound(A, S2, 2);
        assertTrue(t.inbound(e, S2, 3).isTranslated());
        assertEquals(1, t.counters().refused(NatRefusal.FILTERED));
    }

    @Test
    void translationAllocatesNoResultOnceMapped() {
        NatTable t = table(nat(ENDPOINT_INDEPENDENT, ADDRESS_DEPENDENT));
        NatResult first = t.outbound(A, S1, 0);
        assertSame(first, t.outbound(A, S1, 1));
        assertSame(t.inbound(first.endpoint(), S1, 2), t.inbound(first.endpoint(), S1, 3));
        assertSame(first.mapping(), t.inbound(first.endpoint(), S1, 4).mapping());
    }

    @Test
    void translatingThroughALiveMappingAllocatesNothing() {
        NatTable t = table(nat(ENDPOINT_INDEPENDENT, ADDRESS_AND_PORT_DEPENDENT));
        InetSocketAddress e = t.outbound(A, S1, 0).endpoint();
        long[] now = {0};
        long bytes = io.nettyvirtual.network.route.Allocations.bytesAllocated(10_000, () -> {
            now[0]++;
            if (!t.outbound(A, S1, now[0]).isTranslated()
                    || !t.inbound(e, S1, now[0]).isTranslated()) {
                throw new AssertionError("refused at " + now[0]);
            }
        });
        assertTrue(bytes < 10_000, bytes + " bytes (a byte per call or more) for 10,000 datagrams each way");
    }

    @Test
    void anIpv6NatTranslatesLikeAnIpv4One() {
        NatTable t = table(NatConfig.portRestrictedCone().externalAddresses(ip("2001:db8::1")));
        InetSocketAddress in = ep("fd00::2", 5000);
        InetSocketAddress server = ep("2001:db8:ffff::9", 443);
        InetSocketAddress e = t.outbound(in, server, 0).endpoint();
        assertEquals(ep("2001:db8::1", 5000), e);
        assertEquals(in, t.inbound(e, server, 1).endpoint());
        assertEquals(
                NatRefusal.FILTERED,
                t.inbound(e, ep("2001:db8:ffff::9", 444), 2).refusal());
    }

    @Test
    void theSameSeedGivesTheSameMappings() {
        assertEquals(randomRun(5), randomRun(5));
    }

    private static String randomRun(long seed) {
        NatConfig config = nat(ADDRESS_AND_PORT_DEPENDENT, ADDRESS_AND_PORT_DEPENDENT)
                .externalAddresses(EXT, EXT2)
                .pooling(AddressPooling.ARBITRARY)
                .portAssignment(PortAssignment.RANDOM)
                .mappingLifetime(Duration.ofSeconds(5))
                .build();
        NatTable t = new NatTable(config, new SplittableRandom(seed));
        SplittableRandom traffic = new SplittableRandom(99);
        for (int i = 0; i < 500; i++) {
            t.outbound(
                    ep("192.168.1." + (1 + traffic.nextInt(10)), 5000 + traffic.nextInt(3)),
                    ep("198.51.100." + (1 + traffic.nextInt(4)), 443),
                    i * (S / 20));
        }
        return t.mappings() + " " + t.counters();
    }

    @Test
    void portPreservationFallsBackToTheNextFreePortOfTheSameParity() {
        NatTable t = table(nat(ENDPOINT_INDEPENDENT, ENDPOINT_INDEPENDENT));
        assertEquals(5000, t.outbound(A, S1, 0).endpoint().getPort());
        assertEquals(5002, t.outbound(B, S1, 0).endpoint().getPort(), "5000 taken; 5001 has the wrong parity");
        assertEquals(5004, t.outbound(C, S1, 0).endpoint().getPort());
        assertEquals(
                5001, t.outbound(ep("192.168.1.13", 5001), S1, 0).endpoint().getPort());

        NatTable noParity =
                table(nat(ENDPOINT_INDEPENDENT, ENDPOINT_INDEPENDENT).portParity(false));
        assertEquals(5000, noParity.outbound(A, S1, 0).endpoint().getPort());
        assertEquals(5001, noParity.outbound(B, S1, 0).endpoint().getPort());
    }

    @Test
    void portPreservationStaysInTheRange() {
        NatTable t = table(nat(ENDPOINT_INDEPENDENT, ENDPOINT_INDEPENDENT));
        assertEquals(
                1024,
                t.outbound(ep("192.168.1.10", 68), S1, 0).endpoint().getPort(),
                "port 68 is outside 1024-65535: the first port of the range with its parity");
        assertEquals(
                65535,
                t.outbound(ep("192.168.1.10", 65535), S1, 0).endpoint().getPort(),
                "the top of the range is kept");
    }

    @Test
    void sequentialAssignmentCountsUpWithParity() {
        NatTable t = table(nat(ENDPOINT_INDEPENDENT, ENDPOINT_INDEPENDENT)
                .portAssignment(PortAssignment.SEQUENTIAL)
                .portParity(false));
        assertEquals(1024, t.outbound(A, S1, 0).endpoint().getPort());
        assertEquals(1025, t.outbound(B, S1, 0).endpoint().getPort());
        assertEquals(1026, t.outbound(C, S1, 0).endpoint().getPort());

        NatTable parity =
                table(nat(ENDPOINT_INDEPENDENT, ENDPOINT_INDEPENDENT).portAssignment(PortAssignment.SEQUENTIAL));
        assertEquals(
                1025,
                parity.outbound(ep("192.168.1.10", 5001), S1, 0).endpoint().getPort());
        assertEquals(
                1026,
                parity.outbound(ep("192.168.1.11", 5000), S1, 0).endpoint().getPort());
        assertEquals(
                1028,
                parity.outbound(ep("192.168.1.12", 7000), S1, 0).endpoint().getPort());
    }

    @Test
    void randomAssignmentIsRepeatableBySeedAndKeepsParity() {
        NatConfig config = nat(ADDRESS_AND_PORT_DEPENDENT, ADDRESS_AND_PORT_DEPENDENT)
                .portAssignment(PortAssignment.RANDOM)
                .build();
        List<Integer> first = new ArrayList<>();
        List<Integer> second = new ArrayList<>();
        NatTable t1 = new NatTable(config, new SplittableRandom(7));
        NatTable t2 = new NatTable(config, new SplittableRandom(7));
        for (int i = 0; i < 50; i++) {
            InetSocketAddress to = ep("198.51.100.1", 1000 + i);
            first.add(t1.outbound(ep("192.168.1.10", 5001), to, i).endpoint().getPort());
            second.add(t2.outbound(ep("192.168.1.10", 5001), to, i).endpoint().getPort());
        }
        assertEquals(first, second);
        assertEquals(50, first.stream().distinct().count());
        assertTrue(first.stream().allMatch(p -> p % 2 == 1 && p >= 1024 && p <= 65535), first.toString());
    }

    @Test
    void pairedPoolingKeepsAHostOnOneAddress() {
        NatTable t = table(
                nat(ADDRESS_AND_PORT_DEPENDENT, ADDRESS_AND_PORT_DEPENDENT).externalAddresses(EXT, EXT2));
        assertEquals(EXT, t.outbound(A, S1, 0).endpoint().getAddress());
        assertEquals(EXT2, t.outbound(B, S1, 0).endpoint().getAddress(), "new hosts take the addresses in turn");
        assertEquals(EXT, t.outbound(A, S2, 0).endpoint().getAddress(), "A stays paired with its address");
        assertEquals(EXT, t.outbound(A, S1_OTHER_PORT, 0).endpoint().getAddress());
        assertEquals(EXT, t.outbound(C, S1, 0).endpoint().getAddress());
        assertEquals(EXT2, t.outbound(B, S2, 0).endpoint().getAddress());
    }

    @Test
    void arbitraryPoolingSpreadsAHostsMappings() {
        NatTable t = table(nat(ADDRESS_AND_PORT_DEPENDENT, ADDRESS_AND_PORT_DEPENDENT)
                .externalAddresses(EXT, EXT2)
                .pooling(AddressPooling.ARBITRARY));
        assertEquals(EXT, t.outbound(A, S1, 0).endpoint().getAddress());
        assertEquals(EXT2, t.outbound(A, S2, 0).endpoint().getAddress());
        assertEquals(EXT, t.outbound(A, S1_OTHER_PORT, 0).endpoint().getAddress());
        InetSocketAddress b = t.outbound(B, S1, 0).endpoint();
        assertEquals(new InetSocketAddress(EXT2, 5002), b, "the next address in turn, where A holds 5000");
    }

    @Test
    void exhaustedPortsRefuseNewMappingsOnly() {
        NatTable t = table(nat(ENDPOINT_INDEPENDENT, ENDPOINT_INDEPENDENT)
                .portRange(2000, 2001)
                .portParity(false));
        InetSocketAddress a = t.outbound(A, S1, 0).endpoint();
        assertEquals(2001, t.outbound(B, S1, 0).endpoint().getPort());
        NatResult c = t.outbound(C, S1, 0);
        assertEquals(NatRefusal.PORTS_EXHAUSTED, c.refusal());
        assertTrue(t.outbound(A, S2, S).isTranslated(), "existing mappings keep working");
        t.outbound(B, S2, S);
        assertEquals(1, t.counters().refused(NatRefusal.PORTS_EXHAUSTED));
        // Both mappings expire at 1 s + 120 s; then A's port serves C.
        assertEquals(2000, a.getPort());
        assertEquals(NatRefusal.PORTS_EXHAUSTED, t.outbound(C, S1, 121 * S - 1).refusal());
        assertEquals(2000, t.outbound(C, S1, 121 * S).endpoint().getPort());
    }

    @Test
    void parityCanExhaustAPortWhileTheOtherParityIsFree() {
        NatTable t = table(nat(ENDPOINT_INDEPENDENT, ENDPOINT_INDEPENDENT).portRange(2000, 2001));
        assertEquals(
                2001, t.outbound(ep("192.168.1.10", 5001), S1, 0).endpoint().getPort());
        assertEquals(
                NatRefusal.PORTS_EXHAUSTED,
                t.outbound(ep("192.168.1.11", 5003), S1, 0).refusal());
        assertEquals(
                2000, t.outbound(ep("192.168.1.12", 5004), S1, 0).endpoint().getPort());
    }

    @Test
    void pairedPoolingDoesNotSpillToAnotherAddress() {
        NatTable t = table(nat(ADDRESS_AND_PORT_DEPENDENT, ADDRESS_AND_PORT_DEPENDENT)
                .externalAddresses(EXT, EXT2)
                .portRange(2000, 2001)
                .portParity(false));
        t.outbound(A, S1, 0);
        t.outbound(A, S2, 0);
        assertEquals(
                NatRefusal.PORTS_EXHAUSTED,
                t.outbound(A, S1_OTHER_PORT, 0).refusal(),
                "A is paired with " + EXT.getHostAddress() + ", whose ports are used up");
        assertEquals(EXT2, t.outbound(B, S1, 0).endpoint().getAddress());
    }

    @Test
    void subscriberQuotaCountsAsExhaustion() {
        NatTable t = table(
                nat(ADDRESS_AND_PORT_DEPENDENT, ADDRESS_AND_PORT_DEPENDENT).portsPerSubscriber(2));
        assertTrue(t.outbound(A, S1, 0).isTranslated());
        assertTrue(t.outbound(ep("192.168.1.10", 6000), S1, 0).isTranslated());
        assertEquals(NatRefusal.PORTS_EXHAUSTED, t.outbound(A, S2, 0).refusal());
        assertTrue(t.outbound(B, S2, 0).isTranslated(), "the quota is per internal address");
    }

    @Test
    void aFreedPortWaitsOutTheReuseDelay() {
        NatTable t = table(nat(ENDPOINT_INDEPENDENT, ENDPOINT_INDEPENDENT)
                .portRange(2000, 2000)
                .portParity(false)
                .portReuseDelay(Duration.ofSeconds(120)));
        assertEquals(2000, t.outbound(A, S1, 0).endpoint().getPort());
        assertEquals(
                NatRefusal.PORTS_EXHAUSTED,
                t.outbound(B, S1, 120 * S).refusal(),
                "A's mapping expired at 120 s, its port is held until 240 s");
        assertEquals(NatRefusal.PORTS_EXHAUSTED, t.outbound(B, S1, 240 * S - 1).refusal());
        assertEquals(2000, t.outbound(B, S1, 240 * S).endpoint().getPort());
    }

    @Test
    void aMappingExpiresExactlyAtItsLastRefreshPlusTheLifetime() {
        NatTable t = table(nat(ENDPOINT_INDEPENDENT, ENDPOINT_INDEPENDENT));
        InetSocketAddress e = t.outbound(A, S1, 0).endpoint();
        assertEquals(120 * S, t.nextExpiry());
        assertEquals(A, t.inbound(e, S1, 120 * S - 1).endpoint());
        assertEquals(NatRefusal.NO_MAPPING, t.inbound(e, S1, 120 * S).refusal());
        assertEquals(Long.MAX_VALUE, t.nextExpiry());
        NatCounters c = t.counters();
        assertEquals(1, c.created());
        assertEquals(1, c.expired());
        assertEquals(0, c.active());
    }

    @Test
    void outboundTrafficRefreshes() {
        NatTable t = table(nat(ENDPOINT_INDEPENDENT, ENDPOINT_INDEPENDENT));
        InetSocketAddress e = t.outbound(A, S1, 0).endpoint();
        t.outbound(A, S2, 100 * S);
        assertEquals(220 * S, t.nextExpiry());
        assertEquals(A, t.inbound(e, S1, 220 * S - 1).endpoint());
        assertEquals(NatRefusal.NO_MAPPING, t.inbound(e, S1, 220 * S).refusal());
    }

    @Test
    void inboundTrafficRefreshesOnlyWhenConfigured() {
        NatTable off = table(nat(ENDPOINT_INDEPENDENT, ENDPOINT_INDEPENDENT));
        InetSocketAddress e = off.outbound(A, S1, 0).endpoint();
        off.inbound(e, S1, 100 * S);
        assertEquals(120 * S, off.nextExpiry());

        NatTable on = table(nat(ENDPOINT_INDEPENDENT, ADDRESS_DEPENDENT).inboundRefresh(true));
        e = on.outbound(A, S1, 0).endpoint();
        on.inbound(e, S1, 100 * S);
        assertEquals(220 * S, on.nextExpiry());
        on.inbound(e, S2, 150 * S); // filtered: does not refresh
        assertEquals(220 * S, on.nextExpiry());
    }

    @Test
    void nextExpiryFollowsRefreshOrder() {
        NatTable t = table(nat(ENDPOINT_INDEPENDENT, ENDPOINT_INDEPENDENT).mappingLifetime(Duration.ofSeconds(30)));
        t.outbound(A, S1, 0);
        t.outbound(B, S1, 10 * S);
        t.outbound(A, S1, 20 * S);
        assertEquals(40 * S, t.nextExpiry(), "B, refreshed at 10 s, goes first");
        assertEquals(0, t.expire(40 * S - 1));
        assertEquals(1, t.expire(40 * S));
        assertEquals(50 * S, t.nextExpiry());
        assertEquals(List.of(A), t.mappings().stream().map(NatMapping::internal).toList());
        assertEquals(50 * S, t.mappings().get(0).expiry());
        assertEquals(20 * S, t.mappings().get(0).lastRefresh());
        assertEquals(0, t.mappings().get(0).created());
    }

    @Test
    void hairpinningBothWays() {
        NatTable t = table(nat(ENDPOINT_INDEPENDENT, ADDRESS_AND_PORT_DEPENDENT));
        InetSocketAddress ea = t.outbound(A, S1, 0).endpoint();
        InetSocketAddress eb = t.outbound(B, S1, 0).endpoint();
        assertTrue(t.isHairpin(eb));
        assertFalse(t.isHairpin(S1));

        // A -> B's external endpoint: the source becomes A's external endpoint (RFC 4787 REQ-9a) ...
        NatResult out = t.outbound(A, eb, 1);
        assertEquals(ea, out.endpoint());
        // ... and B's filter has not seen A yet.
        assertEquals(NatRefusal.FILTERED, t.inbound(eb, out.endpoint(), 1).refusal());
        // B -> A passes: A has sent to B's external endpoint.
        NatResult back = t.outbound(B, ea, 2);
        assertEquals(eb, back.endpoint());
        assertEquals(A, t.inbound(ea, back.endpoint(), 2).endpoint());
        // Now A -> B passes too.
        assertEquals(B, t.inbound(eb, t.outbound(A, eb, 3).endpoint(), 3).endpoint());
    }

    @Test
    void hairpinningOff() {
        NatTable t = table(nat(ENDPOINT_INDEPENDENT, ENDPOINT_INDEPENDENT).hairpinning(false));
        t.outbound(A, S1, 0);
        InetSocketAddress eb = t.outbound(B, S1, 0).endpoint();
        assertFalse(t.isHairpin(eb));
        assertEquals(NatRefusal.HAIRPINNING_DISABLED, t.outbound(A, eb, 1).refusal());
        assertEquals(1, t.counters().refused(NatRefusal.HAIRPINNING_DISABLED));
    }

    @Test
    void rebootDropsEveryMapping() {
        NatTable t = table(nat(ENDPOINT_INDEPENDENT, ENDPOINT_INDEPENDENT));
        InetSocketAddress ea = t.outbound(A, S1, 0).endpoint();
        t.outbound(B, S1, 0);
        t.reboot();
        assertEquals(NatRefusal.NO_MAPPING, t.inbound(ea, S1, 1).refusal());
        assertEquals(Long.MAX_VALUE, t.nextExpiry());
        NatCounters c = t.counters();
        assertEquals(2, c.removed());
        assertEquals(0, c.active());
        assertEquals(ea, t.outbound(A, S1, 2).endpoint(), "a fresh mapping preserves the port again");
        c = t.counters();
        assertEquals(c.created(), c.expired() + c.removed() + c.active());
    }

    @Test
    void rebindMovesAFlowToANewPortAndKeepsItsPermissions() {
        NatTable t = table(nat(ENDPOINT_INDEPENDENT, ADDRESS_AND_PORT_DEPENDENT));
        InetSocketAddress old = t.outbound(A, S1, 0).endpoint();
        assertEquals(1, t.rebind(A, 10 * S));
        InetSocketAddress moved = t.outbound(A, S1, 11 * S).endpoint();
        assertEquals(new InetSocketAddress(EXT, 5002), moved, "the next free port of the same parity");
        assertEquals(NatRefusal.NO_MAPPING, t.inbound(old, S1, 12 * S).refusal());
        assertEquals(A, t.inbound(moved, S1, 12 * S).endpoint());
        assertEquals(NatRefusal.FILTERED, t.inbound(moved, S2, 12 * S).refusal());
        assertEquals(131 * S, t.nextExpiry());
        assertEquals(1, t.counters().rebinds());
        assertEquals(0, t.rebind(B, 13 * S));
        assertEquals(1, t.counters().created(), "a rebind moves a mapping, it creates none");
    }

    @Test
    void rebindMovesEveryMappingOfTheEndpoint() {
        NatTable t = table(
                nat(ADDRESS_AND_PORT_DEPENDENT, ADDRESS_AND_PORT_DEPENDENT).portParity(false));
        t.outbound(A, S1, 0);
        t.outbound(A, S2, 0);
        t.outbound(B, S1, 0);
        assertEquals(List.of(5000, 5001, 5002), ports(t));
        assertEquals(2, t.rebind(A, 1));
        assertEquals(List.of(5002, 5003, 5004), ports(t), "B's mapping untouched; A's two moved, in order");
    }

    private static List<Integer> ports(NatTable t) {
        return t.mappings().stream().map(m -> m.external().getPort()).sorted().toList();
    }

    @Test
    void mappingsAreConservedThroughEverything() {
        NatTable t = table(
                nat(ADDRESS_AND_PORT_DEPENDENT, ADDRESS_AND_PORT_DEPENDENT).mappingLifetime(Duration.ofSeconds(10)));
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 2000; i++) {
            long now = i * (S / 10);
            InetSocketAddress in = ep("192.168.1." + (1 + r.nextInt(20)), 4000 + r.nextInt(5));
            InetSocketAddress to = ep("198.51.100." + (1 + r.nextInt(5)), 443);
            t.outbound(in, to, now);
            if (i % 500 == 499) {
                t.reboot();
            }
            NatCounters c = t.counters();
            assertEquals(c.created(), c.expired() + c.removed() + c.active(), "at step " + i + ": " + c);
            assertEquals(c.active(), t.mappings().size());
        }
    }

    @Test
    void badInputNamesTheValue() {
        NatTable t = table(nat(ENDPOINT_INDEPENDENT, ENDPOINT_INDEPENDENT));
        t.outbound(A, S1, 10);
        assertEquals(
                "virtual time 9 ns is before the previous call's 10 ns",
                assertThrows(IllegalArgumentException.class, () -> t.outbound(A, S1, 9))
                        .getMessage());
        InetSocketAddress v6 = ep("2001:db8::1", 443);
        assertEquals(
                "NAT remote endpoint " + v6 + " is not IPv4, the family of this NAT's external addresses",
                assertThrows(IllegalArgumentException.class, () -> t.outbound(A, v6, 11))
                        .getMessage());
        InetSocketAddress unresolved = InetSocketAddress.createUnresolved("example.com", 1);
        assertEquals(
                "NAT internal endpoint example.com/<unresolved>:1 is not a resolved address",
                assertThrows(IllegalArgumentException.class, () -> t.outbound(unresolved, S1, 11))
                        .getMessage());
    }
}
