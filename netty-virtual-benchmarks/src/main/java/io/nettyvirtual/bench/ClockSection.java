package io.nettyvirtual.bench;

import java.util.List;
import org.openjdk.jmh.results.RunResult;

/** 2. {@link ClockBenchmark}: timer events per second, the event queue (the goal) and {@code schedule}. */
final class ClockSection implements Section {
    @Override
    public void run(ShortSuite suite) throws Exception {
        boolean full = suite.full();
        Report md = suite.report();
        List<RunResult> rs =
                Jmh.run(Jmh.throughput(ClockBenchmark.class, suite.out(), full ? 5 : 2, full ? 10 : 4, full ? 2 : 1));
        md.text("## 2. Clock and scheduler: timer events per second\n\n");
        md.text("Hold model: every timer that fires schedules itself again, so `pending` timers always wait. "
                + "queue: TimedEvents in the simulation's event queue (param heap; the goal's figure); schedule: "
                + "EventLoop.schedule on a virtual loop (information); NIO: EventLoop.schedule on a real NIO loop, "
                + "always behind (its ceiling).\n\n");
        md.text("| pending | virtual queue ev/s | virtual schedule ev/s | NIO schedule ev/s | queue/NIO | "
                + "schedule/NIO | goal |\n");
        md.text("|---:|---:|---:|---:|---:|---:|---|\n");
        for (String pending : new String[] {"1000", "100000"}) {
            RunResult h = Jmh.find(rs, "pending", pending, "via", "heap");
            RunResult s = Jmh.find(rs, "pending", pending, "via", "schedule");
            RunResult n = Jmh.find(rs, "pending", pending, "via", "nio");
            if (h == null || s == null || n == null) {
                continue;
            }
            double hv = Jmh.median(h, null);
            double sv = Jmh.median(s, null);
            double nv = Jmh.median(n, null);
            String goal = pending.equals("100000")
                    ? md.judge(
                            Goals.QUEUE_100K, hv / 1e6, "for information, EventLoop.schedule " + Report.si(sv) + "/s")
                    : "";
            md.line(
                    "| %,d | %s | %s | %s | %s | %s | %s |",
                    Integer.parseInt(pending),
                    Report.si(hv),
                    Report.si(sv),
                    Report.si(nv),
                    Report.ratio(hv / nv),
                    Report.ratio(sv / nv),
                    goal);
        }
        md.text("\n");
    }
}
