package io.nettyvirtual.quic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The redirection of {@code RAND_bytes}: on the stand-in library built for the tests (whose {@code RAND_bytes} is
 * laid out as BoringSSL's), and on the real QUIC codec library.
 */
@EnabledOnOs(
        value = OS.LINUX,
        architectures = {"amd64", "x86_64"})
class SeededRandomnessTest {
    private static final String NEEDLE = "libnvclocktest_got";

    @BeforeAll
    static void patchTheStandIn() throws Exception {
        GotClockLibrary.randomBytes(ByteBuffer.allocateDirect(1), 1); // loads it
        byte[] elf = Files.readAllBytes(
                Paths.get(System.getProperty("nettyvirtual.quic.testNativeDir"), GotClockLibrary.FILE));
        long symbol = ElfSymbols.function(elf, "RAND_bytes");
        assertTrue(symbol > 0, "RAND_bytes is in the stand-in's symbol table");
        int first = NativeClockHook.patchRandom(NEEDLE, symbol);
        assertTrue(first == NativeClockHook.RANDOM_PATCHED || first == NativeClockHook.RANDOM_ALREADY_PATCHED);
        assertEquals(NativeClockHook.RANDOM_ALREADY_PATCHED, NativeClockHook.patchRandom(NEEDLE, symbol));
        assertEquals(NativeClockHook.RANDOM_UNEXPECTED_CODE, NativeClockHook.patchRandom(NEEDLE, symbol + 1));
    }

    @AfterEach
    void unbind() {
        QuicheClock.unbindCurrentThread();
    }

    private static byte[] draw(int n) {
        ByteBuffer out = ByteBuffer.allocateDirect(n);
        GotClockLibrary.randomBytes(out, n);
        byte[] bytes = new byte[n];
        out.get(0, bytes);
        return bytes;
    }

    @Test
    void anUnboundThreadGetsTheLibrarysOwnGenerator() {
        byte[] expected = new byte[37];
        Arrays.fill(expected, (byte) 0xAB);
        assertArrayEquals(expected, draw(37));

        QuicheClock.bindCurrentThread(QuicheClock.newCell(), 0); // bound to a clock, but without a random state
        assertArrayEquals(expected, draw(37));
    }

    @Test
    void threadsBoundToStatesWithOneSeedDrawTheSameNumbers() throws Exception {
        QuicheClock.bindCurrentThread(QuicheClock.newCell(), 0, QuicheClock.newRandomState(42));
        byte[] first = draw(100);
        byte[] second = draw(100);
        assertFalse(Arrays.equals(first, second), "the state moves on");

        Thread other = new Thread(() -> {
            QuicheClock.bindCurrentThread(QuicheClock.newCell(), 0, QuicheClock.newRandomState(42));
            assertArrayEquals(first, draw(100), "same seed, same numbers");
            QuicheClock.bindCurrentThread(QuicheClock.newCell(), 0, QuicheClock.newRandomState(43));
            assertFalse(Arrays.equals(first, draw(100)), "another seed, other numbers");
        });
        Throwable[] failure = new Throwable[1];
        other.setUncaughtExceptionHandler((t, e) -> failure[0] = e);
        other.start();
        other.join();
        assertNull(failure[0]);
    }

    @Test
    void aBoundThreadsWallClockIsAFixedDatePlusVirtualTime() {
        // What the patched gettimeofday answers (no install(): it would repoint this stand-in's RAND_bytes patch).
        long before = System.currentTimeMillis();
        long unbound = NativeClockHook.wallNanos();
        long after = System.currentTimeMillis();
        assertTrue(
                unbound >= (before - 1) * 1_000_000L && unbound <= (after + 1) * 1_000_000L,
                "an unbound thread reads the real wall clock: " + unbound);
        ByteBuffer cell = QuicheClock.newCell();
        QuicheClock.writeCell(cell, 2_500_123_456L);
        QuicheClock.bindCurrentThread(cell, 0);
        try {
            long y2025 = java.time.Instant.parse("2025-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L;
            assertEquals(y2025 + 2_500_123_000L, NativeClockHook.wallNanos(), "to the microsecond gettimeofday has");
        } finally {
            QuicheClock.unbindCurrentThread();
        }
    }

    @Test
    void installRedirectsTheQuicCodecsRandomNumbers() {
        QuicheClock.install();
        assertNull(QuicheClock.randomnessUnseededReason());
        assertTrue(QuicheClock.isRandomnessSeeded());
    }
}
