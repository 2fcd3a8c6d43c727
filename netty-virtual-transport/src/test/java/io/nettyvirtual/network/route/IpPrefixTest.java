package io.nettyvirtual.network.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing, containment, overlap and the bounds of IPv4 and IPv6 prefixes, and subnets' address assignment. */
class IpPrefixTest {
    static InetAddress ip(String text) {
        return IpPrefix.parseAddress(text, text);
    }

    @Test
    void parsesIpv4AndIpv6() {
        IpPrefix v4 = IpPrefix.parse("10.0.0.0/24");
        assertEquals("10.0.0.0/24", v4.toString());
        assertEquals(24, v4.length());
        assertFalse(v4.isIpv6());
        IpPrefix v6 = IpPrefix.parse("2001:db8::/32");
        assertEquals("2001:db8::/32", v6.toString());
        assertTrue(v6.isIpv6());
        assertEquals("::/0", IpPrefix.ANY_IPV6.toString());
        assertEquals("0.0.0.0/0", IpPrefix.ANY_IPV4.toString());
        assertEquals(IpPrefix.parse("2001:db8:0:0::/32"), v6);
        assertEquals(
                "fe80::1:0:0:1/128", IpPrefix.parse("fe80:0:0:0:1:0:0:1/128").toString());
    }

    @Test
    void containsAddressesOfItsFamilyOnly() {
        IpPrefix p = IpPrefix.parse("192.168.1.0/24");
        assertTrue(p.contains(ip("192.168.1.0")));
        assertTrue(p.contains(ip("192.168.1.255")));
        assertFalse(p.contains(ip("192.168.2.1")));
        assertFalse(p.contains(ip("::ffff:192.168.1.1")), "an IPv4-mapped IPv6 address is IPv6");
        assertTrue(IpPrefix.ANY_IPV4.contains(ip("8.8.8.8")));
        assertFalse(IpPrefix.ANY_IPV4.contains(ip("::1")));

        IpPrefix v6 = IpPrefix.parse("2001:db8:1::/48");
        assertTrue(v6.contains(ip("2001:db8:1:ffff::1")));
        assertFalse(v6.contains(ip("2001:db8:2::1")));
        IpPrefix deep = IpPrefix.parse("2001:db8::ff00/120");
        assertTrue(deep.contains(ip("2001:db8::ffab")));
        assertFalse(deep.contains(ip("2001:db8::1ff")));
        assertTrue(IpPrefix.parse("10.1.2.3/32").contains(ip("10.1.2.3")));
    }

    @Test
    void overlapIsContainmentEitherWay() {
        IpPrefix big = IpPrefix.parse("10.0.0.0/8");
        IpPrefix small = IpPrefix.parse("10.20.0.0/16");
        IpPrefix other = IpPrefix.parse("11.0.0.0/8");
        assertTrue(big.contains(small));
        assertFalse(small.contains(big));
        assertTrue(big.overlaps(small));
        assertTrue(small.overlaps(big));
        assertFalse(big.overlaps(other));
        assertFalse(big.overlaps(IpPrefix.parse("::/8")));
    }

    @Test
    void networkAndLastAddress() {
        IpPrefix p = IpPrefix.parse("172.16.4.0/22");
        assertEquals(ip("172.16.4.0"), p.network());
        assertEquals(ip("172.16.7.255"), p.lastAddress());
        assertEquals(ip("255.255.255.255"), IpPrefix.ANY_IPV4.lastAddress());
        assertEquals(
                ip("2001:db8::ffff:ffff:ffff:ffff"),
                IpPrefix.parse("2001:db8::/64").lastAddress());
        assertEquals(IpPrefix.parse("10.0.0.0/24"), IpPrefix.containing(ip("10.0.0.7"), 24));
        assertEquals(IpPrefix.parse("2001:db8::/64"), IpPrefix.containing(ip("2001:db8::abcd"), 64));
    }

    @Test
    void badPrefixesNameTheValue() {
        assertMessage("prefix '10.0.0.1/24' has host bits set; the network is 10.0.0.0/24", "10.0.0.1/24");
        assertMessage("prefix '10.0.0.0/33' has length 33, outside 0..32 for IPv4", "10.0.0.0/33");
        assertMessage("prefix '::/129' has length 129, outside 0..128 for IPv6", "::/129");
        assertMessage("prefix '10.0.0.0' is not address/length (e.g. 10.0.0.0/24)", "10.0.0.0");
        assertMessage("prefix '10.0.0.0/x' has a bad length 'x'", "10.0.0.0/x");
        assertMessage("prefix '10.0.0.0/-1' has a bad length '-1'", "10.0.0.0/-1");
        assertMessage("'10.0.0/8' has a bad IPv4 address '10.0.0'", "10.0.0/8");
        assertMessage("'256.0.0.0/8' has a bad IPv4 address '256.0.0.0'", "256.0.0.0/8");
        assertMessage("'example.com/8' has a bad IPv4 address 'example.com'", "example.com/8");
        assertMessage("'2001:db8::g/64' has a bad IPv6 address '2001:db8::g'", "2001:db8::g/64");
        assertMessage("'fe80::1%eth0/64' is not a plain IPv6 address (no zone or brackets)", "fe80::1%eth0/64");
    }

    private static void assertMessage(String expected, String cidr) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse(cidr));
        assertEquals(expected, e.getMessage());
    }

    @Test
    void subnetAssignsTheNextFreeHostSkippingNetworkBroadcastAndGivenOnes() {
        Subnet s = new Subnet(IpPrefix.parse("192.168.0.0/29")); // hosts .1 to .6
        s.assign(ip("192.168.0.2"));
        s.assign(ip("192.168.0.4"));
        assertEquals(ip("192.168.0.1"), s.assignNext());
        assertEquals(ip("192.168.0.3"), s.assignNext());
        assertEquals(ip("192.168.0.5"), s.assignNext());
        assertEquals(ip("192.168.0.6"), s.assignNext());
        IllegalStateException full = assertThrows(IllegalStateException.class, s::assignNext);
        assertEquals("subnet 192.168.0.0/29 has no free address left (6 assigned)", full.getMessage());
        assertEquals(
                List.of(
                        ip("192.168.0.2"),
                        ip("192.168.0.4"),
                        ip("192.168.0.1"),
                        ip("192.168.0.3"),
                        ip("192.168.0.5"),
                        ip("192.168.0.6")),
                s.assigned());
    }

    @Test
    void pointToPointAndHostSubnetsUseEveryAddress() {
        Subnet p2p = new Subnet(IpPrefix.parse("10.0.0.0/31"));
        assertEquals(ip("10.0.0.0"), p2p.assignNext());
        assertEquals(ip("10.0.0.1"), p2p.assignNext());
        assertThrows(IllegalStateException.class, p2p::assignNext);
        Subnet host = new Subnet(IpPrefix.parse("10.9.9.9/32"));
        assertEquals(ip("10.9.9.9"), host.assignNext());
    }

    @Test
    void ipv6SubnetSkipsTheSubnetRouterAnycastAddress() {
        Subnet s = new Subnet(IpPrefix.parse("2001:db8:1::/64"));
        assertEquals(ip("2001:db8:1::1"), s.assignNext());
        assertEquals(ip("2001:db8:1::2"), s.assignNext());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.assign(ip("2001:db8:1::")));
        assertEquals("address 2001:db8:1:: is the network address of 2001:db8:1::/64", e.getMessage());
    }

    @Test
    void badAssignmentsNameTheValue() {
        Subnet s = new Subnet(IpPrefix.parse("10.0.0.0/24"));
        s.assign(ip("10.0.0.5"));
        assertEquals(
                "address 10.0.0.5 is already assigned in 10.0.0.0/24",
                assertThrows(IllegalArgumentException.class, () -> s.assign(ip("10.0.0.5")))
                        .getMessage());
        assertEquals(
                "address 10.0.1.5 is outside its subnet 10.0.0.0/24",
                assertThrows(IllegalArgumentException.class, () -> s.assign(ip("10.0.1.5")))
                        .getMessage());
        assertEquals(
                "address 10.0.0.255 is the broadcast address of 10.0.0.0/24",
                assertThrows(IllegalArgumentException.class, () -> s.assign(ip("10.0.0.255")))
                        .getMessage());
        assertEquals(
                "address 10.0.0.0 is the network address of 10.0.0.0/24",
                assertThrows(IllegalArgumentException.class, () -> s.assign(ip("10.0.0.0")))
                        .getMessage());
        assertEquals(ip("10.0.0.1"), s.assignNext());
    }

    @Test
    void overlappingSubnetsAreRefused() {
        List<IpPrefix> existing = List.of(IpPrefix.parse("10.0.1.0/24"), IpPrefix.parse("10.0.2.0/24"));
        Subnet.requireDisjoint(IpPrefix.parse("10.0.3.0/24"), existing);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> Subnet.requireDisjoint(IpPrefix.parse("10.0.0.0/16"), existing));
        assertEquals("subnet 10.0.0.0/16 overlaps subnet 10.0.1.0/24", e.getMessage());
    }
}
