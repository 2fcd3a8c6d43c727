package io.nettyvirtual.quic;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * The JNI side of {@link QuicheClock}: loads {@code libnettyvirtual_quicclock} (built by this module's
 * Maven build with gcc from {@code src/main/c}) from the class path and exposes its functions.
 *
 * <p>Loading happens once, on first use. If it fails, the reason is kept and every later call throws an
 * {@link UnsupportedOperationException} carrying it.
 */
final class NativeClockHook {

    /** Where the build puts the library inside the jar. */
    static final String LIBRARY_RESOURCE = "META-INF/native/libnettyvirtual_quicclock_linux_x86_64.so";

    /** Overrides the directory the library is extracted to (the default is {@code java.io.tmpdir}). */
    static final String WORKDIR_PROPERTY = "io.nettyvirtual.quic.workdir";

    private static final String UNAVAILABLE_REASON;

    static {
        String reason;
        try {
            reason = load();
        } catch (Throwable t) {
            reason = "the clock hook library could not be loaded: " + t;
        }
        UNAVAILABLE_REASON = reason;
    }

    private NativeClockHook() {}

    /** Returns {@code null} when this JVM runs on Linux x86_64, otherwise why it is not supported. */
    static String unsupportedPlatformReason() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return "it needs Linux x86_64, and this JVM runs on " + System.getProperty("os.name") + '/'
                    + System.getProperty("os.arch");
        }
        return null;
    }

    private static String load() throws IOException {
        String platform = unsupportedPlatformReason();
        if (platform != null) {
            return platform;
        }
        ClassLoader loader = NativeClockHook.class.getClassLoader();
        InputStream in = loader == null
                ? ClassLoader.getSystemResourceAsStream(LIBRARY_RESOURCE)
                : loader.getResourceAsStream(LIBRARY_RESOURCE);
        if (in == null) {
            return "the clock hook library " + LIBRARY_RESOURCE + " is not on the class path"
                    + " (this jar was built without gcc or not on Linux x86_64)";
        }
        String workdir = System.getProperty(WORKDIR_PROPERTY, System.getProperty("java.io.tmpdir"));
        Path file = Files.createTempFile(Paths.get(workdir), "libnettyvirtual_quicclock", ".so");
        try (in) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            System.load(file.toAbsolutePath().toString());
        } finally {
            // Once mapped, the file is no longer needed.
            Files.deleteIfExists(file);
        }
        return null;
    }

    /**
     * Throws {@link UnsupportedOperationException} if the library is not loaded.
     *
     * @param what what the caller tried to do, for the message
     */
    static void ensureLoaded(String what) {
        if (UNAVAILABLE_REASON != null) {
            throw new UnsupportedOperationException(
                    what + " is not possible: " + UNAVAILABLE_REASON + ". " + QuicheClock.REAL_TIME_HINT);
        }
    }

    static boolean isLoaded() {
        return UNAVAILABLE_REASON == null;
    }

    /**
     * Points every {@code clock_gettime} GOT slot of the loaded shared objects whose path or soname
     * contains {@code needle} at the hook.
     *
     * @return how many slots now point at the hook (including slots patched by an earlier call), or
     *         {@code -1} if no loaded object matched
     */
    static int patch(String needle) {
        ensureLoaded("Patching " + needle);
        if (needle.isEmpty()) {
            throw new IllegalArgumentException("needle must not be empty");
        }
        return patch0(needle);
    }

    static void bind(ByteBuffer cell, long baseNanos, ByteBuffer randomState) {
        bind0(cell, baseNanos, randomState);
    }

    /** {@link #patchRandom} redirected {@code RAND_bytes} (now or before). */
    static final int RANDOM_PATCHED = 1;

    static final int RANDOM_ALREADY_PATCHED = 0;
    static final int RANDOM_NOT_LOADED = -1;
    static final int RANDOM_UNEXPECTED_CODE = -2;
    static final int RANDOM_NO_STUB = -3;
    static final int RANDOM_MPROTECT = -4;
    static final int RANDOM_AMBIGUOUS = -5;

    /**
     * Redirects the call inside {@code RAND_bytes} (at {@code symbol}, relative to the load base of the one loaded
     * object whose path contains {@code needle}) so that bound threads with a random state draw from it.
     *
     * @return {@link #RANDOM_PATCHED}, {@link #RANDOM_ALREADY_PATCHED}, or a negative reason
     */
    static int patchRandom(String needle, long symbol) {
        ensureLoaded("Patching " + needle);
        return patchRandom0(needle, symbol);
    }

    /**
     * Redirects every direct call to BoringSSL's generator core (the function at {@code symbol} of the one loaded
     * object whose path contains {@code needle}: {@code BCM_rand_bytes_with_additional_data}, which the library's
     * own signatures, nonces and ticket keys call without going through {@code RAND_bytes}) so that bound threads
     * with a random state draw from it too.
     *
     * @return the number of calls redirected (positive), {@link #RANDOM_ALREADY_PATCHED}, or a negative reason
     */
    static int patchRandomCore(String needle, long symbol) {
        ensureLoaded("Patching " + needle);
        return patchRandomCore0(needle, symbol);
    }

    /**
     * Points every {@code gettimeofday} and {@code time} GOT slot of the loaded objects whose path or soname contains
     * {@code needle} at the hook, whose wall clock on a bound thread is a fixed date plus virtual time.
     *
     * @return the number of slots that now point at the hook, or {@code -1} if no loaded object matched
     */
    static int patchWallClock(String needle) {
        ensureLoaded("Patching " + needle);
        return patchWallClock0(needle);
    }

    /** The wall clock a patched library reads on the calling thread, in nanoseconds since the Unix epoch. */
    static long wallNanos() {
        ensureLoaded("Reading the hooked wall clock");
        return wallNanos0();
    }

    /** What the patched {@code RAND_bytes} would return on the calling thread. */
    static void randomBytes(ByteBuffer out, int length) {
        ensureLoaded("Drawing random bytes");
        randomBytes0(out, length);
    }

    static void unbind() {
        unbind0();
    }

    /** What a patched library would read for {@code clockId} on the calling thread. */
    static long clockNanos(int clockId) {
        ensureLoaded("Reading the hooked clock");
        return clockNanos0(clockId);
    }

    private static native int patch0(String needle);

    private static native void bind0(ByteBuffer cell, long baseNanos, ByteBuffer randomState);

    private static native int patchRandom0(String needle, long symbol);

    private static native int patchRandomCore0(String needle, long symbol);

    private static native int patchWallClock0(String needle);

    private static native long wallNanos0();

    private static native void randomBytes0(ByteBuffer out, int length);

    private static native void unbind0();

    private static native long clockNanos0(int clockId);
}
