package io.nettyvirtual.network;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layers import downwards only: the network model and the engine know no channel, neither this transport's
 * nor Netty's, so that the channel package depends on them and never the other way round. (Read from the sources;
 * the build's architecture rules may replace it.)
 */
class LayeringTest {
    private static final Path SOURCES = Paths.get("src/main/java/io/nettyvirtual");

    private static List<String> importsIn(String pkg, String... forbidden) throws IOException {
        Path dir = SOURCES.resolve(pkg);
        assertTrue(Files.isDirectory(dir), "sources not found at " + dir.toAbsolutePath());
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java")).sorted()::iterator) {
                for (String line : Files.readAllLines(f)) {
                    for (String prefix : forbidden) {
                        if (line.startsWith("import " + prefix)) {
                            found.add(f.getFileName() + ": " + line);
                        }
                    }
                }
            }
        }
        return found;
    }

    @Test
    void theEngineKnowsNoNetworkAndNoChannel() throws IOException {
        assertEquals(List.of(), importsIn("time", "io.nettyvirtual.network", "io.nettyvirtual.channel",
                "io.netty.channel", "io.netty.bootstrap"));
    }

    @Test
    void theNetworkModelKnowsNoChannel() throws IOException {
        assertEquals(List.of(), importsIn("network", "io.nettyvirtual.channel", "io.netty.bootstrap"));
        // One Netty channel type, in the facade that is to leave this package: runUntil(ChannelFuture).
        assertEquals(List.of("VirtualNetwork.java: import io.netty.channel.ChannelFuture;"),
                importsIn("network", "io.netty.channel"));
    }

    @Test
    void statsKnowsOnlyItself() throws IOException {
        assertEquals(List.of(), importsIn("stats", "io.nettyvirtual.network", "io.nettyvirtual.channel",
                "io.nettyvirtual.time", "io.netty.channel"));
    }
}
