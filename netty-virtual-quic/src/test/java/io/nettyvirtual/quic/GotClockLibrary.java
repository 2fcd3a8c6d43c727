package io.nettyvirtual.quic;

/**
 * {@code libnvclocktest_got.so}: calls {@code clock_gettime} through a {@code GLOB_DAT} slot in RELRO
 * memory, bound at load time, the way the quiche library does, and has a local {@code RAND_bytes} laid out as
 * BoringSSL's.
 */
final class GotClockLibrary {

    static final String FILE = "libnvclocktest_got.so";

    static {
        TestLibraries.load(FILE);
    }

    private GotClockLibrary() {}

    /** {@code clock_gettime(clockId)} as the library sees it, in nanoseconds. */
    static native long clockNanos(int clockId);

    /** Calls the library's own {@code RAND_bytes(out, length)} (a stand-in for BoringSSL's). */
    static native void randomBytes(java.nio.ByteBuffer out, int length);
}
