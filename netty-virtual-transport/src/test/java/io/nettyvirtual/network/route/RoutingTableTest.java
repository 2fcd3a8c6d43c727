package io.nettyvirtual.network.route;

import static io.nettyvirtual.network.route.IpPrefixTest.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Longest-prefix match, the default route, metrics and their tie-break, for IPv4 and IPv6. */
class RoutingTableTest {
    @Test
    void longestPrefixWins() {
        RoutingTable<String> t = new RoutingTable<>();
        t.add(IpPrefix.parse("10.0.0.0/8"), "core");
        t.add(IpPrefix.parse("10.1.0.0/16"), "isp");
        t.add(IpPrefix.parse("10.1.2.0/24"), "home");
        t.add(IpPrefix.parse("10.1.2.7/32"), "host");
        assertEquals("host", t.lookup(ip("10.1.2.7")));
        assertEquals("home", t.lookup(ip("10.1.2.8")));
        assertEquals("isp", t.lookup(ip("10.1.3.1")));
        assertEquals("core", t.lookup(ip("10.200.0.1")));
        assertNull(t.lookup(ip("11.0.0.1")), "no default route: nothing");
        assertNull(t.lookup(ip("2001:db8::1")), "no IPv6 route at all");
    }

    @Test
    void defaultRouteCatchesTheRest() {
        RoutingTable<String> t = new RoutingTable<>();
        t.add(IpPrefix.ANY_IPV4, "gateway");
        t.add(IpPrefix.parse("192.168.1.0/24"), "lan");
        t.add(IpPrefix.ANY_IPV6, "gateway6");
        t.add(IpPrefix.parse("fd00::/8"), "ula");
        assertEquals("lan", t.lookup(ip("192.168.1.20")));
        assertEquals("gateway", t.lookup(ip("1.1.1.1")));
        assertEquals("gateway", t.lookup(ip("0.0.0.0")));
        assertEquals("gateway", t.lookup(ip("255.255.255.255")));
        assertEquals("ula", t.lookup(ip("fd12:3456::1")));
        assertEquals("gateway6", t.lookup(ip("2001:db8::1")));
        assertEquals("gateway6", t.lookup(ip("::1")));
    }

    @Test
    void lowestMetricWinsAmongEqualPrefixesThenInsertionOrder() {
        RoutingTable<String> t = new RoutingTable<>();
        t.add(IpPrefix.ANY_IPV4, "wifi", 600);
        t.add(IpPrefix.ANY_IPV4, "cellular", 700);
        t.add(IpPrefix.ANY_IPV4, "ethernet", 100);
        t.add(IpPrefix.ANY_IPV4, "usb", 100);
        assertEquals("ethernet", t.lookup(ip("8.8.8.8")), "lowest metric, and added before usb at the same metric");
        Route<String> eth = t.route(ip("8.8.8.8"));
        assertEquals(100, eth.metric());
        assertTrue(t.remove(eth));
        assertFalse(t.remove(eth));
        assertEquals("usb", t.lookup(ip("8.8.8.8")));
        assertEquals(1, t.removeAll("usb"));
        assertEquals("wifi", t.lookup(ip("8.8.8.8")), "the interface with the next metric takes over");
        assertEquals(2, t.size());
    }

    @Test
    void aMoreSpecificRouteBeatsALowerMetric() {
        RoutingTable<String> t = new RoutingTable<>();
        t.add(IpPrefix.parse("10.0.0.0/8"), "cheap", 0);
        t.add(IpPrefix.parse("10.0.0.0/24"), "specific", 1000);
        assertEquals("specific", t.lookup(ip("10.0.0.1")));
    }

    @Test
    void bitLevelLookupsAgreeWithAddressLookups() {
        RoutingTable<Integer> t = new RoutingTable<>();
        t.add(IpPrefix.parse("128.0.0.0/1"), 1);
        t.add(IpPrefix.parse("0.0.0.0/1"), 0);
        t.add(IpPrefix.parse("2001:db8::8000:0:0:0/65"), 65);
        t.add(IpPrefix.parse("2001:db8::/64"), 64);
        assertEquals(1, t.routeV4(0xC0A80001).target()); // 192.168.0.1
        assertEquals(0, t.routeV4(0x0A000001).target()); // 10.0.0.1
        assertEquals(65, t.lookup(ip("2001:db8::8000:0:0:1")));
        assertEquals(64, t.lookup(ip("2001:db8::7fff:0:0:1")));
        assertEquals(65, t.routeV6(0x20010db800000000L, 0x8000000000000001L).target());
        assertNull(t.routeV6(0x20010db800000001L, 0));
    }

    @Test
    void bitLevelLookupsAllocateNothing() {
        RoutingTable<String> t = new RoutingTable<>();
        t.add(IpPrefix.ANY_IPV4, "default");
        t.add(IpPrefix.parse("10.0.0.0/8"), "a");
        t.add(IpPrefix.parse("10.1.2.0/24"), "b");
        t.add(IpPrefix.parse("2001:db8::/32"), "c");
        int[] hits = new int[1];
        long bytes = Allocations.bytesAllocated(10_000, () -> {
            hits[0] += t.routeV4(0x0A010203).target().length();
            hits[0] += t.routeV6(0x20010db800000000L, 1).target().length();
        });
        assertTrue(bytes < 10_000, bytes + " bytes (a byte per call or more) for 10,000 lookups of each family");
        assertEquals(40_000, hits[0]);
    }

    @Test
    void routesAreListedDeterministically() {
        RoutingTable<String> t = new RoutingTable<>();
        t.add(IpPrefix.parse("10.1.0.0/16"), "b");
        t.add(IpPrefix.parse("10.0.0.0/8"), "a", 5);
        t.add(IpPrefix.parse("10.0.0.0/8"), "c", 1);
        t.add(IpPrefix.parse("::/0"), "d");
        assertEquals(
                "RoutingTable[10.0.0.0/8 via c metric 1, 10.0.0.0/8 via a metric 5, 10.1.0.0/16 via b metric 0, "
                        + "::/0 via d metric 0]",
                t.toString());
    }

    @Test
    void badRoutesNameTheValue() {
        RoutingTable<String> t = new RoutingTable<>();
        IpPrefix p = IpPrefix.parse("10.0.0.0/8");
        assertEquals(
                "route to 10.0.0.0/8 leads nowhere: its target is null",
                assertThrows(IllegalArgumentException.class, () -> t.add(p, null))
                        .getMessage());
        assertEquals(
                "route to 10.0.0.0/8 has negative metric -1",
                assertThrows(IllegalArgumentException.class, () -> t.add(p, "x", -1))
                        .getMessage());
        t.add(p, "x", 3);
        assertEquals(
                "route 10.0.0.0/8 via x metric 3 already exists",
                assertThrows(IllegalArgumentException.class, () -> t.add(p, "x", 3))
                        .getMessage());
        assertEquals(
                "route prefix is null (to x)",
                assertThrows(IllegalArgumentException.class, () -> t.add(null, "x"))
                        .getMessage());
    }
}
