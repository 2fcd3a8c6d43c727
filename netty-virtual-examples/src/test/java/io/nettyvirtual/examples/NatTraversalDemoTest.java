package io.nettyvirtual.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nettyvirtual.examples.NatTraversalDemo.Path;
import io.nettyvirtual.examples.NatTraversalDemo.Scenario;
import io.nettyvirtual.network.nat.NatRefusal;
import io.nettyvirtual.stats.DropReason;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The NAT traversal demo runs both scenarios and tells what the topology implies, exactly: home hosts 5 ms from
 * their NAT, NATs 10 ms from the public switch, the server 1 ms from it.
 */
class NatTraversalDemoTest {
    private static void assertStory(Scenario s, String... lines) {
        int from = 0;
        for (String line : lines) {
            int at = -1;
            for (int i = from; i < s.story().size(); i++) {
                if (s.story().get(i).trim().equals(line)) {
                    at = i;
                    break;
                }
            }
            assertTrue(
                    at >= 0, () -> "the story lacks, in this order, '" + line + "':\n" + String.join("\n", s.story()));
            from = at + 1;
        }
    }

    @Test
    void conesPunchAHoleAndASymmetricNatFallsBackToTheRelay() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        NatTraversalDemo.Result r = NatTraversalDemo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(2026, r.seed());
        assertEquals(2, r.scenarios().size());

        Scenario direct = r.scenarios().get(0);
        assertEquals(Path.DIRECT, direct.path());
        assertStory(
                direct,
                "5.000 ms  nat-a: new mapping 192.168.1.10:5000 -> 203.0.113.2:5000 (first datagram to 203.0.113.10:3478)",
                "16.000 ms  server: alice registered from 203.0.113.2:5000",
                "32.000 ms  alice: the server says bob is at 203.0.113.3:5000; punching",
                // alice's first punch reaches bob's NAT before bob has sent anything to alice
                "57.000 ms  nat-b: drops a datagram from 203.0.113.2:5000 to 203.0.113.3:5000: NAT_FILTERED",
                "82.000 ms  bob: the server says alice is at 203.0.113.2:5000; punching",
                "112.000 ms  alice: a punch from 203.0.113.3:5000 got through",
                "142.000 ms  bob: reads \"hello bob, this is alice\" directly from 203.0.113.2:5000",
                "172.000 ms  alice: reads \"hello alice, this is bob\" directly from 203.0.113.3:5000");
        assertEquals(172.0, direct.lastHelloMillis(), 1e-9);
        assertEquals(1, direct.natA().created());
        assertEquals(1, direct.natB().created());
        assertEquals(1, direct.natB().refused(NatRefusal.FILTERED));
        assertEquals(0, direct.natA().refused());

        Scenario relayed = r.scenarios().get(1);
        assertEquals(Path.RELAYED, relayed.path());
        assertStory(
                relayed,
                // the symmetric NAT shows bob a port the server never saw
                "37.000 ms  nat-a: new mapping 192.168.1.10:5000 -> 203.0.113.2:5002 (first datagram to 203.0.113.3:5000)",
                "57.000 ms  nat-b: drops a datagram from 203.0.113.2:5002 to 203.0.113.3:5000: NAT_FILTERED",
                "107.000 ms  nat-a: drops a datagram from 203.0.113.3:5000 to 203.0.113.2:5000: NAT_FILTERED",
                "157.000 ms  nat-b: drops a datagram from 203.0.113.2:5002 to 203.0.113.3:5000: NAT_FILTERED",
                "207.000 ms  nat-a: drops a datagram from 203.0.113.3:5000 to 203.0.113.2:5000: NAT_FILTERED",
                "532.000 ms  alice: nothing from bob directly; says hello through the relay",
                "564.000 ms  bob: reads \"hello bob, this is alice\" through the relay",
                "596.000 ms  alice: reads \"hello alice, this is bob\" through the relay");
        assertEquals(596.0, relayed.lastHelloMillis(), 1e-9);
        assertEquals(2, relayed.natA().created(), "one mapping towards the server, one towards bob");
        assertEquals(2, relayed.natA().refused(NatRefusal.FILTERED));
        assertEquals(2, relayed.natB().refused(NatRefusal.FILTERED));
        assertEquals(4, relayed.counters().dropped(DropReason.NAT_FILTERED));

        for (Scenario s : r.scenarios()) {
            assertTrue(s.counters().isBalanced(), s.counters()::toString);
            assertEquals(0, s.counters().inFlight());
        }
        for (String line : List.of(
                "NAT traversal demo (seed 2026): hole punching through two NATs, a relay when it fails",
                "outcome: a direct path, both hellos read by 172.000 ms",
                "outcome: relayed by the server, both hellos read by 596.000 ms",
                "nat-a: mappings created 2, active 2, refused FILTERED 2")) {
            assertTrue(out.contains(line + System.lineSeparator()), () -> "missing '" + line + "' in:\n" + out);
        }
    }
}
