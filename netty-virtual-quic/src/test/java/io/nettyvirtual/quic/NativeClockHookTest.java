package io.nettyvirtual.quic;

import static io.nettyvirtual.quic.TestLibraries.CLOCK_BOOTTIME;
import static io.nettyvirtual.quic.TestLibraries.CLOCK_MONOTONIC;
import static io.nettyvirtual.quic.TestLibraries.CLOCK_MONOTONIC_COARSE;
import static io.nettyvirtual.quic.TestLibraries.CLOCK_MONOTONIC_RAW;
import static io.nettyvirtual.quic.TestLibraries.CLOCK_REALTIME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The hook on two stand-ins for quiche that the test build compiles with gcc: one calling
 * {@code clock_gettime} through a lazy PLT slot, one through a RELRO {@code GLOB_DAT} slot like quiche.
 */
@EnabledOnOs(
        value = OS.LINUX,
        architectures = {"amd64", "x86_64"})
class NativeClockHookTest {

    /** About 90 days: far from any real monotonic reading on a test machine. */
    private static final long BASE = 7_777_000_000_000_000L;

    enum Library {
        PLT("libnvclocktest_plt", PltClockLibrary::clockNanos),
        GOT("libnvclocktest_got", GotClockLibrary::clockNanos);

        final String needle;
        final IntToLongFunction clock;

        Library(String needle, IntToLongFunction clock) {
            this.needle = needle;
            this.clock = clock;
        }

        long nanos(int clockId) {
            return clock.applyAsLong(clockId);
        }
    }

    @BeforeAll
    static void patchBothLibraries() {
        for (Library library : Library.values()) {
            // Load the library and call it once, so that a lazy PLT slot is already bound to libc.
            library.nanos(CLOCK_MONOTONIC);
            assertEquals(1, NativeClockHook.patch(library.needle), library.needle);
        }
    }

    @AfterEach
    void unbind() {
        QuicheClock.unbindCurrentThread();
    }

    @Test
    void patchingIsIdempotent() {
        for (Library library : Library.values()) {
            assertEquals(1, NativeClockHook.patch(library.needle), library.needle);
        }
        ByteBuffer cell = QuicheClock.newCell();
        QuicheClock.writeCell(cell, 42);
        QuicheClock.bindCurrentThread(cell, BASE);
        assertEquals(BASE + 42, Library.GOT.nanos(CLOCK_MONOTONIC));
        assertEquals(BASE + 42, Library.PLT.nanos(CLOCK_MONOTONIC));
    }

    @Test
    void anObjectThatIsNotLoadedIsReported() {
        assertEquals(-1, NativeClockHook.patch("no_such_library_is_loaded_here"));
        assertThrows(IllegalArgumentException.class, () -> NativeClockHook.patch(""));
    }

    @ParameterizedTest
    @EnumSource(Library.class)
    void anUnboundThreadSeesRealTime(Library library) {
        assertRealMonotonic(library);
    }

    @ParameterizedTest
    @EnumSource(Library.class)
    void aBoundThreadSeesBasePlusCell(Library library) {
        ByteBuffer cell = QuicheClock.newCell();
        QuicheClock.writeCell(cell, 5);
        QuicheClock.bindCurrentThread(cell, BASE);
        assertTrue(QuicheClock.isCurrentThreadBound());

        assertEquals(BASE + 5, library.nanos(CLOCK_MONOTONIC));
        assertEquals(BASE + 5, library.nanos(CLOCK_MONOTONIC_RAW));
        assertEquals(BASE + 5, library.nanos(CLOCK_MONOTONIC_COARSE));
        assertEquals(BASE + 5, library.nanos(CLOCK_BOOTTIME));
    }

    @ParameterizedTest
    @EnumSource(Library.class)
    void updatingTheCellMovesTheClock(Library library) {
        ByteBuffer cell = QuicheClock.newCell();
        QuicheClock.bindCurrentThread(cell, BASE);
        assertEquals(BASE, library.nanos(CLOCK_MONOTONIC));

        QuicheClock.writeCell(cell, 3_000_000_001L);
        assertEquals(BASE + 3_000_000_001L, library.nanos(CLOCK_MONOTONIC));

        // A plain ByteBuffer write in native order is what the native side reads, too.
        cell.putLong(0, 60_000_000_000L);
        assertEquals(BASE + 60_000_000_000L, library.nanos(CLOCK_MONOTONIC));
        assertEquals(60_000_000_000L, QuicheClock.readCell(cell));
    }

    @ParameterizedTest
    @EnumSource(Library.class)
    void theWallClockStaysReal(Library library) {
        QuicheClock.bindCurrentThread(QuicheClock.newCell(), BASE);
        long before = System.currentTimeMillis();
        long realtime = library.nanos(CLOCK_REALTIME);
        long after = System.currentTimeMillis();
        assertTrue(
                realtime >= TimeUnit.MILLISECONDS.toNanos(before - 1)
                        && realtime <= TimeUnit.MILLISECONDS.toNanos(after + 1),
                () -> before + " <= " + realtime + " <= " + after);
    }

    @ParameterizedTest
    @EnumSource(Library.class)
    void anotherThreadSeesRealTimeWhileThisOneIsBound(Library library) throws Exception {
        QuicheClock.bindCurrentThread(QuicheClock.newCell(), BASE);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            other.submit(() -> assertRealMonotonic(library)).get(10, TimeUnit.SECONDS);
        } finally {
            other.shutdownNow();
        }
        assertEquals(BASE, library.nanos(CLOCK_MONOTONIC));
    }

    @ParameterizedTest
    @EnumSource(Library.class)
    void unbindingRestoresRealTime(Library library) {
        QuicheClock.bindCurrentThread(QuicheClock.newCell(), BASE);
        assertEquals(BASE, library.nanos(CLOCK_MONOTONIC));
        QuicheClock.unbindCurrentThread();
        assertFalse(QuicheClock.isCurrentThreadBound());
        assertRealMonotonic(library);
        QuicheClock.unbindCurrentThread(); // a no-op when not bound
    }

    @ParameterizedTest
    @EnumSource(Library.class)
    void twoThreadsBoundToTwoCellsSeeTheirOwnClocks(Library library) throws Exception {
        ByteBuffer cellA = QuicheClock.newCell();
        ByteBuffer cellB = QuicheClock.newCell();
        QuicheClock.writeCell(cellA, 1_000);
        QuicheClock.writeCell(cellB, 2_000);
        ExecutorService a = Executors.newSingleThreadExecutor();
        ExecutorService b = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch bothBound = new CountDownLatch(2);
            Future<long[]> readsA = a.submit(() -> bindAndRead(library, cellA, BASE, bothBound));
            Future<long[]> readsB = b.submit(() -> bindAndRead(library, cellB, 2 * BASE, bothBound));
            long[] seenA = readsA.get(10, TimeUnit.SECONDS);
            long[] seenB = readsB.get(10, TimeUnit.SECONDS);
            assertEquals(BASE + 1_000, seenA[0]);
            assertEquals(2 * BASE + 2_000, seenB[0]);

            // Moving one cell moves only the threads bound to it; the bindings outlive the task.
            QuicheClock.writeCell(cellA, 5_000);
            assertEquals(
                    BASE + 5_000, a.submit(() -> library.nanos(CLOCK_MONOTONIC)).get());
            assertEquals(
                    2 * BASE + 2_000,
                    b.submit(() -> library.nanos(CLOCK_MONOTONIC)).get());
            // ... and never the thread that wrote it.
            assertRealMonotonic(library);

            a.submit(QuicheClock::unbindCurrentThread).get();
            b.submit(QuicheClock::unbindCurrentThread).get();
        } finally {
            a.shutdownNow();
            b.shutdownNow();
        }
    }

    private static long[] bindAndRead(Library library, ByteBuffer cell, long base, CountDownLatch bothBound)
            throws InterruptedException {
        QuicheClock.bindCurrentThread(cell, base);
        bothBound.countDown();
        // Read only once both threads hold a binding, so the two bindings are live at the same time.
        assertTrue(bothBound.await(10, TimeUnit.SECONDS));
        return new long[] {library.nanos(CLOCK_MONOTONIC)};
    }

    @Test
    void readingsBeforeTheMonotonicEpochAreFloored() {
        QuicheClock.bindCurrentThread(QuicheClock.newCell(), -1);
        assertEquals(-1, Library.GOT.nanos(CLOCK_MONOTONIC));
        assertEquals(-1, NativeClockHook.clockNanos(CLOCK_MONOTONIC));
    }

    @Test
    void theHookFunctionAnswersLikeThePatchedSlots() {
        AtomicLong real = new AtomicLong(NativeClockHook.clockNanos(CLOCK_MONOTONIC));
        assertTrue(real.get() > 0 && real.get() < BASE);
        ByteBuffer cell = QuicheClock.newCell();
        QuicheClock.writeCell(cell, 7);
        QuicheClock.bindCurrentThread(cell, BASE);
        assertEquals(BASE + 7, NativeClockHook.clockNanos(CLOCK_MONOTONIC));
    }

    @Test
    void onlyDirectAlignedCellsOfEightBytesAreAccepted() {
        assertThrows(IllegalArgumentException.class, () -> QuicheClock.bindCurrentThread(ByteBuffer.allocate(8), BASE));
        assertThrows(
                IllegalArgumentException.class,
                () -> QuicheClock.bindCurrentThread(ByteBuffer.allocateDirect(4), BASE));
        ByteBuffer misaligned =
                ByteBuffer.allocateDirect(16).position(1).slice().order(ByteOrder.nativeOrder());
        assertThrows(IllegalArgumentException.class, () -> QuicheClock.bindCurrentThread(misaligned, BASE));
        assertFalse(QuicheClock.isCurrentThreadBound());
    }

    private static void assertRealMonotonic(Library library) {
        long before = System.nanoTime();
        long seen = library.nanos(CLOCK_MONOTONIC);
        long after = System.nanoTime();
        assertTrue(before <= seen && seen <= after, () -> before + " <= " + seen + " <= " + after);
    }
}
