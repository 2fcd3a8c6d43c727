package io.nettyvirtual.network.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** One immutable vocabulary, each setting checked once with a message naming it and the bad value. */
class LinkConfigTest {
    @Test
    void defaults() {
        LinkConfig c = LinkConfig.ideal();
        assertEquals(Duration.ZERO, c.delay());
        assertEquals(0, c.bytesPerSecond());
        assertEquals(LinkConfig.DEFAULT_QUEUE_PACKETS, c.queuePackets());
        assertEquals(Long.MAX_VALUE, c.queueBytes());
        assertEquals(0.0, c.loss());
        assertEquals(Duration.ZERO, c.slot());
        assertFalse(c.isDown());
        assertNull(c.filter());
        assertEquals(c, new LinkConfig());
    }

    @Test
    void settingReturnsANewConfigAndLeavesTheOldOneAlone() {
        LinkConfig base = LinkConfig.delayed(Duration.ofMillis(50));
        LinkConfig lossy = base.bitsPerSecond(10_000_000).loss(0.02);
        assertEquals(Duration.ofMillis(50), base.delay());
        assertEquals(0.0, base.loss());
        assertEquals(0, base.bytesPerSecond());
        assertEquals(1_250_000, lossy.bytesPerSecond());
        assertEquals(0.02, lossy.loss());
        assertEquals(Duration.ofMillis(50), lossy.delay());
        assertNotEquals(base, lossy);
        assertEquals(lossy, base.bitsPerSecond(10_000_000).loss(0.02));
        assertEquals(0, lossy.unlimited().bytesPerSecond());
        assertSame(LinkConfig.ideal(), LinkConfig.ideal());
    }

    @Test
    void aDelayTooLongForTheClockNamesTheSettingAndTheValue() {
        assertMentions(() -> LinkConfig.delayed(Duration.ofDays(365_000)), "delay", "PT8760000H");
        assertMentions(() -> LinkConfig.ideal().delayMillis(1e300), "delay", "1.0E300");
        assertMentions(() -> LinkConfig.ideal().slot(Duration.ofDays(365_000)), "slot", "PT8760000H");
        // The longest the clock can count is fine, and saturates when added to the clock.
        assertEquals(
                Long.MAX_VALUE,
                LinkConfig.delayed(Duration.ofNanos(Long.MAX_VALUE)).delay().toNanos());
    }

    @Test
    void badValuesNameTheSettingAndTheValue() {
        assertMentions(() -> LinkConfig.delayed(Duration.ofMillis(-5)), "delay", "-0.005");
        assertMentions(() -> LinkConfig.ideal().delayMillis(Double.NaN), "delay", "NaN");
        assertMentions(() -> LinkConfig.ideal().delayMillis(Double.POSITIVE_INFINITY), "delay", "Infinity");
        assertMentions(() -> LinkConfig.ideal().delayMillis(-1), "delay", "-1.0");
        assertMentions(() -> LinkConfig.limited(0), "bytesPerSecond", "0 bytes/s");
        assertMentions(() -> LinkConfig.ideal().bitsPerSecond(7), "bitsPerSecond", "7");
        assertMentions(() -> LinkConfig.ideal().queuePackets(-1), "queuePackets", "-1");
        assertMentions(() -> LinkConfig.ideal().queueBytes(-2), "queueBytes", "-2");
        assertMentions(() -> LinkConfig.ideal().loss(1.5), "loss", "1.5");
        assertMentions(() -> LinkConfig.ideal().loss(Double.NaN), "loss", "NaN");
        assertMentions(() -> LinkConfig.ideal().slot(Duration.ofMillis(-3)), "slot", "-0.003");
        NullPointerException npe = assertThrows(NullPointerException.class, () -> LinkConfig.delayed(null));
        assertEquals("delay", npe.getMessage());
    }

    @Test
    void toStringShowsTheSettings() {
        String s = LinkConfig.delayed(Duration.ofMillis(50))
                .bytesPerSecond(1000)
                .queueBytes(3000)
                .loss(0.5)
                .slot(Duration.ofMillis(4))
                .down(true)
                .toString();
        for (String part : new String[] {"down", "delay 50.0 ms", "1000 B/s", "3000 B", "loss 0.5", "slot 4.0 ms"}) {
            assertTrue(s.contains(part), s);
        }
    }

    private static void assertMentions(Executable e, String... parts) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e::run);
        for (String p : parts) {
            assertTrue(x.getMessage().contains(p), "'" + x.getMessage() + "' should mention " + p);
        }
    }

    @FunctionalInterface
    private interface Executable {
        void run();
    }
}
