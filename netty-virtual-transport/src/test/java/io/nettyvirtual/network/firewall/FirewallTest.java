package io.nettyvirtual.network.firewall;

import static io.nettyvirtual.network.firewall.ConnectionTrackerTest.S;
import static io.nettyvirtual.network.firewall.ConnectionTrackerTest.ep;
import static io.nettyvirtual.network.firewall.Direction.INBOUND;
import static io.nettyvirtual.network.firewall.Direction.OUTBOUND;
import static io.nettyvirtual.network.firewall.FirewallAction.ALLOW;
import static io.nettyvirtual.network.firewall.FirewallAction.DROP;
import static io.nettyvirtual.network.firewall.FirewallAction.REJECT;
import static io.nettyvirtual.network.firewall.Protocol.TCP;
import static io.nettyvirtual.network.firewall.Protocol.UDP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Rule order, drop versus reject, the presets, and conntrack's return path in virtual time. */
class FirewallTest {
    static final InetSocketAddress LAPTOP = ep("10.0.0.2", 40000);
    static final InetSocketAddress QUIC = ep("198.51.100.7", 443);
    static final InetSocketAddress DNS = ep("198.51.100.53", 53);
    static final InetSocketAddress STRANGER = ep("203.0.113.9", 443);

    @Test
    void theFirstMatchingRuleDecides() {
        FirewallPolicy p = FirewallPolicy.builder()
                .rule(FirewallRule.reject()
                        .outbound()
                        .udp()
                        .to("198.51.100.0/24")
                        .toPort(53)
                        .build())
                .rule(FirewallRule.allow()
                        .outbound()
                        .udp()
                        .to("198.51.100.0/24")
                        .build())
                .rule(FirewallRule.drop().outbound().build())
                .build();
        Firewall f = new Firewall(p);
        assertEquals(REJECT, f.filter(OUTBOUND, UDP, LAPTOP, DNS, 0), "the reject rule comes first");
        assertEquals(ALLOW, f.filter(OUTBOUND, UDP, LAPTOP, QUIC, 0));
        assertEquals(DROP, f.filter(OUTBOUND, UDP, LAPTOP, STRANGER, 0));
        assertEquals(DROP, f.filter(OUTBOUND, TCP, LAPTOP, DNS, 0), "the UDP rules do not match TCP");

        FirewallPolicy swapped = FirewallPolicy.builder()
                .rule(FirewallRule.allow()
                        .outbound()
                        .udp()
                        .to("198.51.100.0/24")
                        .build())
                .rule(FirewallRule.reject()
                        .outbound()
                        .udp()
                        .to("198.51.100.0/24")
                        .toPort(53)
                        .build())
                .build();
        assertEquals(ALLOW, new Firewall(swapped).filter(OUTBOUND, UDP, LAPTOP, DNS, 0), "now the allow shadows it");
    }

    @Test
    void rejectAndDropAreCountedApart() {
        Firewall f = new Firewall(FirewallPolicy.builder()
                .rule(FirewallRule.reject().udp().toPort(53).build())
                .defaultOutbound(DROP)
                .build());
        assertEquals(REJECT, f.filter(OUTBOUND, UDP, LAPTOP, DNS, 0));
        assertEquals(DROP, f.filter(OUTBOUND, UDP, LAPTOP, QUIC, 0));
        assertEquals(DROP, f.filter(OUTBOUND, UDP, LAPTOP, QUIC, 1));
        assertEquals(1, f.count(REJECT));
        assertEquals(2, f.count(DROP));
        assertEquals(0, f.count(ALLOW));
        assertEquals(0, f.tracker().size(), "nothing refused opens a flow");
    }

    @Test
    void rulesMatchSourcePrefixAndPortRanges() {
        FirewallRule r = FirewallRule.allow()
                .inbound()
                .udp()
                .from("203.0.113.0/24")
                .fromPorts(400, 500)
                .to("10.0.0.0/8")
                .toPorts(40000, 40010)
                .build();
        assertTrue(r.matches(INBOUND, UDP, STRANGER, LAPTOP));
        assertFalse(r.matches(OUTBOUND, UDP, STRANGER, LAPTOP));
        assertFalse(r.matches(INBOUND, TCP, STRANGER, LAPTOP));
        assertFalse(r.matches(INBOUND, UDP, QUIC, LAPTOP));
        assertFalse(r.matches(INBOUND, UDP, ep("203.0.113.9", 501), LAPTOP));
        assertFalse(r.matches(INBOUND, UDP, STRANGER, ep("10.0.0.2", 40011)));
        assertFalse(r.matches(INBOUND, UDP, ep("2001:db8::1", 443), ep("2001:db8::2", 40000)));
        assertEquals("allow inbound udp from 203.0.113.0/24 port 400-500 to 10.0.0.0/8 port 40000-40010", r.toString());
    }

    @Test
    void blockInboundLetsRepliesBackUntilTheFlowExpires() {
        Firewall f = new Firewall(FirewallPolicy.blockInbound());
        assertEquals(DROP, f.filter(INBOUND, UDP, QUIC, LAPTOP, 0), "nobody asked");
        assertEquals(ALLOW, f.filter(OUTBOUND, UDP, LAPTOP, QUIC, S));
        assertEquals(ALLOW, f.filter(INBOUND, UDP, QUIC, LAPTOP, 2 * S), "the reply");
        assertEquals(DROP, f.filter(INBOUND, UDP, STRANGER, LAPTOP, 2 * S), "another sender is not a reply");
        assertTrue(f.tracker().isAssured(LAPTOP, QUIC, 2 * S));
        // Assured: 120 s after the last datagram, 2 s + 120 s.
        assertEquals(ALLOW, f.filter(INBOUND, UDP, QUIC, LAPTOP, 122 * S - 1));
        assertEquals(DROP, f.filter(INBOUND, UDP, QUIC, LAPTOP, 122 * S - 1 + 120 * S));
        assertEquals(2, f.trackedCount());
    }

    @Test
    void anUnansweredFlowClosesAfterThirtySeconds() {
        Firewall f = new Firewall(FirewallPolicy.blockInbound());
        f.filter(OUTBOUND, UDP, LAPTOP, QUIC, 0);
        assertEquals(30 * S, f.tracker().nextExpiry());
        assertEquals(DROP, f.filter(INBOUND, UDP, QUIC, LAPTOP, 30 * S), "the first reply comes too late");
        f.filter(OUTBOUND, UDP, LAPTOP, QUIC, 31 * S);
        assertEquals(ALLOW, f.filter(INBOUND, UDP, QUIC, LAPTOP, 61 * S - 1), "a new flow opened at 31 s");
    }

    @Test
    void timeoutsAreConfigurable() {
        Firewall f = new Firewall(FirewallPolicy.builder()
                .defaultInbound(DROP)
                .udpTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(60))
                .build());
        f.filter(OUTBOUND, UDP, LAPTOP, QUIC, 0);
        assertEquals(5 * S, f.tracker().nextExpiry());
        f.filter(INBOUND, UDP, QUIC, LAPTOP, 4 * S);
        assertEquals(64 * S, f.tracker().nextExpiry());
    }

    @Test
    void udp443OnlyLetsQuicOutAndItsRepliesBackAndNothingElse() {
        Firewall f = new Firewall(FirewallPolicy.udp443Only());
        assertEquals(ALLOW, f.filter(OUTBOUND, UDP, LAPTOP, QUIC, 0));
        assertEquals(ALLOW, f.filter(INBOUND, UDP, QUIC, LAPTOP, S));
        assertEquals(DROP, f.filter(OUTBOUND, UDP, LAPTOP, DNS, S));
        assertEquals(DROP, f.filter(OUTBOUND, UDP, LAPTOP, ep("198.51.100.7", 4433), S));
        assertEquals(DROP, f.filter(INBOUND, UDP, STRANGER, LAPTOP, S), "from port 443 but not a reply");
        assertEquals(ALLOW, f.filter(OUTBOUND, TCP, LAPTOP, DNS, S), "other protocols go out");
    }

    @Test
    void blockUdpDropsEveryUdpDatagram() {
        Firewall f = new Firewall(FirewallPolicy.blockUdp());
        assertEquals(DROP, f.filter(OUTBOUND, UDP, LAPTOP, QUIC, 0));
        assertEquals(DROP, f.filter(INBOUND, UDP, QUIC, LAPTOP, 0));
        assertEquals(ALLOW, f.filter(OUTBOUND, TCP, LAPTOP, QUIC, 0));
        assertEquals(0, f.tracker().size());
    }

    @Test
    void anAllowedInboundFlowLetsItsRepliesOut() {
        Firewall f = new Firewall(FirewallPolicy.builder()
                .rule(FirewallRule.allow().inbound().udp().toPort(40000).build())
                .defaultInbound(DROP)
                .defaultOutbound(DROP)
                .build());
        assertEquals(DROP, f.filter(OUTBOUND, UDP, LAPTOP, QUIC, 0));
        assertEquals(ALLOW, f.filter(INBOUND, UDP, QUIC, LAPTOP, 1));
        assertEquals(ALLOW, f.filter(OUTBOUND, UDP, LAPTOP, QUIC, 2), "the reply to an admitted flow");
    }

    @Test
    void aTrackedFlowPassesWithoutAllocating() {
        Firewall f = new Firewall(FirewallPolicy.udp443Only());
        f.filter(OUTBOUND, UDP, LAPTOP, QUIC, 0);
        long[] now = {0};
        long bytes = io.nettyvirtual.network.route.Allocations.bytesAllocated(10_000, () -> {
            now[0]++;
            if (f.filter(OUTBOUND, UDP, LAPTOP, QUIC, now[0]) != ALLOW
                    || f.filter(INBOUND, UDP, QUIC, LAPTOP, now[0]) != ALLOW) {
                throw new AssertionError("refused at " + now[0]);
            }
        });
        assertTrue(bytes < 10_000, bytes + " bytes (a byte per call or more) for 10,000 datagrams each way");
    }

    @Test
    void badRulesNameTheValue() {
        assertEquals(
                "firewall rule for ICMP has ports 0-65535 -> 7, but ICMP has none",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> FirewallRule.drop()
                                        .protocol(Protocol.ICMP)
                                        .toPort(7)
                                        .build())
                        .getMessage());
        assertEquals(
                "firewall rule from 10.0.0.0/8 to 2001:db8::/32 mixes IPv4 and IPv6 and could never match",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> FirewallRule.drop()
                                        .from("10.0.0.0/8")
                                        .to("2001:db8::/32")
                                        .build())
                        .getMessage());
        assertEquals(
                "port range 70000-70000 is not within 0-65535",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> FirewallRule.drop().toPort(70000))
                        .getMessage());
        assertEquals(
                "port range 10-5 is not within 0-65535",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> FirewallRule.drop().fromPorts(10, 5))
                        .getMessage());
        assertEquals(
                "prefix '10.0.0.1/8' has host bits set; the network is 10.0.0.0/8",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> FirewallRule.drop().from("10.0.0.1/8"))
                        .getMessage());
        assertEquals(
                "firewall rule is null",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> FirewallPolicy.builder().rule(null))
                        .getMessage());
    }
}
