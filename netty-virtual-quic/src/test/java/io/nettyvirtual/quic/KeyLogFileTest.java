package io.nettyvirtual.quic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key log file on its own: one line per secret, flushed as it comes, nothing after closing. */
class KeyLogFileTest {
    private static final String LINE = "CLIENT_TRAFFIC_SECRET_0 " + "ab".repeat(32) + " " + "cd".repeat(32);

    @TempDir
    Path dir;

    @Test
    void writesEachLineAsItComes() throws Exception {
        Path file = Files.writeString(dir.resolve("keys"), "stale line from an earlier run\n");
        try (KeyLogFile keys = KeyLogFile.open(file)) {
            assertEquals(file, keys.path());
            keys.logKey(null, LINE);
            // Flushed at once: a test that dies here still leaves its keys.
            assertEquals(List.of(LINE), Files.readAllLines(file));
            keys.logKey(null, "");
            keys.logKey(null, null);
            keys.logKey(null, LINE.replace("CLIENT", "SERVER"));
            assertEquals(2, keys.lines());
        }
        assertEquals(List.of(LINE, LINE.replace("CLIENT", "SERVER")), Files.readAllLines(file));
    }

    @Test
    void linesAfterCloseAreCountedNotWritten() throws Exception {
        Path file = dir.resolve("keys");
        KeyLogFile keys = KeyLogFile.open(file);
        keys.close();
        keys.close();
        keys.logKey(null, LINE);
        assertEquals(0, keys.lines());
        assertEquals(1, keys.linesAfterClose());
        assertEquals(List.of(), Files.readAllLines(file));
    }
}
