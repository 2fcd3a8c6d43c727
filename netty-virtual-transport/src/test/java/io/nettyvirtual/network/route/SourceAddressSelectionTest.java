package io.nettyvirtual.network.route;

import static io.nettyvirtual.network.route.IpPrefixTest.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The RFC 6724 rules that decide a simulated host's source address, each shown deciding. */
class SourceAddressSelectionTest {
    private static SourceCandidate c(String address) {
        return SourceCandidate.of(ip(address), 64);
    }

    private static InetAddress pick(String destination, SourceCandidate... candidates) {
        SourceCandidate s = SourceAddressSelection.select(ip(destination), List.of(candidates));
        return s == null ? null : s.address();
    }

    @Test
    void rule1PrefersTheDestinationItself() {
        assertEquals(ip("2001:db8::2"), pick("2001:db8::2", c("2001:db8::1"), c("2001:db8::2")));
    }

    @Test
    void rule2PrefersAnAppropriateScope() {
        // To a global destination, a global source beats a link-local one; to a link-local one, the reverse.
        assertEquals(ip("2001:db8::1"), pick("2001:db8:ffff::9", c("fe80::1"), c("2001:db8::1")));
        assertEquals(ip("fe80::1"), pick("fe80::9", c("2001:db8::1"), c("fe80::1")));
        // RFC 6724 section 10.2's IPv4 examples: 169.254/16 is link-local, private space is global.
        assertEquals(ip("10.1.2.3"), pick("8.8.8.8", c32("169.254.1.1"), c32("10.1.2.3")));
        assertEquals(ip("169.254.1.1"), pick("169.254.9.9", c32("10.1.2.3"), c32("169.254.1.1")));
    }

    private static SourceCandidate c32(String address) {
        return SourceCandidate.of(ip(address), 24);
    }

    @Test
    void rule3AvoidsDeprecatedAddresses() {
        SourceCandidate old = new SourceCandidate(ip("2001:db8:1::1"), 64, true, true);
        SourceCandidate fresh = new SourceCandidate(ip("2001:db8:2::1"), 64, false, true);
        assertEquals(
                fresh,
                SourceAddressSelection.select(ip("2001:db8:1::9"), List.of(old, fresh)),
                "rule 3 decides before rule 8 would pick the matching prefix");
    }

    @Test
    void rule5PrefersTheOutgoingInterface() {
        SourceCandidate wifi = new SourceCandidate(ip("2001:db8:1::1"), 64, false, false);
        SourceCandidate cell = new SourceCandidate(ip("2001:db8:2::1"), 64, false, true);
        assertEquals(cell, SourceAddressSelection.select(ip("2001:db8:1::9"), List.of(wifi, cell)));
    }

    @Test
    void rule6PrefersAMatchingLabel() {
        // RFC 6724 section 10.2: to 2002:c633:6401::1 (6to4) the 6to4 source, to 2001:db8:1::1 the native one.
        assertEquals(ip("2002:c633:6401::2"), pick("2002:c633:6401::1", c("2001:db8::2"), c("2002:c633:6401::2")));
        assertEquals(ip("2001:db8::2"), pick("2001:db8:1::1", c("2002:c633:6401::2"), c("2001:db8::2")));
        // A unique local destination prefers the unique local source, though both are global scope.
        assertEquals(ip("fd00:2::1"), pick("fd00:1::9", c("2001:db8::1"), c("fd00:2::1")));
    }

    @Test
    void rule8PrefersTheLongestMatchingPrefixUpToTheSubnet() {
        assertEquals(ip("2001:db8:1::1"), pick("2001:db8:1::9", c("2001:db8:2::1"), c("2001:db8:1::1")));
        // Beyond the /64 prefix the interface identifier does not count: a tie, so the first listed wins.
        assertEquals(ip("2001:db8:1::1"), pick("2001:db8:1::ffff", c("2001:db8:1::1"), c("2001:db8:1::fffe")));
        assertEquals(ip("10.0.0.7"), pick("10.0.0.200", c32("10.1.0.7"), c32("10.0.0.7")));
    }

    @Test
    void onlyTheDestinationsFamilyCounts() {
        assertNull(pick("8.8.8.8", c("2001:db8::1")), "no IPv4 address, no source");
        assertEquals(ip("2001:db8::1"), pick("2001:db8::9", c32("10.0.0.1"), c("2001:db8::1")));
    }

    @Test
    void badCandidatesNameTheValue() {
        assertEquals(
                "source candidate 2001:db8::1 has prefix length 129, outside 0..128",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> new SourceCandidate(ip("2001:db8::1"), 129, false, true))
                        .getMessage());
        assertEquals(
                "destination is null",
                assertThrows(IllegalArgumentException.class, () -> SourceAddressSelection.select(null, List.of()))
                        .getMessage());
    }
}
