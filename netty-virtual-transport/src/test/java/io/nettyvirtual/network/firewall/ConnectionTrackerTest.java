package io.nettyvirtual.network.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nettyvirtual.network.route.IpPrefix;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** UDP flows and Linux's two timeouts, at exact virtual nanoseconds. */
class ConnectionTrackerTest {
    static final long S = 1_000_000_000L;
    static final InetSocketAddress IN = ep("10.0.0.2", 40000);
    static final InetSocketAddress OUT = ep("198.51.100.7", 443);

    static InetSocketAddress ep(String ip, int port) {
        return new InetSocketAddress(IpPrefix.parseAddress(ip, ip), port);
    }

    @Test
    void anUnrepliedFlowLivesThirtySecondsAfterItsLastDatagram() {
        ConnectionTracker t = new ConnectionTracker();
        t.open(IN, OUT, 0);
        assertEquals(30 * S, t.nextExpiry());
        assertTrue(t.seen(IN, OUT, 10 * S), "same direction again: refreshes, still unreplied");
        assertEquals(40 * S, t.expiryOf(IN, OUT));
        assertFalse(t.isAssured(IN, OUT, 10 * S));
        assertEquals(0, t.expire(40 * S - 1));
        assertEquals(1, t.expire(40 * S));
        assertFalse(t.seen(OUT, IN, 40 * S), "a reply after expiry finds no flow");
        assertEquals(0, t.size());
        assertEquals(1, t.expired());
    }

    @Test
    void aReplyMakesItAssuredForOneHundredTwentySeconds() {
        ConnectionTracker t = new ConnectionTracker();
        t.open(IN, OUT, 0);
        assertTrue(t.seen(OUT, IN, 5 * S));
        assertTrue(t.isAssured(IN, OUT, 5 * S));
        assertEquals(125 * S, t.nextExpiry());
        assertTrue(t.seen(IN, OUT, 100 * S), "either direction refreshes an assured flow with its timeout");
        assertEquals(220 * S, t.expiryOf(OUT, IN));
        assertTrue(t.seen(OUT, IN, 220 * S - 1));
        assertEquals(340 * S - 1, t.nextExpiry());
        assertFalse(t.seen(OUT, IN, 340 * S - 1 + 120 * S));
    }

    @Test
    void theNextExpiryIsTheEarliestOfBothTimeouts() {
        ConnectionTracker t = new ConnectionTracker();
        InetSocketAddress other = ep("198.51.100.8", 443);
        t.open(IN, OUT, 0);
        t.seen(OUT, IN, 0); // assured: 120 s
        t.open(IN, other, 100 * S); // unreplied: 130 s
        assertEquals(120 * S, t.nextExpiry());
        assertEquals(1, t.expire(120 * S));
        assertEquals(130 * S, t.nextExpiry());
        assertEquals(1, t.expire(130 * S));
        assertEquals(Long.MAX_VALUE, t.nextExpiry());
        assertEquals(2, t.opened());
    }

    @Test
    void openingTwiceKeepsOneFlow() {
        ConnectionTracker t = new ConnectionTracker(Duration.ofSeconds(1), Duration.ofSeconds(2));
        t.open(IN, OUT, 0);
        t.open(IN, OUT, S / 2);
        assertEquals(1, t.size());
        assertEquals(S, t.nextExpiry(), "open does not refresh; only seen does");
        t.open(IN, IN, S / 2); // a flow to itself is entered once and expires cleanly
        assertEquals(2, t.expire(2 * S));
        assertEquals(0, t.size());
    }

    @Test
    void badInputNamesTheValue() {
        assertEquals(
                "conntrack unreplied timeout PT0S is not positive",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> new ConnectionTracker(Duration.ZERO, Duration.ofSeconds(1)))
                        .getMessage());
        assertEquals(
                "conntrack assured timeout PT-1S is not positive",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> new ConnectionTracker(Duration.ofSeconds(1), Duration.ofSeconds(-1)))
                        .getMessage());
        ConnectionTracker t = new ConnectionTracker();
        t.open(IN, OUT, 5);
        assertEquals(
                "virtual time 4 ns is before the previous call's 5 ns",
                assertThrows(IllegalArgumentException.class, () -> t.seen(IN, OUT, 4))
                        .getMessage());
    }
}
