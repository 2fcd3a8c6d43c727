package io.nettyvirtual.bench;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs the suite (virtual and real side by side) and writes a Markdown results table.
 *
 * <pre>
 * java -Donly=12345 -cp netty-virtual-benchmarks/target/benchmarks.jar io.nettyvirtual.bench.ShortSuite \
 *     [short|full] [out.md]
 * </pre>
 *
 * The {@code short} profile ends in a few minutes on 2 cores; {@code full} uses more and longer iterations, 60
 * virtual seconds at 1 Gbit/s, three scale runs per size, and adds section 6 (first runs and the wall-clock
 * yardsticks), which {@code run-first.sh} also runs alone. {@code -Donly} picks sections by number. Every figure is
 * the median of the measured iterations (scale: of the measured rounds, then of the runs).
 */
public final class ShortSuite {
    /** The sections by number, in the order they run. */
    private static final Map<Character, Section> SECTIONS = new LinkedHashMap<>();

    static {
        SECTIONS.put('1', new ThroughputSection());
        SECTIONS.put('2', new ClockSection());
        SECTIONS.put('3', new VirtualTimeSection());
        SECTIONS.put('4', new ScaleSection());
        SECTIONS.put('5', new QuicSection());
        SECTIONS.put('6', new FirstRunSection());
    }

    private final boolean full;
    private final Path out;
    private final Report report = new Report();
    /** Figures one section leaves for a later one in the same run (e.g. QUIC's steady state for section 6). */
    private final Map<String, Double> figures = new HashMap<>();

    private ShortSuite(boolean full, Path out) {
        this.full = full;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        boolean full = args.length > 0 && args[0].equals("full");
        String only = System.getProperty("only", full ? "123456" : "12345");
        Path out = Paths.get(
                args.length > 1
                        ? args[1]
                        : "netty-virtual-benchmarks/target/results" + (only.equals("6") ? "-first" : "")
                                + (full ? "-full" : "") + ".md");
        for (char c : only.toCharArray()) {
            if (!SECTIONS.containsKey(c)) {
                throw new IllegalArgumentException(
                        "-Donly=" + only + ": no section " + c + " (sections: " + SECTIONS.keySet() + ")");
            }
        }
        new ShortSuite(full, out).run(only);
    }

    private void run(String only) throws Exception {
        report.text("# netty-virtual benchmark results (" + (full ? "full" : "short") + " profile)\n\n");
        report.line(
                "%s, Java %s (%s), %d CPUs, commit %s. Medians of the measured iterations; virtual and real "
                        + "measured in the same run.%n",
                ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                System.getProperty("java.version"),
                System.getProperty("java.vm.name"),
                Runtime.getRuntime().availableProcessors(),
                Report.gitCommit());
        for (Map.Entry<Character, Section> s : SECTIONS.entrySet()) {
            if (only.indexOf(s.getKey()) >= 0) {
                String before = Report.loadAverage();
                s.getValue().run(this);
                report.text("Load average (1 min) before / after: " + before + " / " + Report.loadAverage() + "\n\n");
            }
        }
        report.write(out);
        System.out.println();
        System.out.println(report.markdown());
        System.out.println("written to " + out);
    }

    /** Whether this is the full profile. */
    boolean full() {
        return full;
    }

    /** The report's path; JMH's JSON results go beside it. */
    Path out() {
        return out;
    }

    Report report() {
        return report;
    }

    /** A figure an earlier section of this run left under {@code key}, or NaN. */
    double figure(String key) {
        return figures.getOrDefault(key, Double.NaN);
    }

    void figure(String key, double value) {
        figures.put(key, value);
    }
}
