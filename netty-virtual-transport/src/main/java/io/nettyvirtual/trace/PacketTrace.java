package io.nettyvirtual.trace;

import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.stats.PacketTap;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A structured trace of packet events with a running 64-bit hash: a {@link PacketTap} to attach to the whole network
 * ({@code net.addTap(trace)}), a node or a link. Every event it sees (time, event, element, protocol, endpoints,
 * size, TTL, ECN, drop reason) goes into the hash, in order; two runs of one seed see the same events and so end
 * with the same {@link #hash()}. It can also keep the events in memory ({@link #inMemory()}) or write them as JSON
 * lines ({@link #toFile(Path)}, one {@link TraceEvent#toJson()} object per line).
 *
 * <p>Off by default and free when off: nothing is traced unless a trace is attached. A {@link #hashing()} trace
 * allocates nothing per event. The topology and configuration changes are not in the trace: the tap seam does not
 * report them.
 *
 * <p>Like any tap it is called with the simulation's lock held: read {@link #hash()}, {@link #count()} and
 * {@link #events()} from the thread that drives a {@code DETERMINISTIC} network, or after the network is closed.
 */
public final class PacketTrace implements PacketTap, Closeable {
    private final List<TraceEvent> events;
    private final Writer out;
    private final Path path;
    private final StringBuilder line;
    private long hash = TraceHash.EMPTY;
    private long count;
    private IOException writeFailure;

    private PacketTrace(List<TraceEvent> events, Writer out, Path path) {
        this.events = events;
        this.out = out;
        this.path = path;
        this.line = out == null ? null : new StringBuilder(192);
    }

    /** A trace that only counts and hashes the events: no allocation per event. */
    public static PacketTrace hashing() {
        return new PacketTrace(null, null, null);
    }

    /** A trace that also keeps every event, for {@link #events()}. */
    public static PacketTrace inMemory() {
        return new PacketTrace(new ArrayList<>(), null, null);
    }

    /**
     * A trace that also writes every event to {@code file} as a line of JSON (UTF-8), replacing the file;
     * {@link #close()} flushes and closes it.
     *
     * @throws UncheckedIOException naming the file if it cannot be opened for writing
     */
    public static PacketTrace toFile(Path file) {
        Objects.requireNonNull(file, "file");
        try {
            return new PacketTrace(null, Files.newBufferedWriter(file, StandardCharsets.UTF_8), file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a trace to " + file + ": " + e, e);
        }
    }

    @Override
    public void packet(long nanos, Event event, String element, Packet packet, DropReason reason) {
        hash = TraceHash.append(hash, TraceHash.event(nanos, event, element, packet, reason));
        count++;
        if (events != null) {
            events.add(TraceEvent.of(nanos, event, element, packet, reason));
        }
        if (out != null && writeFailure == null) {
            line.setLength(0);
            TraceEvent.of(nanos, event, element, packet, reason).appendJson(line);
            line.append('\n');
            try {
                out.append(line);
            } catch (IOException e) {
                // A tap must not throw into the network: remember the failure and report it on close().
                writeFailure = e;
            }
        }
    }

    /** The running hash of the events seen so far ({@code TraceHash.EMPTY}'s constant before the first). */
    public long hash() {
        return hash;
    }

    /** {@link #hash()} as 16 hexadecimal digits, as {@code docs/trace.md} and the determinism check print it. */
    public String hashHex() {
        return hex(hash);
    }

    /** How many events this trace has seen. */
    public long count() {
        return count;
    }

    /**
     * The events seen so far, in order (a read-only view).
     *
     * @throws IllegalStateException if this trace was not made by {@link #inMemory()}
     */
    public List<TraceEvent> events() {
        if (events == null) {
            throw new IllegalStateException("this trace keeps no events: make it with PacketTrace.inMemory()");
        }
        return Collections.unmodifiableList(events);
    }

    /**
     * Flushes and closes the file of a {@link #toFile(Path)} trace (nothing for the others).
     *
     * @throws UncheckedIOException naming the file if a write failed (the trace stopped writing there) or the
     *         close did
     */
    @Override
    public void close() {
        if (out == null) {
            return;
        }
        try {
            out.close();
        } catch (IOException e) {
            if (writeFailure == null) {
                writeFailure = e;
            }
        }
        if (writeFailure != null) {
            throw new UncheckedIOException(
                    "writing the trace to " + path + " failed after " + count + " events: " + writeFailure,
                    writeFailure);
        }
    }

    @Override
    public String toString() {
        return "PacketTrace(" + count + " events, hash " + hashHex() + (path == null ? "" : ", " + path) + ")";
    }

    static String hex(long h) {
        return String.format("%016x", h);
    }
}
