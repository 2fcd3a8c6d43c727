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
                "coupling: 0.5 (expected a finite number >= 1)",
                () -> QueueDisciplines.dualPi2(
                        10, Duration.ofMillis(15), Duration.ofMillis(16), 0.16, 3.2, 0.5, Duration.ofMillis(1)));
        rejects(
                "alpha: -1.0 (expected a finite number >= 0)",
                () -> QueueDisciplines.dualPi2(
                        10, Duration.ofMillis(15), Duration.ofMillis(16), -1, 3.2, 2, Duration.ofMillis(1)));
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
    }

    @Test
    void disciplinesPrintAsTcWritesThem() {
        assertEquals(
                "codel target 5ms interval 100ms limit 1000 noecn",
                QueueDisciplines.codel().toString());
        assertEquals(
                "fq_codel target 5ms interval 100ms limit 10240 flows 1024 quantum 1514 ecn",
                QueueDisciplines.fqCodel().toString());
        assertEquals(
                "dualpi2 limit 10000 target 15ms tupdate 16ms alpha 0.16 beta 3.2 coupling_factor 2.0"
                        + " step_thresh 1ms",
                QueueDisciplines.dualPi2().toString());
        assertEquals("pfifo limit 5", QueueDisciplines.pfifo(5).toString());
        assertEquals("bfifo limit 3000", QueueDisciplines.bfifo(3000).toString());
        assertEquals(
                "pfifo_head_drop limit 7", QueueDisciplines.pfifoHeadDrop(7).toString());
    }
}
