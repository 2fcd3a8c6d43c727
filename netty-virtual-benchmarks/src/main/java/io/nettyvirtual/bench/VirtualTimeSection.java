package io.nettyvirtual.bench;

import java.util.List;
import org.openjdk.jmh.results.RunResult;

/** 3. {@link VirtualTimeBenchmark}: virtual seconds per wall second of a saturating flow. */
final class VirtualTimeSection implements Section {
    @Override
    public void run(ShortSuite suite) throws Exception {
        boolean full = suite.full();
        Report md = suite.report();
        List<RunResult> rs = Jmh.run(Jmh.throughput(VirtualTimeBenchmark.class, suite.out(), 1, full ? 5 : 3, 1)
                .param("bitsPerSecond", "10000000")
                .param("virtualSeconds", "60"));
        rs.addAll(Jmh.run(Jmh.throughput(VirtualTimeBenchmark.class, suite.out(), 1, full ? 5 : 3, 1)
                .param("bitsPerSecond", "1000000000")
                .param("virtualSeconds", full ? "60" : "2")));
        md.text("## 3. Virtual-time speed-up: a saturating UDP flow\n\n");
        md.text("1,200-byte datagrams over a wire with 50 ms one-way delay, deterministic mode; a real link of "
                + "the same rate runs at 1 virtual second per wall second.\n\n");
        md.text("| wire | virtual s per invocation | virtual s / wall s | delivered dgram/s (wall) | goal |\n");
        md.text("|---|---:|---:|---:|---|\n");
        for (RunResult r : rs) {
            long bps = Long.parseLong(Jmh.param(r, "bitsPerSecond"));
            double speed = Jmh.median(r, "virtualSeconds");
            double dg = Jmh.median(r, "delivered");
            String goal = bps == 10_000_000L ? md.judge(Goals.VIRTUAL_TIME_10M, speed, "") : "";
            md.line(
                    "| %s, 50 ms | %s | %.1f | %s | %s |",
                    bps >= 1_000_000_000L ? bps / 1_000_000_000L + " Gbit/s" : bps / 1_000_000L + " Mbit/s",
                    Jmh.param(r, "virtualSeconds"),
                    speed,
                    Report.si(dg),
                    goal);
        }
        md.text("\n");
    }
}
