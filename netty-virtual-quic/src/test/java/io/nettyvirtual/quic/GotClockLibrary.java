package io.nettyvirtual.quic;

/**
 * {@code libnvclocktest_got.so}: calls {@code clock_gettime} through a {@code GLOB_DAT} slot in RELRO
 * memory, bound at load time, the way the quiche library does.
 */
final class GotClockLibrary {

    static final String FILE = "libnvclocktest_got.so";

    static {
        TestLibraries.load(FILE);
    }

    private GotClockLibrary() {
    }

    /** {@code clock_gettime(clockId)} as the library sees it, in nanoseconds. */
    static native long clockNanos(int clockId);
}
