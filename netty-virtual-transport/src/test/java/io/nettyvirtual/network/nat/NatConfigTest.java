package io.nettyvirtual.network.nat;

import static io.nettyvirtual.network.nat.NatBehavior.ADDRESS_AND_PORT_DEPENDENT;
import static io.nettyvirtual.network.nat.NatBehavior.ADDRESS_DEPENDENT;
import static io.nettyvirtual.network.nat.NatBehavior.ENDPOINT_INDEPENDENT;
import static io.nettyvirtual.network.nat.NatTableTest.EXT;
import static io.nettyvirtual.network.nat.NatTableTest.EXT2;
import static io.nettyvirtual.network.nat.NatTableTest.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The RFC defaults, the named presets, and the builder's checks. */
class NatConfigTest {
    @Test
    void defaultsAreWhatRfc4787Asks() {
        NatConfig c = NatConfig.builder().externalAddresses(EXT).build();
        assertEquals(ENDPOINT_INDEPENDENT, c.mapping());
        assertEquals(ENDPOINT_INDEPENDENT, c.filtering());
        assertEquals(PortAssignment.PRESERVE, c.portAssignment());
        assertTrue(c.portParity());
        assertEquals(1024, c.minPort());
        assertEquals(65535, c.maxPort());
        assertEquals(AddressPooling.PAIRED, c.pooling());
        assertEquals(Duration.ofMinutes(2).toNanos(), c.mappingLifetimeNanos());
        assertFalse(c.inboundRefresh());
        assertTrue(c.hairpinning());
        assertEquals(Integer.MAX_VALUE, c.portsPerSubscriber());
        assertEquals(0, c.portReuseDelayNanos());
        assertEquals(List.of(EXT), c.externalAddresses());
    }

    @Test
    void presetsMapTheNamesOntoTheMatrix() {
        assertPreset(NatConfig.fullCone(), ENDPOINT_INDEPENDENT, ENDPOINT_INDEPENDENT);
        assertPreset(NatConfig.restrictedCone(), ENDPOINT_INDEPENDENT, ADDRESS_DEPENDENT);
        assertPreset(NatConfig.portRestrictedCone(), ENDPOINT_INDEPENDENT, ADDRESS_AND_PORT_DEPENDENT);
        assertPreset(NatConfig.symmetric(), ADDRESS_AND_PORT_DEPENDENT, ADDRESS_AND_PORT_DEPENDENT);
    }

    private static void assertPreset(NatConfig.Builder preset, NatBehavior mapping, NatBehavior filtering) {
        NatConfig c = preset.externalAddresses(EXT).build();
        assertEquals(mapping, c.mapping());
        assertEquals(filtering, c.filtering());
    }

    @Test
    void carrierGradeFollowsRfc6888() {
        NatConfig c = NatConfig.carrierGrade().externalAddresses(EXT, EXT2).build();
        assertEquals(ENDPOINT_INDEPENDENT, c.mapping());
        assertEquals(ENDPOINT_INDEPENDENT, c.filtering());
        assertEquals(AddressPooling.PAIRED, c.pooling());
        assertEquals(PortAssignment.RANDOM, c.portAssignment());
        assertEquals(2048, c.portsPerSubscriber());
        assertEquals(Duration.ofSeconds(120).toNanos(), c.portReuseDelayNanos());
        assertTrue(NatConfig.SHARED_ADDRESS_SPACE.contains(ip("100.64.0.1")));
        assertTrue(NatConfig.SHARED_ADDRESS_SPACE.contains(ip("100.127.255.254")));
        assertFalse(NatConfig.SHARED_ADDRESS_SPACE.contains(ip("100.128.0.1")));
    }

    @Test
    void toBuilderDerivesAVariant() {
        NatConfig c = NatConfig.symmetric()
                .externalAddresses(EXT)
                .portRange(2000, 3000)
                .build();
        NatConfig d = c.toBuilder().hairpinning(false).build();
        assertFalse(d.hairpinning());
        assertEquals(c.toString().replace(", hairpinning", ""), d.toString());
        assertEquals(
                "NatConfig(mapping APD, filtering APD, ports PRESERVE parity 2000-3000, PAIRED [/203.0.113.1], "
                        + "lifetime PT2M, hairpinning)",
                c.toString());
    }

    @Test
    void badValuesNameThemselves() {
        assertEquals(
                "a NAT needs at least one external address: call externalAddresses",
                assertThrows(
                                IllegalStateException.class,
                                () -> new NatTable(NatConfig.builder().build(), new java.util.SplittableRandom(1)))
                        .getMessage());
        assertEquals(
                "NAT external address 203.0.113.1 is given twice",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> NatConfig.builder().externalAddresses(EXT, EXT))
                        .getMessage());
        InetAddress v6 = ip("2001:db8::1");
        assertEquals(
                "NAT external address 2001:db8:0:0:0:0:0:1 is not of the same family as 203.0.113.1",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> NatConfig.builder().externalAddresses(EXT, v6))
                        .getMessage());
        assertEquals(
                "NAT port range 0-100 is not within 1-65535",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> NatConfig.builder().portRange(0, 100))
                        .getMessage());
        assertEquals(
                "NAT port range 3000-2000 is not within 1-65535",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> NatConfig.builder().portRange(3000, 2000))
                        .getMessage());
        assertEquals(
                "NAT mapping lifetime PT0S is not positive",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> NatConfig.builder().mappingLifetime(Duration.ZERO))
                        .getMessage());
        assertEquals(
                "NAT ports per subscriber 0 is not positive",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> NatConfig.builder().portsPerSubscriber(0))
                        .getMessage());
        assertEquals(
                "NAT port reuse delay PT-1S is negative",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> NatConfig.builder().portReuseDelay(Duration.ofSeconds(-1)))
                        .getMessage());
        assertEquals(
                "NAT mapping behavior is null",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> NatConfig.builder().mapping(null))
                        .getMessage());
    }
}
