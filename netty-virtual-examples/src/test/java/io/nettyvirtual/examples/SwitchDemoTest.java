package io.nettyvirtual.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The main demo runs, prints its report and progress, and measures what its topology implies, exactly. */
class SwitchDemoTest {
    @Test
    void tenMinutesOfPlayOnTheSwitch() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SwitchDemo.Result r = SwitchDemo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertEquals(2026, r.seed());
        // Ten minutes of updates at 30 a second, then the last answers drain.
        assertTrue(r.virtualMillis() >= 600_000 && r.virtualMillis() < 601_000, () -> "ended at " + r.virtualMillis());
        // 18,001 updates per client (one at time 0): the lossless fiber client gets an answer to every one.
        assertEquals(18_001, r.client("fiber").snapshots());
        // Lossy links lose some; the thin link's queue overflows after its rate drops at minute 5.
        assertTrue(r.client("cable").snapshots() < 18_001 && r.client("cable").snapshots() > 17_900);
        assertTrue(r.client("mobile").snapshots() < r.client("cable").snapshots());
        assertTrue(r.client("thin").snapshots() < r.client("mobile").snapshots());
        // Round trips follow the access links: 2 x (4 + 1) ms for fiber, queueing for thin.
        assertEquals(10.0, r.client("fiber").meanRttMillis(), 0.5);
        assertTrue(
                r.client("thin").meanRttMillis() > 200,
                () -> "thin RTT " + r.client("thin").meanRttMillis());
        assertTrue(r.counters().isBalanced(), r.counters()::toString);
        assertEquals(0, r.counters().inFlight());

        for (int minute = 2; minute <= 10; minute += 2) {
            assertTrue(out.contains(String.format("... virtual %2d:00, ", minute)), out);
        }
        assertTrue(out.contains("netty-virtual demo: 10 minutes of a 4-player game server in "), out);
        assertTrue(out.contains("client     snapshots  mean RTT"), out);
        assertTrue(out.contains(String.format("%-9s %10d", "fiber", 18_001)), out);
        assertTrue(out.endsWith(r.summary()), out);
    }
}
