package io.nettyvirtual.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the suite (virtual and real side by side) and writes a Markdown results table.
 *
 * <pre>
 * java -cp netty-virtual-benchmarks/target/benchmarks.jar io.nettyvirtual.bench.ShortSuite [short|full] [out.md]
 * </pre>
 *
 * The {@code short} profile ends in a few minutes on 2 cores; {@code full} uses more and longer iterations, 60
 * virtual seconds at 1 Gbit/s, and three scale runs per size. Every figure is the median of the measured
 * iterations (scale: of the measured rounds, then of the runs).
 */
public final class ShortSuite {
    private final boolean full;
    private final Path out;
    private final StringBuilder md = new StringBuilder();
    private final List<String> goals = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final int probeTimeoutSeconds;

    private ShortSuite(boolean full, Path out) {
        this.full = full;
        this.out = out;
        this.probeTimeoutSeconds = full ? 900 : 120;
    }

    public static void main(String[] args) throws Exception {
        boolean full = args.length > 0 && args[0].equals("full");
        Path out = Paths.get(
                args.length > 1
                        ? args[1]
                        : full
                                ? "netty-virtual-benchmarks/target/results-full.md"
                                : "netty-virtual-benchmarks/target/results.md");
        String only = System.getProperty("only", "12345");
        new ShortSuite(full, out).run(only);
    }

    private void run(String only) throws Exception {
        md.append("# netty-virtual benchmark results (")
                .append(full ? "full" : "short")
                .append(" profile)\n\n");
        md.append(String.format(
                Locale.ROOT,
                "%s, Java %s (%s), %d CPUs, commit %s. Medians of the measured "
                        + "iterations; virtual and real measured in the same run.%n%n",
                ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                System.getProperty("java.version"),
                System.getProperty("java.vm.name"),
                Runtime.getRuntime().availableProcessors(),
                gitCommit()));
        if (only.contains("1")) {
            String before = loadAverage();
            throughput();
            load(before);
        }
        if (only.contains("2")) {
            String before = loadAverage();
            clock();
            load(before);
        }
        if (only.contains("3")) {
            String before = loadAverage();
            virtualTime();
            load(before);
        }
        if (only.contains("4")) {
            String before = loadAverage();
            scale();
            load(before);
        }
        if (only.contains("5")) {
            quic();
        }
        md.append("## Goals\n\n");
        for (String g : goals) {
            md.append("- ").append(g).append('\n');
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.write(out, md.toString().getBytes(StandardCharsets.UTF_8));
        System.out.println();
        System.out.println(md);
        System.out.println("written to " + out);
    }

    // ---------------------------------------------------------------- running JMH

    private ChainedOptionsBuilder options(Class<?> benchmark, int warmups, int iterations, int seconds) {
        return new OptionsBuilder()
                .include("^" + benchmark.getName().replace(".", "\\.") + "\\.")
                .forks(1)
                .warmupIterations(warmups)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.seconds(seconds))
                .resultFormat(ResultFormatType.JSON)
                .result(out.resolveSibling("jmh-" + benchmark.getSimpleName() + ".json")
                        .toString());
    }

    private static double median(List<Double> xs) {
        if (xs.isEmpty()) {
            return Double.NaN;
        }
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    /** Median over measured iterations of the primary score, or of the secondary score {@code label}. */
    private static double median(RunResult r, String label) {
        List<Double> xs = new ArrayList<>();
        for (BenchmarkResult b : r.getBenchmarkResults()) {
            for (IterationResult i : b.getIterationResults()) {
                Result<?> res = label == null
                        ? i.getPrimaryResult()
                        : i.getSecondaryResults().get(label);
                if (res != null) {
                    xs.add(res.getScore());
                }
            }
        }
        return median(xs);
    }

    private static RunResult find(Collection<RunResult> rs, Predicate<RunResult> p) {
        for (RunResult r : rs) {
            if (p.test(r)) {
                return r;
            }
        }
        return null;
    }

    private static String param(RunResult r, String name) {
        return r.getParams().getParam(name);
    }

    // ---------------------------------------------------------------- the benchmarks

    private void throughput() throws Exception {
        Collection<RunResult> rs = new Runner(
                        options(DatagramThroughputBenchmark.class, full ? 5 : 2, full ? 10 : 4, full ? 2 : 1)
                                .build())
                .run();
        md.append("## 1. Datagram throughput: one channel floods another\n\n");
        md.append("Delivered datagrams per second. Virtual: ideal wire, deterministic mode, one thread. "
                + "Real: NioDatagramChannel on 127.0.0.1, sender and receiver on two loop threads, SO_RCVBUF 4 MiB. "
                + "Same Flood and Sink handlers.\n\n");
        md.append("Buffers: `shared`, every datagram a retained duplicate of one payload (the virtual transport copies "
                + "it, as the kernel copies every datagram, because the sender still holds the payload); `own`, a new "
                + "buffer per datagram filled by the sender on both transports (the virtual transport hands it over). "
                + "The goals are judged on `shared`.\n\n");
        md.append("| size | buffers | virtual dgram/s | NIO loopback dgram/s | ratio | NIO drop rate | goal |\n");
        md.append("|---:|---|---:|---:|---:|---:|---|\n");
        for (String buffers : new String[] {"shared", "own"}) {
            for (String size : new String[] {"64", "1200", "8192"}) {
                RunResult v = find(
                        rs,
                        r -> param(r, "size").equals(size)
                                && param(r, "buffers").equals(buffers)
                                && param(r, "transport").equals("virtual"));
                RunResult n = find(
                        rs,
                        r -> param(r, "size").equals(size)
                                && param(r, "buffers").equals(buffers)
                                && param(r, "transport").equals("nio"));
                if (v == null || n == null) {
                    continue;
                }
                double vd = median(v, "delivered");
                double nd = median(n, "delivered");
                double ns = median(n, null);
                double ratio = vd / nd;
                String goal = !buffers.equals("shared")
                        ? ""
                        : size.equals("64")
                                ? goal("throughput 64 B", ratio, 5, "x vs NIO")
                                : size.equals("8192") ? goal("throughput 8 KB", ratio, 10, "x vs NIO") : "";
                md.append(String.format(
                        Locale.ROOT,
                        "| %s B | %s | %s | %s | %.1fx | %.1f%% | %s |%n",
                        size,
                        buffers,
                        si(vd),
                        si(nd),
                        ratio,
                        100 * Math.max(0, 1 - nd / ns),
                        goal));
            }
        }
        md.append('\n');
    }

    private void clock() throws Exception {
        Collection<RunResult> rs = new Runner(options(ClockBenchmark.class, full ? 5 : 2, full ? 10 : 4, full ? 2 : 1)
                        .build())
                .run();
        md.append("## 2. Clock and scheduler: timer events per second\n\n");
        md.append("Hold model: every timer that fires schedules itself again, so `pending` timers always wait. "
                + "queue: TimedEvents in the simulation's event queue (param heap); schedule: EventLoop.schedule on a virtual loop; "
                + "NIO: EventLoop.schedule on a real NIO loop, always behind (its ceiling).\n\n");
        md.append("| pending | virtual queue ev/s | virtual schedule ev/s | NIO schedule ev/s | queue/NIO | "
                + "schedule/NIO | goal |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---|\n");
        for (String pending : new String[] {"1000", "100000"}) {
            RunResult h = find(
                    rs,
                    r -> param(r, "pending").equals(pending) && param(r, "via").equals("heap"));
            RunResult s = find(
                    rs,
                    r -> param(r, "pending").equals(pending) && param(r, "via").equals("schedule"));
            RunResult n = find(
                    rs,
                    r -> param(r, "pending").equals(pending) && param(r, "via").equals("nio"));
            if (h == null || s == null || n == null) {
                continue;
            }
            double hv = median(h, null);
            double sv = median(s, null);
            double nv = median(n, null);
            String goal = "";
            if (pending.equals("100000")) {
                goal = goal("events/s, 100,000 pending (simulation event queue)", hv / 1e6, 5, "M/s") + "; "
                        + goal("events/s, 100,000 pending (EventLoop.schedule)", sv / 1e6, 5, "M/s");
            }
            md.append(String.format(
                    Locale.ROOT,
                    "| %,d | %s | %s | %s | %.1fx | %.1fx | %s |%n",
                    Integer.parseInt(pending),
                    si(hv),
                    si(sv),
                    si(nv),
                    hv / nv,
                    sv / nv,
                    goal));
        }
        md.append('\n');
    }

    private void virtualTime() throws Exception {
        List<RunResult> rs = new ArrayList<>(new Runner(options(VirtualTimeBenchmark.class, 1, full ? 5 : 3, 1)
                        .param("bitsPerSecond", "10000000")
                        .param("virtualSeconds", "60")
                        .build())
                .run());
        String gigaSeconds = full ? "60" : "2";
        rs.addAll(new Runner(options(VirtualTimeBenchmark.class, 1, full ? 5 : 3, 1)
                        .param("bitsPerSecond", "1000000000")
                        .param("virtualSeconds", gigaSeconds)
                        .build())
                .run());
        md.append("## 3. Virtual-time speed-up: a saturating UDP flow\n\n");
        md.append("1,200-byte datagrams over a wire with 50 ms one-way delay, deterministic mode; a real link of "
                + "the same rate runs at 1 virtual second per wall second.\n\n");
        md.append("| wire | virtual s per invocation | virtual s / wall s | delivered dgram/s (wall) | goal |\n");
        md.append("|---|---:|---:|---:|---|\n");
        for (RunResult r : rs) {
            long bps = Long.parseLong(param(r, "bitsPerSecond"));
            double speed = median(r, "virtualSeconds");
            double dg = median(r, "delivered");
            String goal = bps == 10_000_000L ? goal("virtual s per wall s at 10 Mbit/s", speed, 500, "") : "";
            md.append(String.format(
                    Locale.ROOT,
                    "| %s, 50 ms | %s | %.1f | %s | %s |%n",
                    bps >= 1_000_000_000L ? bps / 1_000_000_000L + " Gbit/s" : bps / 1_000_000L + " Mbit/s",
                    param(r, "virtualSeconds"),
                    speed,
                    si(dg),
                    goal));
        }
        md.append('\n');
    }

    private void scale() throws Exception {
        md.append("## 4. Scale: channels on one switch\n\n");
        md.append("Each size in a fresh JVM with -Xmx1g. Virtual: a host per channel plugged into one switch, one "
                + "loop. NIO: NioDatagramChannels on 127.0.0.1, two loops (Java heap only; kernel socket memory not "
                + "counted; 100,000 exceeds this machine's open-file limit and one address's ports). Throughput: "
                + "every channel sends one 64 B datagram to the next per round.\n\n");
        md.append("| channels | virtual setup | NIO setup | virtual heap/channel | NIO heap/channel | "
                + "virtual dgram/s | NIO dgram/s | ratio | goal |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        int repeats = full ? 3 : 1;
        for (int n : new int[] {1_000, 10_000, 100_000}) {
            Map<String, double[]> v = probe("virtual", n, repeats);
            Map<String, double[]> r = n <= 10_000 ? probe("nio", n, repeats) : null;
            String goal = "";
            if (n == 100_000) {
                if (v == null) {
                    goals.add("100,000 channels under 1 GiB of heap: **MISSED** (the probe failed under -Xmx1g)");
                    goal = "**missed**";
                } else {
                    double gib = v.get("heapAfter")[0] * n / (1024.0 * 1024 * 1024);
                    boolean met = gib < 1;
                    goals.add(String.format(
                            Locale.ROOT,
                            "100,000 channels: %.2f GiB of heap after setup and "
                                    + "traffic, run under -Xmx1g (goal under 1 GiB) %s",
                            gib,
                            met ? "**met**" : "**MISSED**"));
                    goal = met ? "met" : "**missed**";
                }
            }
            md.append(String.format(
                    Locale.ROOT,
                    "| %,d | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    n,
                    ms(v, "setup"),
                    ms(r, "setup"),
                    bytes(v, "heap"),
                    bytes(r, "heap"),
                    rate(v),
                    rate(r),
                    v != null && r != null
                            ? String.format(Locale.ROOT, "%.1fx", v.get("rate")[0] / r.get("rate")[0])
                            : "n/a",
                    goal));
        }
        for (String note : notes) {
            md.append("\n- ").append(note);
        }
        md.append("\n\n");
    }

    /** Runs ScaleProbe {@code repeats} times in fresh JVMs; medians of setup, heap and rate; null if it failed. */
    private Map<String, double[]> probe(String transport, int n, int repeats) throws Exception {
        List<Double> setup = new ArrayList<>();
        List<Double> heap = new ArrayList<>();
        List<Double> rate = new ArrayList<>();
        List<Double> heapAfter = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            String java =
                    Paths.get(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(
                    java,
                    "-Xmx1g",
                    "-Dio.netty.leakDetection.level=disabled",
                    "-cp",
                    System.getProperty("java.class.path"),
                    ScaleProbe.class.getName(),
                    transport,
                    Integer.toString(n),
                    full ? "5" : "3",
                    full ? "9" : "5");
            Path log = Files.createTempFile("scale-probe", ".out");
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.redirectOutput(log.toFile());
            Process p = pb.start();
            if (!p.waitFor(probeTimeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                notes.add(String.format(
                        Locale.ROOT,
                        "%s with %,d channels did not finish within %d s",
                        transport,
                        n,
                        probeTimeoutSeconds));
                return null;
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            Files.delete(log);
            String line = lines.isEmpty() ? null : lines.get(lines.size() - 1);
            System.out.println("[scale] " + line);
            if (line == null || !line.endsWith(" ok")) {
                notes.add(String.format(Locale.ROOT, "%s with %,d channels failed: %s", transport, n, line));
                return null;
            }
            String[] f = line.split(" ");
            setup.add(Double.parseDouble(f[2]));
            heap.add(Double.parseDouble(f[3]));
            rate.add(Double.parseDouble(f[4]));
            heapAfter.add(Double.parseDouble(f[5]));
        }
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("setup", new double[] {median(setup)});
        m.put("heap", new double[] {median(heap)});
        m.put("rate", new double[] {median(rate)});
        m.put("heapAfter", new double[] {median(heapAfter)});
        return m;
    }

    /**
     * 5. QUIC: a 10 MiB download, virtual (10 Mbit/s, 50 ms wire, exact and slotted) against NIO loopback on two
     * loops (the goal) and, for a like-for-like thread count, on one; see QuicTransferBenchmark.
     */
    private void quic() throws Exception {
        Collection<RunResult> rs = runQuic(false, "jmh-QuicTransferBenchmark.json");
        Collection<RunResult> one = runQuic(true, "jmh-QuicTransferBenchmark-one-loop.json");
        RunResult v = find(rs, r -> param(r, "transport").equals("virtual"));
        RunResult vs = find(rs, r -> param(r, "transport").equals("virtual-slotted"));
        RunResult n = find(rs, r -> param(r, "transport").equals("nio"));
        RunResult n1 = find(one, r -> param(r, "transport").equals("nio"));
        md.append("## 5. QUIC: a 10 MiB download\n\n");
        md.append("Netty's QUIC codec, one connection, one stream, handshake included; the server sends slices of "
                + "a 10 MiB payload made once, the client compares every byte it receives with it; same handlers on "
                + "both sides. Virtual: deterministic network, one wire of 10 Mbit/s and "
                + "50 ms one-way delay, quiche on the virtual clock; *exact*: every packet delivered at its arrival "
                + "time, one read each (quiche then acknowledges nearly every packet); *slotted*: the same wire "
                + "delivering in " + QuicTransferBenchmark.SLOT.toMillis() + " ms slots (`LinkConfig.slot`, "
                + "tc-netem's slot: Wi-Fi aggregation, cellular grants), one read burst per slot. Real: "
                + "NioDatagramChannel on 127.0.0.1, two loops (the goal's comparison), and one loop (the thread count "
                + "of the virtual run), no shaping. Wall time per transfer (JMH single shot, "
                + QuicTransferBenchmark.WARMUPS + " warm-ups, " + (full ? 3 : 2) + " forks, median of all shots; "
                + "Netty leak detection off).\n\n");
        md.append("| wire | virtual wall | virtual time | NIO loopback wall, two loops | loopback / virtual "
                + "| NIO loopback wall, one loop | one loop / virtual | goal |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---|\n");
        if (n == null) {
            goals.add("QUIC 10 MiB virtual faster than loopback: **MISSED** (the loopback run did not finish)");
            md.append("| | n/a | n/a | n/a | n/a | n/a | n/a | **missed** |\n\n");
            return;
        }
        double nw = median(n, null);
        double n1w = n1 == null ? Double.NaN : median(n1, null);
        quicRow("10 Mbit/s, 50 ms, exact", v, nw, n1w);
        quicRow("10 Mbit/s, 50 ms, " + QuicTransferBenchmark.SLOT.toMillis() + " ms slots", vs, nw, n1w);
        md.append("\n");
    }

    /** Section 5's JMH run: every transport, or ({@code oneLoop}) only loopback on a one-thread group. */
    private Collection<RunResult> runQuic(boolean oneLoop, String json) throws Exception {
        OptionsBuilder o = new OptionsBuilder();
        o.include("^" + QuicTransferBenchmark.class.getName().replace(".", "\\.") + "\\.")
                // Two forks at least, and the median over all their shots: one JVM's JIT can land differently.
                .forks(full ? 3 : 2)
                .warmupIterations(QuicTransferBenchmark.WARMUPS)
                .measurementIterations(full ? 20 : 10)
                .resultFormat(ResultFormatType.JSON)
                .result(out.resolveSibling(json).toString());
        if (oneLoop) {
            o.param("transport", "nio").param("nioLoops", "1");
        }
        return new Runner(o.build()).run();
    }

    private void quicRow(String wire, RunResult v, double loopbackWall, double oneLoopWall) {
        if (v == null) {
            goals.add("QUIC 10 MiB, " + wire + ": **MISSED** (the benchmark did not run)");
            md.append("| ").append(wire).append(" | n/a | n/a | n/a | n/a | n/a | n/a | **missed** |\n");
            return;
        }
        double vw = median(v, null);
        double vt = median(v, "virtualMillis");
        boolean met = vw < loopbackWall && vt >= 8_000;
        goals.add(String.format(
                Locale.ROOT,
                "QUIC 10 MiB, %s: virtual %.0f ms wall (%.2f s virtual, goal ≥8 s) vs "
                        + "loopback %.0f ms wall, ratio %.2fx (goal >1x) %s",
                wire,
                vw,
                vt / 1000,
                loopbackWall,
                loopbackWall / vw,
                met ? "**met**" : "**MISSED**"));
        md.append(String.format(
                Locale.ROOT,
                "| %s | %,.0f ms | %,.0f ms | %,.0f ms | %.2fx | %,.0f ms | %.2fx | %s |%n",
                wire,
                vw,
                vt,
                loopbackWall,
                loopbackWall / vw,
                oneLoopWall,
                oneLoopWall / vw,
                met ? "met" : "**missed**"));
    }

    // ---------------------------------------------------------------- formatting

    /**
     * The machine is shared: the 1-minute load average before and after each section says how much else ran
     * (above 2 on 2 cores, absolute figures drop; ratios measured in the same run hold better).
     */
    private void load(String before) {
        md.append("Load average (1 min) before / after: ")
                .append(before)
                .append(" / ")
                .append(loadAverage())
                .append("\n\n");
    }

    private static String loadAverage() {
        try {
            return new String(Files.readAllBytes(Paths.get("/proc/loadavg")), StandardCharsets.US_ASCII).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }

    private String goal(String what, double value, double target, String unit) {
        boolean met = value >= target;
        String g = String.format(
                Locale.ROOT,
                "%s: %.1f%s (goal ≥%s%s) %s",
                what,
                value,
                unit,
                fmt(target),
                unit,
                met ? "**met**" : "**MISSED**");
        goals.add(g);
        return met ? "met" : "**missed**";
    }

    private static String fmt(double x) {
        return x == Math.rint(x) ? Long.toString((long) x) : Double.toString(x);
    }

    static String si(double x) {
        if (Double.isNaN(x)) {
            return "n/a";
        }
        if (x >= 1e6) {
            return String.format(Locale.ROOT, "%.2f M", x / 1e6);
        }
        if (x >= 1e3) {
            return String.format(Locale.ROOT, "%.1f k", x / 1e3);
        }
        return String.format(Locale.ROOT, "%.1f", x);
    }

    private static String ms(Map<String, double[]> m, String k) {
        return m == null ? "n/a" : String.format(Locale.ROOT, "%,.0f ms", m.get(k)[0]);
    }

    private static String bytes(Map<String, double[]> m, String k) {
        return m == null ? "n/a" : String.format(Locale.ROOT, "%,.0f B", m.get(k)[0]);
    }

    private static String rate(Map<String, double[]> m) {
        return m == null ? "n/a" : si(m.get("rate")[0]);
    }

    private static String gitCommit() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "--short", "HEAD")
                    .redirectErrorStream(true)
                    .start();
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String l = in.readLine();
                p.waitFor();
                return l == null ? "?" : l.trim();
            }
        } catch (Exception e) {
            return "?";
        }
    }
}
