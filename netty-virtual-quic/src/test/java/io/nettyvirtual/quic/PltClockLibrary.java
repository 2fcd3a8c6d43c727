package io.nettyvirtual.quic;

/** {@code libnvclocktest_plt.so}: calls {@code clock_gettime} through a lazily bound PLT slot. */
final class PltClockLibrary {

    static final String FILE = "libnvclocktest_plt.so";

    static {
        TestLibraries.load(FILE);
    }

    private PltClockLibrary() {}

    /** {@code clock_gettime(clockId)} as the library sees it, in nanoseconds. */
    static native long clockNanos(int clockId);
}
