package io.nettyvirtual.quic;

import io.netty.handler.codec.quic.BoringSSLKeylog;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import javax.net.ssl.SSLEngine;

/**
 * Writes the TLS secrets of QUIC connections to a file in the NSS key log format (the lines of an
 * {@code SSLKEYLOGFILE}), so that Wireshark and {@code tshark} decrypt a capture of those connections and show
 * their QUIC frames and HTTP/3. Netty's QUIC codec hands every secret BoringSSL derives to a
 * {@link BoringSSLKeylog}: give this one to the TLS context of one end, client or server (both ends derive the
 * same secrets).
 *
 * <pre>{@code
 * try (KeyLogFile keys = KeyLogFile.open(dir.resolve("capture.keys"))) {
 *     QuicSslContext ssl = QuicSslContextBuilder.forClient().keylog(keys)...build();
 *     // run the test, capture its datagrams to capture.pcapng
 * }
 * // tshark -o tls.keylog_file:capture.keys -r capture.pcapng
 * }</pre>
 *
 * <p>Each line is written and flushed when the secret is derived, so a test that fails half-way still leaves the
 * keys of the connections it made. The file holds secrets that decrypt those connections: it is for tests and
 * debugging, never for production traffic. Lines that arrive after {@link #close()} are not written; they are
 * counted by {@link #linesAfterClose()}.
 */
public final class KeyLogFile implements BoringSSLKeylog, Closeable {
    private final Path path;
    private final Writer out;
    private int lines;
    private int linesAfterClose;
    private boolean closed;

    private KeyLogFile(Path path, Writer out) {
        this.path = path;
        this.out = out;
    }

    /** Creates (or truncates) {@code file}. */
    public static KeyLogFile open(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        return new KeyLogFile(file, Files.newBufferedWriter(file, StandardCharsets.US_ASCII));
    }

    /** The file the key log is written to, for {@code tshark -o tls.keylog_file:<path>}. */
    public Path path() {
        return path;
    }

    /**
     * Called by the QUIC codec with one line of the NSS key log format ({@code LABEL <client random> <secret>}, in
     * hex), as {@link QuicSslContextBuilder#keylog(BoringSSLKeylog)} documents.
     */
    @Override
    public synchronized void logKey(SSLEngine engine, String line) {
        if (line == null || line.isEmpty()) {
            return;
        }
        if (closed) {
            linesAfterClose++;
            return;
        }
        try {
            out.write(line);
            out.write('\n');
            out.flush();
            lines++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the key log " + path, e);
        }
    }

    /** Lines written so far. */
    public synchronized int lines() {
        return lines;
    }

    /** Lines that arrived after {@link #close()} and were not written. */
    public synchronized int linesAfterClose() {
        return linesAfterClose;
    }

    /** Closes the file; closing again does nothing. */
    @Override
    public synchronized void close() throws IOException {
        if (!closed) {
            closed = true;
            out.close();
        }
    }
}
