package io.nettyvirtual.quic;

import io.netty.handler.codec.quic.Quic;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Makes the QUIC codec's native library (quiche, inside {@code netty-codec-native-quic}) read time from a
 * simulation's virtual clock on the threads that the simulation binds, and from the real clock everywhere
 * else.
 *
 * <h2>Why this is needed</h2>
 * quiche reads the operating system's monotonic clock ({@code Instant::now()}, i.e. {@code clock_gettime})
 * for its RTT estimate, loss detection, PTO and idle timers, and offers no way to pass a time in. On a
 * simulated network whose event loops run on a virtual clock, that makes quiche measure wall-clock RTTs
 * and fire its timers in wall-clock time, while Netty's own timers fire in virtual time.
 *
 * <h2>How</h2>
 * {@code libnetty_quiche42_linux_x86_64.so} imports {@code clock_gettime} dynamically: every call goes
 * through a slot of its global offset table (a {@code GLOB_DAT} entry; {@code JUMP_SLOT} entries are
 * handled too). {@link #install()} loads a small JNI library of this module, finds the quiche library
 * among the loaded shared objects ({@code dl_iterate_phdr}), walks its dynamic relocations and points
 * those slots, and only those, at a replacement. The replacement answers {@code CLOCK_MONOTONIC},
 * {@code CLOCK_MONOTONIC_RAW}, {@code CLOCK_MONOTONIC_COARSE} and {@code CLOCK_BOOTTIME} on a bound
 * thread with {@code baseNanos + cell}, where {@code cell} is an 8-byte direct {@link ByteBuffer} the
 * simulation's clock keeps up to date; any other clock, and any thread that is not bound, gets the real
 * {@code clock_gettime}. The JVM, libc and every other library are untouched, so are threads that never
 * call {@link #bindCurrentThread(ByteBuffer, long)}. Several simulations in one JVM each bind their own
 * threads to their own cell.
 *
 * <h2>Why GOT patching from a gcc-built JNI library</h2>
 * <ul>
 *   <li>{@code LD_PRELOAD} of a library defining {@code clock_gettime} would work without patching, but
 *       must be set before the JVM starts: it needs a launcher or a surefire {@code argLine}/environment
 *       for every test run and IDE run configuration, and it interposes on every library of the process
 *       (the JVM included), not just quiche. A library is expected to switch on with a method call.</li>
 *   <li>The Java FFM API could find and rewrite the slots without any C, but it is final only from
 *       JDK 22; this project targets Java 17. It would also still need a native function to install,
 *       and an FFM upcall stub is far slower than a C function on a path quiche takes several times per
 *       packet.</li>
 *   <li>A JNI library of a few hundred lines of C, built by this module's Maven build with the gcc that is
 *       on every build machine and loaded from the jar, works on Java 17, needs no launcher and touches
 *       only the quiche library.</li>
 * </ul>
 *
 * <h2>Random numbers</h2>
 * quiche also makes random choices: after the handshake it skips a randomly chosen packet number every so often
 * (RFC 9000, section 21.4), which changes the size of the peer's ACK frames and so, on a rate-limited path, the
 * timing of everything after. Its random numbers come from BoringSSL's {@code RAND_bytes}, linked into the same
 * library and called directly (no GOT slot), whose generator mixes in the CPU's {@code RDRAND}: nothing a
 * simulation can seed. {@link #install()} therefore also redirects the one call inside {@code RAND_bytes} (to
 * BoringSSL's internal generator) through a small stub: a thread bound with a random state
 * ({@link #bindCurrentThread(ByteBuffer, long, ByteBuffer)}) draws SplitMix64 numbers from that state, every other
 * thread draws from BoringSSL exactly as before. The function is located through the library's symbol table (read
 * from the jar, since Netty deletes the extracted copy) and its code is checked byte for byte before the call's
 * 4-byte displacement is rewritten with one atomic store; if anything does not match, the numbers simply stay
 * unseeded ({@link #isRandomnessSeeded()}, {@link #randomnessUnseededReason()}). BoringSSL's own code (the salt of
 * a TLS 1.3 RSA-PSS signature, ECDSA nonces, session ticket keys and IVs) calls the generator's core,
 * {@code BCM_rand_bytes_with_additional_data}, without going through {@code RAND_bytes}: every direct call to it in
 * the library is redirected the same way, one displacement at a time, so that a bound thread draws every random
 * byte of the library from its state, and the server's handshake flight replays too. BoringSSL also stamps each TLS
 * session with the wall clock ({@code gettimeofday}, {@code time}) and encrypts the stamp into the session tickets
 * a server sends: those GOT slots are patched too, so that a bound thread's wall clock reads a fixed date,
 * 2025-01-01T00:00:00Z, plus virtual time (the library only; the JVM's clock is untouched). Seeded numbers are
 * predictable:
 * the TLS randoms of a simulation's connections are not secret, which is what a replayable test wants.
 *
 * <h2>Limits</h2>
 * Only Linux x86_64 is supported (like the {@code linux-x86_64} classifier of the native QUIC codec
 * itself). Where it cannot work, {@link #install()} and {@link #bindCurrentThread(ByteBuffer, long)}
 * throw {@link UnsupportedOperationException} naming the reason; QUIC then has to run in real-time mode.
 * A bound thread's cell should only move forward: quiche assumes a monotonic clock.
 *
 * <h2>Use</h2>
 * <pre>{@code
 * QuicheClock.install();                                 // once per JVM; idempotent
 * ByteBuffer cell = QuicheClock.newCell();               // owned by the simulation's clock
 * loop.execute(() -> QuicheClock.bindCurrentThread(cell, base));
 * QuicheClock.writeCell(cell, virtualNanos);             // whenever virtual time moves
 * }</pre>
 */
public final class QuicheClock {

    /** Appended to every "cannot work" message. */
    static final String REAL_TIME_HINT =
            "Run QUIC in real-time mode instead (the QUIC codec then reads the real monotonic clock).";

    /**
     * Part of the quiche library's file name and soname ({@code netty_quiche42_<os>_<arch>}, possibly with
     * a shading prefix), as loaded by {@code io.netty.handler.codec.quic.Quiche}.
     */
    static final String QUICHE_LIBRARY = "netty_quiche42_linux_x86_64";

    private static final VarHandle CELL = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    /** Keeps each bound thread's cell reachable while native code holds its address. */
    private static final ThreadLocal<ByteBuffer> BOUND_CELL = new ThreadLocal<>();
    /** Keeps each bound thread's random state reachable likewise. */
    private static final ThreadLocal<ByteBuffer> BOUND_RANDOM = new ThreadLocal<>();

    /** Where Netty's loader finds the QUIC codec's native library. */
    /** BoringSSL's generator core, as the compiler split it (the name in this build) and by its own name. */
    static final String RANDOM_CORE_SPLIT = "_ZN4bssl35BCM_rand_bytes_with_additional_dataEPhmPKh.part.0";

    static final String RANDOM_CORE = "_ZN4bssl35BCM_rand_bytes_with_additional_dataEPhmPKh";
    static final String QUICHE_RESOURCE = "META-INF/native/lib" + "netty_quiche42_linux_x86_64" + ".so";

    /** {@code null}: install() has not tried; {@code ""}: seeded; otherwise why not. */
    private static volatile String randomUnseededReason;

    private static volatile int patchedSlots;

    private QuicheClock() {}

    /**
     * Loads the QUIC codec's native library if needed and redirects its monotonic-clock calls through the
     * per-thread hook. Idempotent: calling it again re-checks the library and patches nothing twice.
     * Threads that are not bound keep seeing the real clock, so installing changes nothing until a thread
     * is bound. The first successful call also tries, once, to redirect quiche's random numbers (see "Random
     * numbers" above); that failing does not fail the call ({@link #randomnessUnseededReason()} says why).
     *
     * @throws UnsupportedOperationException if this is not Linux x86_64, the QUIC codec's native library
     *         cannot be loaded or is not found among the loaded shared objects, or it has no
     *         {@code clock_gettime} import to patch; the message names the reason
     */
    public static synchronized void install() {
        String platform = NativeClockHook.unsupportedPlatformReason();
        if (platform != null) {
            throw unsupported(platform);
        }
        try {
            Quic.ensureAvailability();
        } catch (Throwable t) {
            throw unsupported(
                    "the QUIC codec's native library could not be loaded ("
                            + "io.netty:netty-codec-native-quic:linux-x86_64 must be on the class path): " + t,
                    t);
        }
        patchedSlots = patchOrThrow(QUICHE_LIBRARY);
        if (randomUnseededReason == null) {
            randomUnseededReason = seedRandomness();
        }
    }

    /**
     * Redirects quiche's {@code RAND_bytes}, so threads bound with a random state replay their random choices.
     * Not being able to is no reason to refuse virtual time: the clock is what virtual time needs.
     *
     * @return {@code ""} on success, otherwise why not
     */
    private static String seedRandomness() {
        ClassLoader loader = Quic.class.getClassLoader();
        byte[] library;
        try (InputStream in = loader == null
                ? ClassLoader.getSystemResourceAsStream(QUICHE_RESOURCE)
                : loader.getResourceAsStream(QUICHE_RESOURCE)) {
            if (in == null) {
                return QUICHE_RESOURCE + " is not on the class path";
            }
            library = in.readAllBytes();
        } catch (IOException e) {
            return "reading " + QUICHE_RESOURCE + ": " + e;
        }
        long symbol;
        try {
            symbol = ElfSymbols.function(library, "RAND_bytes");
        } catch (RuntimeException e) {
            return "reading " + QUICHE_RESOURCE + ": " + e;
        }
        if (symbol < 0) {
            return QUICHE_RESOURCE + " has no RAND_bytes in its symbol table";
        }
        // BoringSSL's own code (a signature's salt or nonce, ticket keys) calls the generator's core directly.
        long core;
        try {
            core = ElfSymbols.function(library, RANDOM_CORE_SPLIT);
            if (core < 0) {
                core = ElfSymbols.function(library, RANDOM_CORE);
            }
        } catch (RuntimeException e) {
            return "reading " + QUICHE_RESOURCE + ": " + e;
        }
        if (core < 0) {
            return QUICHE_RESOURCE + " has no BCM_rand_bytes_with_additional_data in its symbol table";
        }
        int result = NativeClockHook.patchRandom(QUICHE_LIBRARY, symbol);
        if (result == NativeClockHook.RANDOM_PATCHED || result == NativeClockHook.RANDOM_ALREADY_PATCHED) {
            int coreResult = NativeClockHook.patchRandomCore(QUICHE_LIBRARY, core);
            if (coreResult >= 0) {
                // BoringSSL stamps sessions (and the tickets that carry them) with the wall clock: make it virtual.
                return NativeClockHook.patchWallClock(QUICHE_LIBRARY) > 0
                        ? ""
                        : "the loaded library has no gettimeofday or time import to patch";
            }
            return randomFailure(coreResult, "BCM_rand_bytes_with_additional_data");
        }
        return randomFailure(result, "RAND_bytes");
    }

    private static String randomFailure(int result, String function) {
        switch (result) {
            case NativeClockHook.RANDOM_UNEXPECTED_CODE:
                return function + " in the loaded library is not the code expected (another build?)";
            case NativeClockHook.RANDOM_NO_STUB:
                return "no memory within reach of " + function + " for a stub";
            case NativeClockHook.RANDOM_MPROTECT:
                return "the code page of " + function + " cannot be made writable";
            case NativeClockHook.RANDOM_AMBIGUOUS:
                return "more than one copy of the library is loaded";
            case NativeClockHook.RANDOM_NOT_LOADED:
                return "the loaded library was not found";
            default:
                return "unknown result " + result + " from the native hook";
        }
    }

    /**
     * Returns whether {@link #install()} also redirected quiche's random numbers, so that threads bound with a
     * random state ({@link #bindCurrentThread(ByteBuffer, long, ByteBuffer)}) replay quiche's random choices.
     *
     * @return {@code true} once redirected
     */
    public static boolean isRandomnessSeeded() {
        return "".equals(randomUnseededReason);
    }

    /**
     * Why quiche's random numbers are not seeded, or {@code null} if they are.
     *
     * @return the reason, or {@code null}
     */
    public static String randomnessUnseededReason() {
        String reason = randomUnseededReason;
        return reason == null ? "install() has not run" : reason.isEmpty() ? null : reason;
    }

    /**
     * Patches the loaded shared objects whose path or soname contains {@code library}.
     *
     * @return the number of slots pointing at the hook, at least one
     * @throws UnsupportedOperationException if the hook cannot load, no such object is loaded, or it has
     *         no {@code clock_gettime} import
     */
    static int patchOrThrow(String library) {
        NativeClockHook.ensureLoaded("Running the QUIC codec on a virtual clock");
        int slots = NativeClockHook.patch(library);
        if (slots < 0) {
            throw unsupported("no loaded shared object has '" + library + "' in its path or soname");
        }
        if (slots == 0) {
            throw unsupported("the library '" + library + "' has no clock_gettime import to patch (was it"
                    + " built differently from netty-codec-native-quic 4.2.x?)");
        }
        return slots;
    }

    /**
     * Returns {@code true} once {@link #install()} has succeeded in this JVM.
     *
     * @return whether the quiche library's clock is hooked
     */
    public static boolean isInstalled() {
        return patchedSlots > 0;
    }

    /** How many GOT slots the last successful {@link #install()} left pointing at the hook. */
    static int patchedSlots() {
        return patchedSlots;
    }

    /**
     * From now on, quiche calls made on the current thread read their monotonic clock as
     * {@code baseNanos + cell}, where {@code cell} is the 64-bit native-order value in the first 8 bytes of
     * {@code nanosCell}, read atomically on every call. Replaces any earlier binding of this thread.
     *
     * <p>Binding does not require {@link #install()}: without it, quiche simply never asks the hook.
     * The cell stays referenced until {@link #unbindCurrentThread()}; binding many threads to one cell
     * is fine.
     *
     * @param nanosCell a direct buffer of at least 8 bytes at an 8-byte aligned address (for example one
     *                  from {@link #newCell()} or {@link ByteBuffer#allocateDirect(int)})
     * @param baseNanos added to the cell's value; lets a virtual clock that starts at zero look like a
     *                  plausible monotonic clock reading
     * @throws IllegalArgumentException if the buffer is not direct, too small or misaligned
     * @throws UnsupportedOperationException if the hook library cannot be loaded on this platform
     */
    public static void bindCurrentThread(ByteBuffer nanosCell, long baseNanos) {
        bindCurrentThread(nanosCell, baseNanos, null);
    }

    /**
     * As {@link #bindCurrentThread(ByteBuffer, long)}, and once {@link #isRandomnessSeeded()}, quiche's random
     * numbers on the current thread (its randomly skipped packet numbers, the TLS randoms) come from
     * {@code randomState} instead of BoringSSL's generator: a simulation that binds its threads to one state seeded
     * from its seed replays them. They are then predictable, so only for simulations; other threads keep
     * BoringSSL's generator.
     *
     * @param nanosCell   as for {@link #bindCurrentThread(ByteBuffer, long)}
     * @param baseNanos   as for {@link #bindCurrentThread(ByteBuffer, long)}
     * @param randomState a state from {@link #newRandomState(long)}, shared by the threads of one simulation, or
     *                    {@code null} for real random numbers
     */
    public static void bindCurrentThread(ByteBuffer nanosCell, long baseNanos, ByteBuffer randomState) {
        Objects.requireNonNull(nanosCell, "nanosCell");
        checkCell(nanosCell, "nanosCell");
        if (randomState != null) {
            checkCell(randomState, "randomState");
        }
        NativeClockHook.ensureLoaded("Binding a thread to a virtual clock");
        NativeClockHook.bind(nanosCell, baseNanos, randomState);
        BOUND_CELL.set(nanosCell);
        BOUND_RANDOM.set(randomState);
    }

    private static void checkCell(ByteBuffer b, String name) {
        if (!b.isDirect() || b.capacity() < Long.BYTES) {
            throw new IllegalArgumentException(name + " must be a direct ByteBuffer of at least 8 bytes");
        }
    }

    /**
     * Allocates a random state for {@link #bindCurrentThread(ByteBuffer, long, ByteBuffer)}: the same seed gives
     * the same sequence.
     *
     * @param seed the seed, for example a simulation's
     * @return a new state
     */
    public static ByteBuffer newRandomState(long seed) {
        ByteBuffer state = newCell();
        writeCell(state, seed ^ 0x5DEECE66DL);
        return state;
    }

    /**
     * Makes quiche calls on the current thread read the real clock again. Does nothing if the thread is
     * not bound.
     */
    public static void unbindCurrentThread() {
        if (BOUND_CELL.get() == null) {
            return;
        }
        NativeClockHook.unbind();
        BOUND_CELL.remove();
        BOUND_RANDOM.remove();
    }

    /**
     * Returns whether the current thread is bound to a cell.
     *
     * @return {@code true} between {@link #bindCurrentThread(ByteBuffer, long)} and
     *         {@link #unbindCurrentThread()} on this thread
     */
    public static boolean isCurrentThreadBound() {
        return BOUND_CELL.get() != null;
    }

    /** The cell the current thread is bound to, or {@code null}. */
    static ByteBuffer boundCell() {
        return BOUND_CELL.get();
    }

    /**
     * Allocates a cell suitable for {@link #bindCurrentThread(ByteBuffer, long)}: 8 direct bytes in native
     * byte order, holding zero.
     *
     * @return a new cell
     */
    public static ByteBuffer newCell() {
        return ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.nativeOrder());
    }

    /**
     * Stores {@code nanos} into a cell with volatile semantics, so that bound threads other than the
     * writer see it on their next clock read.
     *
     * @param cell  the cell
     * @param nanos the virtual time in nanoseconds, without the base
     */
    public static void writeCell(ByteBuffer cell, long nanos) {
        CELL.setVolatile(cell, 0, nanos);
    }

    /**
     * Reads a cell with volatile semantics.
     *
     * @param cell the cell
     * @return the value last written into it
     */
    public static long readCell(ByteBuffer cell) {
        return (long) CELL.getVolatile(cell, 0);
    }

    private static UnsupportedOperationException unsupported(String reason) {
        return unsupported(reason, null);
    }

    private static UnsupportedOperationException unsupported(String reason, Throwable cause) {
        return new UnsupportedOperationException(
                "The QUIC codec cannot run on a virtual clock: " + reason + ". " + REAL_TIME_HINT, cause);
    }
}
