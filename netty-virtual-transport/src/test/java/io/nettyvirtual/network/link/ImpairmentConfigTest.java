package io.nettyvirtual.network.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The impairment settings: each bad value is refused at once with its setting and value named. */
class ImpairmentConfigTest {
    private static void assertMentions(Runnable r, String... parts) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, r::run);
        for (String p : parts) {
            assertTrue(x.getMessage().contains(p), "'" + x.getMessage() + "' should mention " + p);
        }
    }

    @Test
    void badProbabilitiesNameTheSettingAndTheValue() {
        LinkConfig c = LinkConfig.ideal();
        assertMentions(() -> c.loss(0.1, 1.5), "loss correlation", "1.5");
        assertMentions(() -> c.gilbertElliott(-0.1, 0.5, 1, 0), "gemodel p", "-0.1");
        assertMentions(() -> c.gilbertElliott(0.1, Double.NaN, 1, 0), "gemodel r", "NaN");
        assertMentions(() -> c.gilbertElliott(0.1, 0.5, 2, 0), "gemodel 1-h", "2.0");
        assertMentions(() -> c.gilbertElliott(0.1, 0.5, 1, 7), "gemodel 1-k", "7.0");
        assertMentions(() -> c.lossStates(0.6, 0.5, 0, 1, 0.6), "state p13 + p14", "0.6");
        assertMentions(() -> c.lossStates(0.1, 0.7, 0.7, 1, 0), "state p31 + p32", "0.7");
        assertMentions(() -> c.lossStates(0.1, 0.5, 0, 1.2, 0), "state p23", "1.2");
        assertMentions(() -> c.duplicate(1.01), "duplicate", "1.01");
        assertMentions(() -> c.duplicate(0.1, -1), "duplicate correlation", "-1.0");
        assertMentions(() -> c.reorder(2, 0, 1), "reorder", "2.0");
        assertMentions(() -> c.reorder(0.5, 0, 0), "reorder gap", "0");
        assertMentions(() -> c.corrupt(-0.5), "corrupt", "-0.5");
        assertMentions(() -> c.jitter(Duration.ofMillis(1), DelayDistribution.NORMAL, 3), "jitter correlation", "3.0");
    }

    @Test
    void badSizesAndDurationsNameTheSettingAndTheValue() {
        LinkConfig c = LinkConfig.ideal();
        assertMentions(() -> c.overhead(-1), "overhead", "-1");
        assertMentions(() -> c.mtu(67), "mtu", "67");
        assertMentions(() -> c.mtu(70_000), "mtu", "70000");
        assertMentions(() -> c.jitter(Duration.ofMillis(-2)), "jitter", "-0.002");
        assertMentions(() -> LinkFlaps.periodic(Duration.ZERO, Duration.ofSeconds(1)), "flaps up", "PT0S");
        assertMentions(
                () -> LinkFlaps.schedule(Duration.ofSeconds(1), Duration.ofSeconds(-1)), "flaps schedule[1]", "PT-1S");
        assertMentions(LinkFlaps::schedule, "flaps schedule", "empty");
        assertMentions(() -> LinkFlaps.random(Duration.ofSeconds(1), Duration.ZERO), "flaps meanDown", "PT0S");
        assertMentions(() -> RateTrace.of(7), "rateTrace bitsPerSecond[0]", "7");
        assertMentions(
                () -> RateTrace.of(8000).then(Duration.ofSeconds(1), 8000).then(Duration.ofSeconds(1), 8000),
                "rateTrace at",
                "PT1S");
        assertMentions(
                () -> RateTrace.of(8000).then(Duration.ofSeconds(2), 8000).loop(Duration.ofSeconds(1)),
                "rateTrace loop",
                "PT1S");
        assertMentions(() -> DelayDistribution.table(), "distribution table", "empty");
        assertMentions(() -> DelayDistribution.table(1, Double.NaN), "distribution table", "NaN");
        assertThrows(NullPointerException.class, () -> c.jitter(Duration.ofMillis(1), null));
    }

    @Test
    void settingsAreValuesThatCompareAndPrint() {
        LinkConfig a = LinkConfig.ideal()
                .overhead(14)
                .mtu(1500)
                .jitter(Duration.ofMillis(5))
                .duplicate(0.1)
                .reorder(0.25, 0.5, 3)
                .corrupt(0.01)
                .deliverCorrupted(true)
                .flaps(LinkFlaps.periodic(Duration.ofSeconds(5), Duration.ofSeconds(2)))
                .rateTrace(RateTrace.of(1_000_000).then(Duration.ofSeconds(1), 500_000));
        LinkConfig b = LinkConfig.ideal()
                .overhead(14)
                .mtu(1500)
                .jitter(Duration.ofMillis(5))
                .duplicate(0.1)
                .reorder(0.25, 0.5, 3)
                .corrupt(0.01)
                .deliverCorrupted(true)
                .flaps(LinkFlaps.periodic(Duration.ofSeconds(5), Duration.ofSeconds(2)))
                .rateTrace(RateTrace.of(1_000_000).then(Duration.ofSeconds(1), 500_000));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, b.mtu(1400));
        assertEquals(
                LinkConfig.ideal(),
                a.payloadOnly()
                        .mtu(0)
                        .jitter(Duration.ZERO)
                        .duplicate(0)
                        .reorder(0, 0, 3)
                        .corrupt(0)
                        .deliverCorrupted(false)
                        .flaps(null)
                        .rateTrace(null),
                "all settings back to the defaults");
        String s = a.toString();
        for (String part : new String[] {
            "overhead",
            "mtu 1500",
            "jitter 5.0 ms uniform",
            "duplicate",
            "reorder",
            "corrupt",
            "flaps periodic",
            "rateTrace"
        }) {
            assertTrue(s.contains(part), s + " should mention " + part);
        }
        assertEquals(14, a.overhead());
        assertEquals(1500, a.mtu());
        assertEquals(Duration.ofMillis(5), a.jitter());
    }
}
