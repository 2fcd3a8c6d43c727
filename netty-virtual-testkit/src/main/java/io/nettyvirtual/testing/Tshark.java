package io.nettyvirtual.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs {@code tshark} (Debian package {@code tshark}) on a capture, for tests that read captures back as Wireshark
 * would; a test that needs it is skipped, not failed, where it is not installed. Needs JUnit's API.
 */
public final class Tshark {
    private Tshark() {}

    /** Whether {@code tshark} is on the {@code PATH}. */
    public static boolean installed() {
        return find() != null;
    }

    /** Skips the calling test (a JUnit assumption) where {@code tshark} is not installed. */
    public static void assumeInstalled() {
        Assumptions.assumeTrue(installed(), "tshark is not installed (Debian: apt-get install tshark)");
    }

    private static String find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "tshark"))) {
                return Path.of(dir, "tshark").toString();
            }
        }
        return null;
    }

    /** The lines tshark prints to its standard output for {@code args}; fails on a non-zero exit. */
    public static List<String> run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(find());
        command.addAll(Arrays.asList(args));
        // Standard error to a file: read as a pipe after standard output, a long one could block tshark.
        Path err = Files.createTempFile("tshark", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("tshark did not finish: " + command);
            }
            if (p.exitValue() != 0) {
                throw new AssertionError(
                        "tshark exited " + p.exitValue() + ": " + command + "\n" + Files.readString(err));
            }
            return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
