package io.nettyvirtual.testing.report;

import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.engine.SimulatedLoop;
import io.nettyvirtual.network.Link;
import io.nettyvirtual.network.Node;
import io.nettyvirtual.network.Wire;
import io.nettyvirtual.stats.PacketCounters;
import io.nettyvirtual.time.TimeMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * Records what a network's links did over virtual time, and writes it as an HTML report that opens in a browser
 * with no network access: queue backlog per link, goodput per link direction, drops by reason, and the counters
 * table. Start it right after building the network, run the scenario, then {@link #writeHtml(Path, String)}:
 *
 * <pre>{@code
 * NetworkRecorder recorder = NetworkRecorder.start(net, Duration.ofMillis(10));
 * // ... the scenario ...
 * recorder.writeHtml(Path.of("target/run.html"), "download over a lossy link");
 * }</pre>
 *
 * <p>Sampling follows the virtual clock, never the wall clock. On a deterministic network the recorder takes a
 * sample at the first instant of the clock at or past each multiple of the interval, labelled with that instant
 * and showing the state once everything due then has run, so every delivery and drop falls in exactly one sample's
 * interval and the charts draw steps, not slopes. It schedules nothing: it never keeps the simulation busy, so
 * {@code runUntilIdle()} ends at the same virtual instant with or without it, and it only reads, so a run with a
 * recorder is the same run, event for event. A quiet stretch that the clock jumps over costs one sample. On a
 * threaded or real-time network the recorder samples only when {@link #sample()} is called (and once more when a
 * report is written).
 *
 * <p>Goodput is per link direction (bytes a link delivered per interval), since the network does not model flows.
 * The report's data are embedded in the page as JSON (element {@code nettyvirtual-data}); {@link #json()} returns
 * the same text. A recorder holds at most {@value #MAX_SAMPLES} samples, then stops sampling (the report says so).
 */
public final class NetworkRecorder {
    /** The most samples one recorder keeps. */
    public static final int MAX_SAMPLES = 20_000;

    private final VirtualNetwork net;
    private final long intervalNanos;
    private final long startNanos;
    /** Links in order of first appearance; sample rows are indexed the same way. */
    private final List<Link> links = new ArrayList<>();

    final List<Sample> samples = new ArrayList<>();
    private boolean truncated;
    private final Sampler sampler;

    /** One row: the network's and every link's counters at a virtual instant. */
    static final class Sample {
        final long nanos;
        final PacketCounters network;
        final long[] queued;
        final PacketCounters[] links;

        Sample(long nanos, PacketCounters network, long[] queued, PacketCounters[] links) {
            this.nanos = nanos;
            this.network = network;
            this.queued = queued;
            this.links = links;
        }
    }

    private NetworkRecorder(VirtualNetwork net, long intervalNanos) {
        this.net = net;
        this.intervalNanos = intervalNanos;
        this.startNanos = net.clock().nanoTime();
        record(startNanos);
        if (net.mode() == TimeMode.DETERMINISTIC) {
            sampler = new Sampler(saturatedAdd(startNanos, intervalNanos));
            net.simulation().register(sampler);
        } else {
            sampler = null;
        }
    }

    /**
     * Starts recording {@code net} every {@code interval} of virtual time, from now on.
     *
     * @throws IllegalArgumentException if {@code interval} is not positive
     * @throws IllegalStateException if the network is closed
     */
    public static NetworkRecorder start(VirtualNetwork net, Duration interval) {
        if (net == null) {
            throw new NullPointerException("net");
        }
        if (interval == null) {
            throw new NullPointerException("interval");
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval: " + interval + " (expected > 0)");
        }
        if (net.isClosed()) {
            throw new IllegalStateException("cannot record a closed network: " + net);
        }
        long nanos;
        try {
            nanos = interval.toNanos();
        } catch (ArithmeticException e) {
            nanos = Long.MAX_VALUE;
        }
        return new NetworkRecorder(net, nanos);
    }

    /** The sampling interval. */
    public Duration interval() {
        return Duration.ofNanos(intervalNanos);
    }

    /** Takes a sample now (the only way samples are taken on a threaded network); a no-op once the network is closed. */
    public synchronized void sample() {
        if (!net.isClosed()) {
            long now = net.clock().nanoTime();
            if (samples.isEmpty() || samples.get(samples.size() - 1).nanos < now) {
                record(now);
            }
        }
    }

    /** How many samples were taken so far. */
    public synchronized int sampleCount() {
        return samples.size();
    }

    /** The report's data as JSON (what the HTML page embeds); takes a last sample first if the network is open. */
    public synchronized String json() {
        sample();
        return ReportJson.write(net, intervalNanos, samples, links, truncated);
    }

    /**
     * Writes the HTML report to {@code file} (parent directories are created), taking a last sample first if the
     * network is still open. Call it before or after closing the network.
     *
     * @return {@code file}
     */
    public synchronized Path writeHtml(Path file, String title) {
        String html = HtmlReport.render(net, title == null ? "netty-virtual run" : title, json(), samples, links);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, html, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the report " + file, e);
        }
        return file;
    }

    /** Stops sampling (the report can still be written). */
    public void stop() {
        if (sampler != null) {
            sampler.stop();
        }
    }

    List<Node> nodes() {
        return net.nodes();
    }

    private void record(long nanos) {
        if (samples.size() >= MAX_SAMPLES) {
            truncated = true;
            if (sampler != null) {
                sampler.stop();
            }
            return;
        }
        for (Wire w : net.wires()) {
            addLink(w.aToB());
            addLink(w.bToA());
        }
        long[] queued = new long[links.size()];
        PacketCounters[] lc = new PacketCounters[links.size()];
        for (int i = 0; i < links.size(); i++) {
            Link l = links.get(i);
            queued[i] = l.queuedPackets();
            lc[i] = l.counters();
        }
        samples.add(new Sample(nanos, net.counters(), queued, lc));
    }

    private void addLink(Link l) {
        for (Link known : links) {
            if (known == l) {
                return;
            }
        }
        links.add(l);
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    /**
     * The recorder's hook on a deterministic simulation: a loop that the driver asks for its deadline on every
     * step, which runs nothing and schedules nothing (no deadline), so it never keeps the simulation busy or moves
     * its clock. It uses the engine's loop contract, which the transport's module exports only to the QUIC module:
     * the recorder works on the class path (where tests run), and moves to the network's observer seam once there
     * is one with a per-step hook.
     */
    private final class Sampler implements SimulatedLoop {
        private long next;
        private volatile boolean stopped;
        private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

        Sampler(long next) {
            this.next = next;
        }

        @Override
        public int runReady() {
            Runnable t;
            while ((t = tasks.poll()) != null) {
                t.run();
            }
            return 0;
        }

        /**
         * The driver asks every loop for its next deadline once everything due at the current instant has run,
         * before it moves the clock: the state now is the state until the next event, which is what a sample at
         * this instant should show. No deadline of its own.
         */
        @Override
        public long nextDeadline() {
            if (stopped) {
                return -1;
            }
            long now = net.clock().nanoTime();
            if (now >= next) {
                synchronized (NetworkRecorder.this) {
                    record(now);
                    long steps = (now - startNanos) / intervalNanos + 1;
                    next = steps > Long.MAX_VALUE / intervalNanos
                            ? Long.MAX_VALUE
                            : saturatedAdd(startNanos, steps * intervalNanos);
                }
            }
            return -1;
        }

        @Override
        public void stop() {
            stopped = true;
        }

        @Override
        public boolean isTerminated() {
            return stopped;
        }

        @Override
        public void execute(Runnable task) {
            if (stopped) {
                throw new RejectedExecutionException("the recorder has stopped");
            }
            tasks.add(task);
        }
    }
}
