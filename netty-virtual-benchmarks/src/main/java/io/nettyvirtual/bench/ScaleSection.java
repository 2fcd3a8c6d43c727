package io.nettyvirtual.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** 4. {@link ScaleProbe}: channels on one switch, each size in fresh JVMs under -Xmx1g. */
final class ScaleSection implements Section {
    /** Medians of one probe's runs. */
    private record Probe(double setupMillis, double heapPerChannel, double rate, double heapAfterPerChannel) {}

    private final List<String> notes = new ArrayList<>();

    @Override
    public void run(ShortSuite suite) throws Exception {
        boolean full = suite.full();
        Report md = suite.report();
        notes.clear();
        md.text("## 4. Scale: channels on one switch\n\n");
        md.text("Each size in a fresh JVM with -Xmx1g. Virtual: a host per channel plugged into one switch, one "
                + "loop. NIO: NioDatagramChannels on 127.0.0.1, two loops (Java heap only; kernel socket memory not "
                + "counted; 100,000 exceeds this machine's open-file limit and one address's ports). Throughput: "
                + "every channel sends one 64 B datagram to the next per round.\n\n");
        md.text("| channels | virtual setup | NIO setup | virtual heap/channel | NIO heap/channel | "
                + "virtual dgram/s | NIO dgram/s | ratio | goal |\n");
        md.text("|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        int repeats = full ? 3 : 1;
        for (int n : new int[] {1_000, 10_000, 100_000}) {
            Probe v = probe(full, "virtual", n, repeats);
            Probe r = n <= 10_000 ? probe(full, "nio", n, repeats) : null;
            String goal = "";
            if (n == 100_000) {
                goal = v == null
                        ? md.missed(Goals.SCALE_100K, "the probe failed under -Xmx1g")
                        : md.judge(
                                Goals.SCALE_100K,
                                v.heapAfterPerChannel * n / (1024.0 * 1024 * 1024),
                                "run under -Xmx1g");
            }
            md.line(
                    "| %,d | %s | %s | %s | %s | %s | %s | %s | %s |",
                    n,
                    v == null ? "n/a" : Report.ms(v.setupMillis),
                    r == null ? "n/a" : Report.ms(r.setupMillis),
                    bytes(v),
                    bytes(r),
                    v == null ? "n/a" : Report.si(v.rate),
                    r == null ? "n/a" : Report.si(r.rate),
                    v != null && r != null ? Report.ratio(v.rate / r.rate) : "n/a",
                    goal);
        }
        for (String note : notes) {
            md.text("\n- " + note);
        }
        md.text("\n\n");
    }

    private static String bytes(Probe p) {
        return p == null ? "n/a" : String.format(Locale.ROOT, "%,.0f B", p.heapPerChannel);
    }

    /** Runs ScaleProbe {@code repeats} times in fresh JVMs; medians of setup, heap and rate; null if it failed. */
    private Probe probe(boolean full, String transport, int n, int repeats) throws Exception {
        int timeoutSeconds = full ? 900 : 120;
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
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                Files.delete(log);
                notes.add(String.format(
                        Locale.ROOT, "%s with %,d channels did not finish within %d s", transport, n, timeoutSeconds));
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
        return new Probe(Jmh.median(setup), Jmh.median(heap), Jmh.median(rate), Jmh.median(heapAfter));
    }
}
