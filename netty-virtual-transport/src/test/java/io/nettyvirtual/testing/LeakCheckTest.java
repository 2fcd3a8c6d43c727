package io.nettyvirtual.testing;

import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;

/** The leak check itself: a buffer that is never released is reported. */
class LeakCheckTest {
    @Test
    void unreleasedBufferIsReported() {
        leak();
        // The collector decides when the buffer is reclaimed: give it as many rounds as a loaded machine needs.
        List<String> leaks = LeakCheck.collectLeaks();
        for (int i = 0; i < 25 && leaks.isEmpty(); i++) {
            leaks = LeakCheck.collectLeaks();
        }
        assertFalse(leaks.isEmpty(), "a leaked buffer must be reported at PARANOID level");
    }

    private static void leak() {
        ByteBufAllocator.DEFAULT.directBuffer(16).writeLong(42);
    }
}
