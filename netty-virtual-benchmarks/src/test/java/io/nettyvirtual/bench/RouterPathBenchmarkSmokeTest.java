package io.nettyvirtual.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nettyvirtual.stats.PacketCounters;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Runs {@link RouterPathBenchmark}'s body twice per path outside JMH: every datagram arrives, nothing is lost. */
class RouterPathBenchmarkSmokeTest {
    @ParameterizedTest
    @ValueSource(strings = {"switch", "routers-nat"})
    void everyDatagramCrossesThePath(String path) {
        RouterPathBenchmark b = new RouterPathBenchmark();
        b.path = path;
        b.size = 64;
        b.setUp();
        try {
            RouterPathBenchmark.Delivered d = new RouterPathBenchmark.Delivered();
            b.flood(d);
            b.flood(d);
            assertEquals(2L * RouterPathBenchmark.BATCH, d.delivered);
            PacketCounters c = b.network().counters();
            assertEquals(0, c.dropped(), c.toString());
            assertTrue(c.isBalanced(), c.toString());
        } finally {
            b.tearDown();
        }
    }
}
