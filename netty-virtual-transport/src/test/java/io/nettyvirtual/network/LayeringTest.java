package io.nettyvirtual.network;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layers import downwards only: the façade ({@code io.nettyvirtual}) on top, then the channel, then the network
 * model and its elements, then the engine, the packet and the stats. The network model and the engine know neither
 * the façade nor a channel (this transport's or Netty's), so that the channel package depends on them and never the
 * other way round. (Read from the sources; the build's architecture rules may replace it.)
 */
class LayeringTest {
    private static final Path SOURCES = Paths.get("src/main/java/io/nettyvirtual");
    /** An import of a type of the façade package itself (not of a package below it). */
    private static final String FACADE = "io\\.nettyvirtual\\.[A-Z]";

    /**
     * Import lines in {@code pkg} and its subpackages (only the package itself for the façade, {@code ""}) whose
     * imported name starts with one of {@code forbidden}.
     */
    private static List<String> importsIn(String pkg, String... forbidden) throws IOException {
        Path dir = pkg.isEmpty() ? SOURCES : SOURCES.resolve(pkg);
        assertTrue(Files.isDirectory(dir), "sources not found at " + dir.toAbsolutePath());
        List<Pattern> patterns = new ArrayList<>();
        for (String f : forbidden) {
            // A regular expression when it has one (FACADE), else a package prefix.
            patterns.add(Pattern.compile("import " + (f.contains("\\") ? f : Pattern.quote(f)) + ".*"));
        }
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = pkg.isEmpty() ? Files.list(dir) : Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java")).sorted()::iterator) {
                for (String line : Files.readAllLines(f)) {
                    for (Pattern p : patterns) {
                        if (p.matcher(line).matches()) {
                            found.add(dir.relativize(f) + ": " + line);
                        }
                    }
                }
            }
        }
        return found;
    }

    @Test
    void theEngineKnowsNoNetworkAndNoChannel() throws IOException {
        assertEquals(List.of(), importsIn("time", FACADE, "io.nettyvirtual.network", "io.nettyvirtual.channel",
                "io.netty.channel", "io.netty.bootstrap"));
    }

    @Test
    void theNetworkModelKnowsNeitherTheFacadeNorAChannel() throws IOException {
        assertEquals(List.of(), importsIn("network", FACADE, "io.nettyvirtual.channel", "io.netty.channel",
                "io.netty.bootstrap"));
    }

    @Test
    void theFacadeNamesOneNettyChannelType() throws IOException {
        // runUntil(ChannelFuture): the overload that keeps runUntil(() -> cond) unambiguous for bind and connect.
        assertEquals(List.of("VirtualNetwork.java: import io.netty.channel.ChannelFuture;"),
                importsIn("", "io.netty.channel", "io.nettyvirtual.channel", "io.netty.bootstrap"));
    }

    @Test
    void thePacketKnowsOnlyBuffers() throws IOException {
        assertEquals(List.of(), importsIn("packet", FACADE, "io.nettyvirtual.network", "io.nettyvirtual.channel",
                "io.nettyvirtual.time", "io.netty.channel"));
    }

    @Test
    void statsKnowsOnlyItself() throws IOException {
        assertEquals(List.of(), importsIn("stats", FACADE, "io.nettyvirtual.network", "io.nettyvirtual.channel",
                "io.nettyvirtual.time", "io.netty.channel"));
    }
}
