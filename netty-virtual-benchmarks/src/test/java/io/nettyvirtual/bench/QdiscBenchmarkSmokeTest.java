package io.nettyvirtual.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Runs each row of {@link QdiscBenchmark} once outside JMH, so a broken row fails the build in seconds. */
class QdiscBenchmarkSmokeTest {
    @ParameterizedTest
    @ValueSource(strings = {"default", "pfifo", "pfifo_head_drop", "red", "codel", "fq_codel", "dualpi2"})
    void everyPacketOfferedIsDeliveredOrDropped(String qdisc) throws Exception {
        QdiscBenchmark b = new QdiscBenchmark();
        b.qdisc = qdisc;
        b.setUp();
        try {
            b.offer();
            assertEquals(QdiscBenchmark.BATCH, b.delivered() + b.dropped());
            assertTrue(b.delivered() > QdiscBenchmark.BATCH * 0.8, b.delivered() + " delivered");
        } finally {
            b.tearDown();
        }
    }
}
