package io.nettyvirtual.network.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every discipline setting is checked at once, naming the setting and the value; configs compare by value. */
class QueueDisciplinesTest {
    private static final Duration MS5 = Duration.ofMillis(5);
    private static final Duration MS100 = Duration.ofMillis(100);

    private static void rejects(String message, Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertEquals(message, x.getMessage());
    }

    @Test
    void badSettingsAreNamedWithTheirValue() {
        rejects("limit: -1 (expected >= 0)", () -> QueueDisciplines.pfifo(-1));
        rejects("limitBytes: -5 (expected >= 0)", () -> QueueDisciplines.bfifo(-5));
        rejects("limit: -2 (expected >= 0)", () -> QueueDisciplines.pfifoHeadDrop(-2));
        rejects(
                "target: PT0S (expected > 0 and at most 365 days)",
                () -> QueueDisciplines.codel(Duration.ZERO, MS100, 10, false));
        rejects(
                "interval: PT-0.1S (expected > 0 and at most 365 days)",
                () -> QueueDisciplines.codel(MS5, MS100.negated(), 10, false));
        rejects("limit: 0 (expected >= 1)", () -> QueueDisciplines.codel(MS5, MS100, 0, false));
        rejects("flows: 0 (expected 1 to 65536)", () -> QueueDisciplines.fqCodel(MS5, MS100, 10, 0, 1514, true));
        rejects("quantum: 0 (expected >= 1)", () -> QueueDisciplines.fqCodel(MS5, MS100, 10, 1024, 0, true));
        rejects(
                "memoryLimit: 0 bytes (expected >= 1)",
                () -> QueueDisciplines.fqCodel(MS5, MS100, 10, 1024, 1514, true, 0, null));
        rejects(
                "ceThreshold: PT-0.005S (expected >= 0 and at most 365 days, or null for none)",
                () -> QueueDisciplines.fqCodel(MS5, MS100, 10, 1024, 1514, true, 1 << 20, MS5.negated()));
        rejects(
                "maxTh: 5.0 packets (expected finite and > minTh 5.0)",
                () -> QueueDisciplines.red(25, 5, 5, 0.02, 0.002, true, false, 500));
        rejects(
                "minTh: NaN packets (expected a finite number >= 0)",
                () -> QueueDisciplines.red(25, Double.NaN, 5, 0.02, 0.002, true, false, 500));
        rejects(
                "maxP: 1.5 (expected a probability in (0, 1])",
                () -> QueueDisciplines.red(25, 5, 15, 1.5, 0.002, true, false, 500));
        rejects("weight: 0.0 (expected in (0, 1])", () -> QueueDisciplines.red(25, 5, 15, 0.02, 0, true, false, 500));
        rejects(
                "meanPacketSize: 0 (expected >= 1)",
                () -> QueueDisciplines.red(25, 5, 15, 0.02, 0.002, true, false, 0));
        rejects(
                "couplingFactor: 0.5 (expected 1 to 256)",
                () -> QueueDisciplines.dualPi2().couplingFactor(0.5));
        rejects(
                "alpha: -1.0 (expected a finite number >= 0)",
                () -> QueueDisciplines.dualPi2().alpha(-1));
        rejects(
                "beta: NaN (expected a finite number >= 0)",
                () -> QueueDisciplines.dualPi2().beta(Double.NaN));
        rejects("limit: 0 (expected >= 1)", () -> QueueDisciplines.dualPi2().limit(0));
        rejects(
                "tupdate: PT0S (expected > 0 and at most 365 days)",
                () -> QueueDisciplines.dualPi2().tupdate(Duration.ZERO));
        rejects(
                "range: PT-0.001S (expected > 0 and at most 365 days)",
                () -> QueueDisciplines.dualPi2().ramp(Duration.ofMillis(1), Duration.ofMillis(-1)));
        rejects(
                "stepThresh: PT0S (expected > 0 and at most 365 days)",
                () -> QueueDisciplines.dualPi2().stepThresh(Duration.ZERO));
        rejects(
                "classicProtection: 101 (expected 0 to 100)",
                () -> QueueDisciplines.dualPi2().classicProtection(101));
        rejects(
                "tshift: PT-1S (expected > 0 and at most 365 days)",
                () -> QueueDisciplines.dualPi2().tshift(Duration.ofSeconds(-1)));
        assertThrows(
                NullPointerException.class, () -> QueueDisciplines.dualPi2().target(null));
        assertThrows(NullPointerException.class, () -> QueueDisciplines.codel(null, MS100, 10, false));
    }

    @Test
    void configsWithEqualDisciplinesAreEqual() {
        LinkConfig a = LinkConfig.limited(1000).queue(QueueDisciplines.codel());
        assertEquals(a, LinkConfig.limited(1000).queue(QueueDisciplines.codel()));
        assertEquals(
                a.hashCode(),
                LinkConfig.limited(1000).queue(QueueDisciplines.codel()).hashCode());
        assertNotEquals(a, LinkConfig.limited(1000).queue(QueueDisciplines.fqCodel()));
        assertNull(LinkConfig.limited(1000).queue());
        assertEquals(QueueDisciplines.red(), a.queue(QueueDisciplines.red()).queue());
        assertEquals(
                QueueDisciplines.dualPi2().classicProtection(20),
                QueueDisciplines.dualPi2().classicProtection(20));
        assertNotEquals(QueueDisciplines.dualPi2(), QueueDisciplines.dualPi2().classicProtection(20));
    }

    @Test
    void disciplinesPrintAsTcWritesThem() {
        assertEquals(
                "codel target 5ms interval 100ms limit 1000 noecn",
                QueueDisciplines.codel().toString());
        assertEquals(
                "fq_codel target 5ms interval 100ms limit 10240 flows 1024 quantum 1514 memory_limit 32Mb ecn",
                QueueDisciplines.fqCodel().toString());
        assertEquals(
                "fq_codel target 5ms interval 100ms limit 100 flows 16 quantum 300 memory_limit 64Kb ce_threshold 1ms"
                        + " noecn",
                QueueDisciplines.fqCodel(MS5, MS100, 100, 16, 300, false, 65536, Duration.ofMillis(1))
                        .toString());
        assertEquals(
                "dualpi2 limit 10000 target 15ms tupdate 16ms alpha 0.16 beta 3.2 coupling_factor 2"
                        + " min_th 800.0us range 400.0us classic_protection 10 drop_on_overload",
                QueueDisciplines.dualPi2().toString());
        assertEquals(
                "dualpi2 limit 10000 target 15ms tupdate 16ms alpha 0.16 beta 3.2 coupling_factor 2"
                        + " step_thresh 1ms tshift 30ms overflow",
                QueueDisciplines.dualPi2()
                        .stepThresh(Duration.ofMillis(1))
                        .tshift(Duration.ofMillis(30))
                        .dropOnOverload(false)
                        .toString());
        assertEquals("pfifo limit 5", QueueDisciplines.pfifo(5).toString());
        assertEquals("bfifo limit 3000", QueueDisciplines.bfifo(3000).toString());
        assertEquals(
                "pfifo_head_drop limit 7", QueueDisciplines.pfifoHeadDrop(7).toString());
    }
}
