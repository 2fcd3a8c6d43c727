package io.nettyvirtual.quic;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Loads the stand-in libraries that the test build compiles into {@code target/test-native}. */
final class TestLibraries {

    static final int CLOCK_REALTIME = 0;
    static final int CLOCK_MONOTONIC = 1;
    static final int CLOCK_MONOTONIC_RAW = 4;
    static final int CLOCK_MONOTONIC_COARSE = 6;
    static final int CLOCK_BOOTTIME = 7;

    private TestLibraries() {}

    static void load(String fileName) {
        String dir = System.getProperty("nettyvirtual.quic.testNativeDir");
        if (dir == null) {
            throw new IllegalStateException("nettyvirtual.quic.testNativeDir is not set: run the tests with Maven");
        }
        Path path = Paths.get(dir, fileName).toAbsolutePath();
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(path + " was not built (the linux-x86_64 profile compiles it)");
        }
        System.load(path.toString());
    }
}
