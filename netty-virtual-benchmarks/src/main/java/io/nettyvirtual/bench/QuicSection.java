package io.nettyvirtual.bench;

import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;

/**
 * 5. {@link QuicTransferBenchmark} at steady state: virtual (exact and slotted wire) against unshaped NIO loopback,
 * an information row since issue 18 (the goals' yardstick, the same transfer on the wall clock, is section 6's).
 * Leaves the exact wire's wall time to section 6 as {@link #STEADY_EXACT_MILLIS}.
 */
final class QuicSection implements Section {
    static final String STEADY_EXACT_MILLIS = "quic.steady.exact.ms";

    @Override
    public void run(ShortSuite suite) throws Exception {
        boolean full = suite.full();
        Report md = suite.report();
        List<RunResult> rs = Jmh.run(quic(suite, "jmh-QuicTransferBenchmark.json"));
        List<RunResult> one = Jmh.run(quic(suite, "jmh-QuicTransferBenchmark-one-loop.json")
                .param("transport", "nio")
                .param("nioLoops", "1"));
        RunResult v = Jmh.find(rs, "transport", "virtual");
        RunResult vs = Jmh.find(rs, "transport", "virtual-slotted");
        double nw = Jmh.median(Jmh.find(rs, "transport", "nio"), null);
        double n1w = Jmh.median(Jmh.find(one, "transport", "nio"), null);
        suite.figure(STEADY_EXACT_MILLIS, Jmh.median(v, null));
        md.text("## 5. QUIC: a 10 MiB download, steady state\n\n");
        md.text("Netty's QUIC codec, one connection, one stream, handshake included; the server sends slices of "
                + "a 10 MiB payload made once, the client compares every byte it receives with it; same handlers on "
                + "both sides. Virtual: deterministic network, one wire of 10 Mbit/s and "
                + "50 ms one-way delay, quiche on the virtual clock; *exact*: every packet delivered at its arrival "
                + "time, one read each (quiche then acknowledges nearly every packet); *slotted*: the same wire "
                + "delivering in " + QuicTransferBenchmark.SLOT.toMillis() + " ms slots (`LinkConfig.slot`, "
                + "tc-netem's slot: Wi-Fi aggregation, cellular grants), one read burst per slot. Real: "
                + "NioDatagramChannel on 127.0.0.1, two loops, and one loop (the thread count "
                + "of the virtual run), no shaping: information rows (loopback is bounded by quiche's own work); "
                + "the goals' yardstick, the same transfer on the wall clock, is in section 6. Wall time per "
                + "transfer (JMH single shot, " + QuicTransferBenchmark.WARMUPS + " warm-ups, " + (full ? 3 : 2)
                + " forks, median of all shots; Netty leak detection off).\n\n");
        md.text("| wire | virtual wall | virtual time | NIO loopback wall, two loops | loopback / virtual "
                + "| NIO loopback wall, one loop | one loop / virtual |\n");
        md.text("|---|---:|---:|---:|---:|---:|---:|\n");
        row(md, "10 Mbit/s, 50 ms, exact", v, nw, n1w);
        row(md, "10 Mbit/s, 50 ms, " + QuicTransferBenchmark.SLOT.toMillis() + " ms slots", vs, nw, n1w);
        md.text("\n");
    }

    /** Two forks at least, and the median over all their shots: one JVM's JIT can land differently. */
    private static ChainedOptionsBuilder quic(ShortSuite suite, String json) {
        return Jmh.options(QuicTransferBenchmark.class, suite.out(), json)
                .forks(suite.full() ? 3 : 2)
                .warmupIterations(QuicTransferBenchmark.WARMUPS)
                .measurementIterations(suite.full() ? 20 : 10);
    }

    private static void row(Report md, String wire, RunResult v, double loopbackWall, double oneLoopWall) {
        double vw = Jmh.median(v, null);
        double vt = Jmh.median(v, "virtualMillis");
        md.line(
                "| %s | %s | %s | %s | %s | %s | %s |",
                wire,
                Report.ms(vw),
                Report.ms(vt),
                Report.ms(loopbackWall),
                Report.ratio(loopbackWall / vw),
                Report.ms(oneLoopWall),
                Report.ratio(oneLoopWall / vw));
    }
}
