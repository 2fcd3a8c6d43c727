package io.nettyvirtual.trace;

import io.nettyvirtual.packet.IpProtocol;
import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.stats.PacketTap;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A structured trace of the network with a running 64-bit hash: a {@link PacketTap} to attach to the whole network
 * ({@code net.addTap(trace)}), a node or a link. Every event it sees goes into the hash, in order: each packet event
 * (time, event, element, protocol, endpoints, size, TTL, ECN, drop reason) and, attached to the whole network, each
 * topology or configuration change ({@link PacketTap#changed}: a wire or host plugged or unplugged, a link's config
 * replaced), as a {@link PacketTap.Event#CHANGED CHANGED} event. Two runs of one seed see the same events and so
 * end with the same {@link #hash()}. It can also keep the events in memory ({@link #inMemory()}), keep only the
 * last ones ({@link #last(int)}), or write them as JSON lines ({@link #toFile(Path)}, one
 * {@link TraceEvent#toJson()} object per line).
 *
 * <p>Off by default and free when off: nothing is traced unless a trace is attached. A {@link #hashing()} or a
 * {@link #last(int)} trace allocates nothing per event (the latter once its ring has grown to its capacity).
 *
 * <p>Like any tap it is called with the simulation's lock held: read {@link #hash()}, {@link #count()} and
 * {@link #events()} from the thread that drives a {@code DETERMINISTIC} network, or after the network is closed.
 */
public final class PacketTrace implements PacketTap, Closeable {
    /** The most events {@link #last(int)} keeps. */
    public static final int MAX_LAST = 1 << 24;

    private final List<TraceEvent> events;
    private final Ring ring;
    private final Writer out;
    private final Path path;
    private final StringBuilder line;
    private long hash = TraceHash.EMPTY;
    private long count;
    private IOException writeFailure;

    private PacketTrace(List<TraceEvent> events, Ring ring, Writer out, Path path) {
        this.events = events;
        this.ring = ring;
        this.out = out;
        this.path = path;
        this.line = out == null ? null : new StringBuilder(192);
    }

    /** A trace that only counts and hashes the events: no allocation per event. */
    public static PacketTrace hashing() {
        return new PacketTrace(null, null, null, null);
    }

    /** A trace that also keeps every event, for {@link #events()}. */
    public static PacketTrace inMemory() {
        return new PacketTrace(new ArrayList<>(), null, null, null);
    }

    /**
     * A trace that also keeps the last {@code capacity} events, for {@link #events()}: a ring of plain fields that
     * allocates nothing per event once grown, so that a test can keep it on all the time and write it out only if
     * the test fails ({@link #writeJson(Path)}).
     *
     * @throws IllegalArgumentException naming the value if {@code capacity} is not between 1 and {@link #MAX_LAST}
     */
    public static PacketTrace last(int capacity) {
        if (capacity < 1 || capacity > MAX_LAST) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected 1 to " + MAX_LAST + " events)");
        }
        return new PacketTrace(null, new Ring(capacity), null, null);
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
            return new PacketTrace(null, null, Files.newBufferedWriter(file, StandardCharsets.UTF_8), file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a trace to " + file + ": " + e, e);
        }
    }

    @Override
    public void packet(long nanos, Event event, String element, Packet packet, DropReason reason) {
        hash = TraceHash.append(hash, TraceHash.event(nanos, event, element, packet, reason));
        count++;
        if (ring != null) {
            ring.packet(nanos, event, element, packet, reason);
        } else if (events != null) {
            events.add(TraceEvent.of(nanos, event, element, packet, reason));
        } else if (out != null) {
            write(TraceEvent.of(nanos, event, element, packet, reason));
        }
    }

    /** Records the change as a {@link PacketTap.Event#CHANGED CHANGED} event, in the hash like any other. */
    @Override
    public void changed(long nanos, String element, String change) {
        hash = TraceHash.append(hash, TraceHash.change(nanos, element, change));
        count++;
        if (ring != null) {
            ring.change(nanos, element, change);
        } else if (events != null) {
            events.add(TraceEvent.change(nanos, element, change));
        } else if (out != null) {
            write(TraceEvent.change(nanos, element, change));
        }
    }

    private void write(TraceEvent e) {
        if (writeFailure != null) {
            return;
        }
        line.setLength(0);
        e.appendJson(line);
        line.append('\n');
        try {
            out.append(line);
        } catch (IOException x) {
            // A tap must not throw into the network: remember the failure and report it on close().
            writeFailure = x;
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

    /** How many events this trace has seen (a {@link #last(int)} trace: also those it no longer keeps). */
    public long count() {
        return count;
    }

    /**
     * The events kept, in order: every event of an {@link #inMemory()} trace (a read-only view), the last ones of a
     * {@link #last(int)} trace (a copy).
     *
     * @throws IllegalStateException if this trace keeps no events ({@link #hashing()}, {@link #toFile(Path)})
     */
    public List<TraceEvent> events() {
        if (ring != null) {
            return ring.events();
        }
        if (events == null) {
            throw new IllegalStateException(
                    "this trace keeps no events: make it with PacketTrace.inMemory() or PacketTrace.last(n)");
        }
        return Collections.unmodifiableList(events);
    }

    /**
     * Writes the {@linkplain #events() events kept} to {@code file} as JSON lines (UTF-8), replacing it, and returns
     * {@code file}; the directories above it are created.
     *
     * @throws IllegalStateException if this trace keeps no events
     * @throws UncheckedIOException naming the file if it cannot be written
     */
    public Path writeJson(Path file) {
        Objects.requireNonNull(file, "file");
        List<TraceEvent> kept = events();
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                StringBuilder b = new StringBuilder(192);
                for (TraceEvent e : kept) {
                    b.setLength(0);
                    e.appendJson(b);
                    w.append(b).append('\n');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the trace to " + file + ": " + e, e);
        }
        return file;
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
        return "PacketTrace(" + count + " events, hash " + hashHex()
                + (ring == null ? "" : ", keeps the last " + ring.capacity) + (path == null ? "" : ", " + path) + ")";
    }

    static String hex(long h) {
        return String.format("%016x", h);
    }

    /**
     * The last events of a {@link #last(int)} trace, one slot per event in two arrays, so that recording an event
     * writes two adjacent stretches of memory: two {@code long}s (the time; the size, TTL, ECN, event, protocol and
     * drop reason packed) and four references (the element's name, both addresses, a change's text: immutable
     * objects the packet and the element already hold). No allocation per event; the arrays grow by doubling up to
     * the capacity, so a short run keeps a small ring.
     */
    static final class Ring {
        private static final Event[] EVENTS = Event.values();
        private static final IpProtocol[] PROTOCOLS = IpProtocol.values();
        private static final DropReason[] REASONS = DropReason.values();
        final int capacity;
        /** Per slot: the time, then size << 32 | ttl << 24 | ecn << 16 | event << 12 | protocol << 8 | reason + 1. */
        private long[] fields;
        /** Per slot: the element, the source, the destination, the change. */
        private Object[] refs;
        /** Slots in the arrays now. */
        private int slots;
        /** The slot the next event goes into. */
        private int next;
        /** Whether the ring has wrapped: every slot holds an event and {@link #next} is the oldest. */
        private boolean full;

        Ring(int capacity) {
            this.capacity = capacity;
            grow(Math.min(capacity, 64));
        }

        private void grow(int n) {
            fields = fields == null ? new long[2 * n] : Arrays.copyOf(fields, 2 * n);
            refs = refs == null ? new Object[4 * n] : Arrays.copyOf(refs, 4 * n);
            slots = n;
        }

        /** The slot for the next event, growing the arrays or wrapping around. */
        private int slot() {
            int i = next;
            if (i == slots) {
                if (slots < capacity) {
                    grow((int) Math.min(capacity, 2L * slots));
                } else {
                    full = true;
                    i = 0;
                }
            }
            next = i + 1;
            return i;
        }

        void packet(long t, Event e, String at, Packet p, DropReason r) {
            int i = slot();
            fields[2 * i] = t;
            fields[2 * i + 1] = (long) p.size() << 32
                    | (long) (p.ttl() & 0xFF) << 24
                    | (long) (p.ecn() & 0xFF) << 16
                    | e.ordinal() << 12
                    | p.protocol().ordinal() << 8
                    | (r == null ? 0 : r.ordinal() + 1);
            int k = 4 * i;
            refs[k] = at;
            refs[k + 1] = p.source();
            refs[k + 2] = p.destination();
            refs[k + 3] = null;
        }

        void change(long t, String at, String what) {
            int i = slot();
            fields[2 * i] = t;
            fields[2 * i + 1] = (long) Event.CHANGED.ordinal() << 12;
            int k = 4 * i;
            refs[k] = at;
            refs[k + 1] = null;
            refs[k + 2] = null;
            refs[k + 3] = what;
        }

        List<TraceEvent> events() {
            int n = full ? slots : next;
            int first = full ? next % slots : 0;
            List<TraceEvent> list = new ArrayList<>(n);
            for (int c = 0; c < n; c++) {
                int i = (first + c) % slots;
                long f = fields[2 * i + 1];
                Event e = EVENTS[(int) (f >>> 12) & 0xF];
                int reason = (int) f & 0xFF;
                int k = 4 * i;
                list.add(new TraceEvent(
                        fields[2 * i],
                        e,
                        (String) refs[k],
                        e == Event.CHANGED ? null : PROTOCOLS[(int) (f >>> 8) & 0xF],
                        (InetSocketAddress) refs[k + 1],
                        (InetSocketAddress) refs[k + 2],
                        (int) (f >>> 32),
                        (int) (f >>> 24) & 0xFF,
                        (int) (f >>> 16) & 0xFF,
                        reason == 0 ? null : REASONS[reason - 1],
                        (String) refs[k + 3]));
            }
            return list;
        }
    }
}
