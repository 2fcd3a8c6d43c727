package io.nettyvirtual.bench;

import io.nettyvirtual.bench.support.FloodPair;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.results.RunResult;

/**
 * 1. {@link DatagramThroughputBenchmark}: the flood, virtual against NIO and epoll loopback, every ratio beside the
 * absolute figures it is made of.
 */
final class ThroughputSection implements Section {
    private static final String[] SIZES = {"64", "1200", "8192"};
    private static final String[] REAL = {"nio", "epoll", "epoll-gso"};

    @Override
    public void run(ShortSuite suite) throws Exception {
        boolean full = suite.full();
        Report md = suite.report();
        List<String> transports = new ArrayList<>(List.of("virtual"));
        List<String> missing = new ArrayList<>();
        for (String t : REAL) {
            if (FloodPair.isAvailable(t)) {
                transports.add(t);
            } else {
                missing.add(t);
            }
        }
        List<RunResult> rs = Jmh.run(Jmh.throughput(
                        DatagramThroughputBenchmark.class, suite.out(), full ? 5 : 2, full ? 10 : 3, full ? 2 : 1)
                .param("transport", transports.toArray(new String[0])));
        md.text("## 1. Datagram throughput: one channel floods another\n\n");
        md.text("Delivered datagrams per second. Virtual: ideal wire, deterministic mode, one thread. Real, on "
                + "127.0.0.1, sender and receiver on two loop threads, SO_RCVBUF 4 MiB: NIO "
                + "(`NioDatagramChannel`); epoll (`EpollDatagramChannel`: each burst of 16 in one `sendmmsg`, up to 16 "
                + "per `recvmmsg`); epoll GSO (each burst as one UDP GSO packet of up to 65,000 B, the receiver with "
                + "UDP GRO). Same Flood and Sink handlers. The virtual / epoll ratio is against the faster of the two "
                + "epoll variants.\n\n");
        if (!missing.isEmpty()) {
            md.text("Not available on this machine, so not measured: " + String.join(", ", missing) + ".\n\n");
        }
        md.text("Buffers: `shared`, every datagram a retained duplicate of one payload (the virtual transport copies "
                + "it, as the kernel copies every datagram, because the sender still holds the payload); `own`, a new "
                + "buffer per datagram filled by the sender on every transport (the virtual transport hands it over). "
                + "The goals: 64 B on `shared`, 8 KB on `own`, against NIO and against epoll.\n\n");
        md.text("| size | buffers | virtual dgram/s | NIO dgram/s | epoll dgram/s | epoll GSO dgram/s | virtual / NIO "
                + "| virtual / epoll | NIO drop rate | goal |\n");
        md.text("|---:|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (String buffers : new String[] {"shared", "own"}) {
            for (String size : SIZES) {
                RunResult v = Jmh.find(rs, "size", size, "buffers", buffers, "transport", "virtual");
                RunResult n = Jmh.find(rs, "size", size, "buffers", buffers, "transport", "nio");
                if (v == null) {
                    continue;
                }
                double vd = Jmh.median(v, "delivered");
                double nd = Jmh.median(n, "delivered");
                double ed =
                        Jmh.median(Jmh.find(rs, "size", size, "buffers", buffers, "transport", "epoll"), "delivered");
                double gd = Jmh.median(
                        Jmh.find(rs, "size", size, "buffers", buffers, "transport", "epoll-gso"), "delivered");
                double bestEpoll = Double.isNaN(gd) ? ed : Double.isNaN(ed) ? gd : Math.max(ed, gd);
                String goal = "";
                if (size.equals("64") && buffers.equals("shared")) {
                    goal = judge(md, Goals.FLOOD_64_NIO, Goals.FLOOD_64_EPOLL, vd, nd, bestEpoll);
                } else if (size.equals("8192") && buffers.equals("own")) {
                    goal = judge(md, Goals.FLOOD_8K_NIO, Goals.FLOOD_8K_EPOLL, vd, nd, bestEpoll);
                }
                double sentNio = Jmh.median(n, null);
                md.line(
                        "| %s B | %s | %s | %s | %s | %s | %s | %s | %s | %s |",
                        size,
                        buffers,
                        Report.si(vd),
                        Report.si(nd),
                        Report.si(ed),
                        Report.si(gd),
                        Report.ratio(vd / nd),
                        Report.ratio(vd / bestEpoll),
                        Double.isNaN(sentNio)
                                ? "n/a"
                                : String.format(java.util.Locale.ROOT, "%.1f%%", 100 * Math.max(0, 1 - nd / sentNio)),
                        goal);
            }
        }
        md.text("\n");
    }

    private static String judge(Report md, Goal vsNio, Goal vsEpoll, double virtual, double nio, double epoll) {
        String detail = "virtual " + Report.si(virtual) + " dgram/s";
        String a = Double.isNaN(nio)
                ? md.missed(vsNio, "NIO did not run")
                : md.judge(vsNio, virtual / nio, detail + ", NIO " + Report.si(nio));
        String b = Double.isNaN(epoll)
                ? md.notJudged(vsEpoll, "epoll not available here")
                : md.judge(vsEpoll, virtual / epoll, detail + ", epoll " + Report.si(epoll));
        return "NIO " + a + ", epoll " + b;
    }
}
