package io.nettyvirtual.quic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nettyvirtual.network.Wire;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.network.link.MarkReason;
import io.nettyvirtual.network.link.QueueDiscipline;
import io.nettyvirtual.network.link.QueueDisciplines;
import io.nettyvirtual.network.link.QueueStats;
import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.testing.quic.Payload;
import io.nettyvirtual.time.TimeMode;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * QUIC (quiche's CUBIC) through a CoDel and an FQ-CoDel bottleneck of 10 Mbit/s and 50 ms: a 10 MiB download arrives
 * intact, and the queueing delay is what CoDel promises. Not a mean near the 5 ms target over the whole download:
 * slow start overshoots (up to 162 ms) and quiche's CUBIC undoes ("rolls back" as spurious) every window reduction
 * after which fewer than 20% of its window was lost, so it hardly backs off until CoDel's drop rate has grown for
 * about 3 s (docs/qdiscs.md has the figures). What CoDel keeps: the median sojourn under the target over the whole
 * download, and once the sender responds (the second half of the download) the median under the target, the mean
 * within twice it and no packet waiting more than 50 ms. (With one connection FQ-CoDel has one flow: it behaves as
 * CoDel.)
 */
@EnabledOnOs(
        value = OS.LINUX,
        architectures = {"amd64", "x86_64"})
class QuicOverAqmTest {
    private static final long SIZE = 10L * 1024 * 1024;
    private static final long MS = 1_000_000;
    private static final long TARGET = 5 * MS;

    /** A discipline whose context records each departing packet's time and sojourn, in departure order. */
    private static final class Recorder implements QueueDiscipline.Factory {
        final QueueDiscipline.Factory inner;
        long[] times = new long[1024];
        long[] sojourns = new long[1024];
        int n;

        Recorder(QueueDiscipline.Factory inner) {
            this.inner = inner;
        }

        @Override
        public QueueDiscipline create(QueueDiscipline.Context ctx) {
            return inner.create(new QueueDiscipline.Context() {
                @Override
                public long now() {
                    return ctx.now();
                }

                @Override
                public SplittableRandom random() {
                    return ctx.random();
                }

                @Override
                public long bytesPerSecond() {
                    return ctx.bytesPerSecond();
                }

                @Override
                public void drop(Packet p, DropReason reason) {
                    ctx.drop(p, reason);
                }

                @Override
                public boolean mark(Packet p, MarkReason reason) {
                    return ctx.mark(p, reason);
                }

                @Override
                public void departed(long sojournNanos) {
                    if (n == times.length) {
                        times = Arrays.copyOf(times, 2 * n);
                        sojourns = Arrays.copyOf(sojourns, 2 * n);
                    }
                    times[n] = ctx.now();
                    sojourns[n++] = sojournNanos;
                    ctx.departed(sojournNanos);
                }
            });
        }

        /** The sojourns of the packets that left at or after {@code from}, sorted. */
        long[] sortedFrom(long from) {
            int i = 0;
            while (i < n && times[i] < from) {
                i++;
            }
            long[] s = Arrays.copyOfRange(sojourns, i, n);
            Arrays.sort(s);
            return s;
        }
    }

    private static long quantile(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))];
    }

    private static String ms(long nanos) {
        return String.format("%.2f ms", nanos / 1e6);
    }

    private record Result(QueueStats stats, Recorder data, long endNanos) {}

    /** One 10 MiB download through {@code qdisc} on both directions (null: default FIFO); the data direction's. */
    private static Result download(String name, QueueDiscipline.Factory qdisc) throws Exception {
        Recorder data = qdisc == null ? null : new Recorder(qdisc);
        try (QuicRig rig = new QuicRig(TimeMode.DETERMINISTIC, 2026)) {
            LinkConfig link = LinkConfig.delayed(Duration.ofMillis(50)).bitsPerSecond(10_000_000);
            Wire wire = rig.wire(link.queue(qdisc), link.queue(data));
            rig.start().connect();
            QuicRig.Transfer t = rig.download(SIZE, 7);
            assertEquals(Payload.sha256(7, SIZE), t.receivedSha256, name + ": SHA-256 of what the client received");
            QueueStats s = wire.bToA().queueStats(); // server to client: the data
            rig.report(name + ": " + t + "; " + s);
            assertTrue(wire.bToA().counters().isBalanced());
            return new Result(s, data, rig.net.clock().nanoTime());
        }
    }

    @Test
    void downloadsThroughCodelAndFqCodelAreIntactWithTheQueueCodelPromises() throws Exception {
        QueueStats fifo = download("pfifo 1000", null).stats();
        for (String name : new String[] {"codel", "fq_codel"}) {
            Result r = download(name, name.equals("codel") ? QueueDisciplines.codel() : QueueDisciplines.fqCodel());
            QueueStats s = r.stats();
            assertTrue(s.drops(DropReason.AQM_DROP) > 0, name + " acted: " + s);
            assertTrue(
                    s.meanSojournNanos() < fifo.meanSojournNanos() / 4,
                    name + " mean queueing delay " + s + " against the FIFO's " + fifo);
            assertTrue(s.maxSojournNanos() < fifo.maxSojournNanos(), name + ": " + s + " against " + fifo);
            long[] all = r.data().sortedFrom(0);
            long[] late = r.data().sortedFrom(r.endNanos() / 2);
            double lateMean = Arrays.stream(late).average().orElseThrow();
            String figures = String.format(
                    "%s sojourn: whole download median %s, p90 %s, p99 %s; second half median %s, mean %s, p99 %s,"
                            + " max %s",
                    name,
                    ms(quantile(all, 0.5)),
                    ms(quantile(all, 0.9)),
                    ms(quantile(all, 0.99)),
                    ms(quantile(late, 0.5)),
                    ms((long) lateMean),
                    ms(quantile(late, 0.99)),
                    ms(late[late.length - 1]));
            System.out.println(figures);
            assertEquals(s.departed(), all.length, "every departure recorded");
            assertTrue(quantile(all, 0.5) <= TARGET, figures);
            assertTrue(quantile(late, 0.5) <= TARGET, figures);
            assertTrue(lateMean <= 2 * TARGET, figures);
            assertTrue(late[late.length - 1] <= 50 * MS, figures);
        }
    }
}
