package io.nettyvirtual.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;

/**
 * 6. The first run and the wall-clock yardsticks (issue 18): {@link FirstRunBenchmark} in many fresh JVMs beside
 * its steady state; the paced flow against ns-3's run of the same scenario ({@code ns3/paced-flow/run.sh}, skipped
 * where ns-3 is not installed); the QUIC download against the same transfer in real-time mode.
 */
final class FirstRunSection implements Section {
    /** The ns-3 script, relative to the project root (the suite's working directory). */
    static final Path NS3_SCRIPT = Paths.get("netty-virtual-benchmarks", "ns3", "paced-flow", "run.sh");

    /** ns-3's figures: medians over its runs of the program's own time and of the whole process. */
    private record Ns3(double runMillis, double processMillis, int runs, String error) {}

    @Override
    public void run(ShortSuite suite) throws Exception {
        boolean full = suite.full();
        Report md = suite.report();
        int forks = full ? 30 : 10;
        List<RunResult> first = Jmh.run(Jmh.options(FirstRunBenchmark.class, suite.out(), "jmh-FirstRunBenchmark.json")
                .forks(forks)
                .warmupIterations(0)
                .measurementIterations(1));
        List<RunResult> steady =
                Jmh.run(Jmh.options(FirstRunBenchmark.class, suite.out(), "jmh-FirstRunBenchmark-steady.json")
                        .param("scenario", "paced")
                        .forks(1)
                        .warmupIterations(full ? 50 : 30)
                        .measurementIterations(10));
        double quicSteady = suite.figure(QuicSection.STEADY_EXACT_MILLIS);
        boolean ranQuic = !Double.isNaN(quicSteady);
        if (!ranQuic) {
            quicSteady = Jmh.median(
                    Jmh.find(
                            Jmh.run(Jmh.options(
                                            QuicTransferBenchmark.class,
                                            suite.out(),
                                            "jmh-QuicTransferBenchmark-steady.json")
                                    .param("transport", "virtual")
                                    .forks(1)
                                    .warmupIterations(QuicTransferBenchmark.WARMUPS)
                                    .measurementIterations(10)),
                            "transport",
                            "virtual"),
                    null);
        }
        RunResult realTime = Jmh.find(
                Jmh.run(Jmh.options(QuicTransferBenchmark.class, suite.out(), "jmh-QuicTransferBenchmark-realtime.json")
                        .param("transport", "realtime")
                        .forks(1)
                        .warmupIterations(1)
                        .measurementIterations(full ? 5 : 2)),
                "transport",
                "realtime");
        Ns3 ns3 = ns3(full ? 10 : 5);

        List<Double> paced = Jmh.scores(Jmh.find(first, "scenario", "paced"));
        List<Double> quic = Jmh.scores(Jmh.find(first, "scenario", "quic"));
        double pacedFirst = Jmh.median(paced);
        double quicFirst = Jmh.median(quic);
        double pacedSteady = Jmh.median(Jmh.find(steady, "scenario", "paced"), null);
        double real = Jmh.median(realTime, null);

        md.text("## 6. The first run, and the wall-clock yardsticks\n\n");
        md.text("What a test sees: the scenario once in a fresh JVM (JMH single shot, no warm-up, one shot per fork, "
                + forks + " forks; the JVM's default heap; leak detection off). Paced flow: 1,200 B datagrams "
                + "paced by a timer at 12 Mbit/s into a 10 Mbit/s, 50 ms wire (default queue) for 60 s of virtual "
                + "time, network built and closed inside the shot; steady state: the same in one JVM after "
                + (full ? 50 : 30) + " warm-up shots. QUIC: section 5's exact-wire 10 MiB download (network, "
                + "codecs, handshake and transfer inside the shot); steady state: section 5's exact-wire figure"
                + (ranQuic
                        ? ""
                        : " (measured here: " + QuicTransferBenchmark.WARMUPS + " warm-ups, 10 shots, one fork)")
                + ". Yardsticks: "
                + "ns-3 3.37 running the same paced flow (`ns3/paced-flow/`, its own time from building the "
                + "topology to the end of the run, median of " + ns3.runs + " processes; the whole process's in "
                + "brackets), and the same QUIC transfer on the wall clock (this project's real-time mode, the "
                + "same 10 Mbit/s, 50 ms wire; one warm-up, " + (full ? 5 : 2) + " shots).\n\n");
        md.text("| scenario | virtual first run (median, min-max) | virtual steady state | first / steady "
                + "| yardstick | yardstick / first run | yardstick / steady state | goal |\n");
        md.text("|---|---:|---:|---:|---|---:|---:|---|\n");

        String pacedGoal = ns3.error != null
                ? md.notJudged(Goals.PACED_FIRST_NS3, ns3.error)
                : Double.isNaN(pacedFirst)
                        ? md.missed(Goals.PACED_FIRST_NS3, "the first-run benchmark did not run")
                        : md.judge(
                                Goals.PACED_FIRST_NS3,
                                ns3.runMillis / pacedFirst,
                                "virtual first run " + Report.ms(pacedFirst) + ", ns-3 " + Report.ms(ns3.runMillis));
        md.line(
                "| paced flow, 60 s virtual | %s | %s | %s | ns-3: %s | %s | %s | %s |",
                range(paced),
                Report.ms(pacedSteady),
                Report.ratio(pacedFirst / pacedSteady),
                ns3.error != null
                        ? "not run (" + ns3.error + ")"
                        : Report.ms(ns3.runMillis) + " (" + Report.ms(ns3.processMillis) + " process)",
                Report.ratio(ns3.runMillis / pacedFirst),
                Report.ratio(ns3.runMillis / pacedSteady),
                pacedGoal);
        md.line(
                "| paced flow, 60 s virtual | %s | %s | %s | a real link: 60,000 ms | %s | %s | information |",
                range(paced),
                Report.ms(pacedSteady),
                Report.ratio(pacedFirst / pacedSteady),
                Report.ratio(60_000 / pacedFirst),
                Report.ratio(60_000 / pacedSteady));
        String quicGoal;
        if (Double.isNaN(real)) {
            quicGoal = md.missed(Goals.QUIC_FIRST, "the real-time run did not finish") + ", "
                    + md.missed(Goals.QUIC_STEADY, "the real-time run did not finish");
        } else {
            String detail = "real-time run " + Report.ms(real);
            quicGoal = "first "
                    + md.judge(
                            Goals.QUIC_FIRST, real / quicFirst, detail + ", virtual first run " + Report.ms(quicFirst))
                    + ", steady "
                    + md.judge(
                            Goals.QUIC_STEADY,
                            real / quicSteady,
                            detail + ", virtual steady state " + Report.ms(quicSteady));
        }
        md.line(
                "| QUIC 10 MiB, 10 Mbit/s, 50 ms, exact | %s | %s | %s | real-time mode: %s | %s | %s | %s |",
                range(quic),
                Report.ms(quicSteady),
                Report.ratio(quicFirst / quicSteady),
                Report.ms(real),
                Report.ratio(real / quicFirst),
                Report.ratio(real / quicSteady),
                quicGoal);
        md.text("\n");
    }

    private static String range(List<Double> xs) {
        return xs.isEmpty()
                ? "n/a"
                : Report.ms(Jmh.median(xs)) + " (" + Report.ms(xs.get(0)) + "-" + Report.ms(xs.get(xs.size() - 1))
                        + ")";
    }

    /** Runs the ns-3 script {@code runs} times (each a fresh process) and parses its lines. */
    private static Ns3 ns3(int runs) {
        if (!Files.isRegularFile(NS3_SCRIPT)) {
            return new Ns3(Double.NaN, Double.NaN, 0, NS3_SCRIPT + " not found (run from the project root)");
        }
        List<Double> run = new ArrayList<>();
        List<Double> process = new ArrayList<>();
        StringBuilder output = new StringBuilder();
        try {
            Process p = new ProcessBuilder("bash", NS3_SCRIPT.toString(), Integer.toString(runs))
                    .redirectErrorStream(true)
                    .start();
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    System.out.println("[ns-3] " + line);
                    output.append(line).append('\n');
                    if (line.startsWith("ns3-paced-flow ")) {
                        run.add(field(line, "total_ms"));
                        process.add(field(line, "process_ms"));
                    }
                }
            }
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return new Ns3(Double.NaN, Double.NaN, 0, "ns-3 did not finish within 10 minutes");
            }
            if (p.exitValue() != 0 || run.isEmpty()) {
                String last = output.toString().trim();
                last = last.substring(last.lastIndexOf('\n') + 1);
                return new Ns3(Double.NaN, Double.NaN, 0, "ns-3 script exited " + p.exitValue() + ": " + last);
            }
        } catch (Exception e) {
            return new Ns3(Double.NaN, Double.NaN, 0, "ns-3 script failed: " + e);
        }
        return new Ns3(Jmh.median(run), Jmh.median(process), run.size(), null);
    }

    private static double field(String line, String name) {
        for (String f : line.split(" ")) {
            if (f.startsWith(name + "=")) {
                return Double.parseDouble(f.substring(name.length() + 1));
            }
        }
        throw new IllegalArgumentException("no " + name + " in: " + line);
    }
}
