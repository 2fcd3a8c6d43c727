package io.nettyvirtual.testing.report;

import static io.nettyvirtual.testing.Nets.addr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.Channel;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.channel.VirtualEventLoopGroup;
import io.nettyvirtual.network.Host;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.stats.PacketCounters;
import io.nettyvirtual.testing.Nets;
import io.nettyvirtual.testing.Recorder;
import io.nettyvirtual.time.TimeMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkRecorderTest {
    @TempDir
    Path dir;

    /** 200 datagrams of 1000 B at once into a 1 Mbit/s, 20 ms link with a 50-packet queue and 5% loss. */
    private static final class Burst implements AutoCloseable {
        final VirtualNetwork net;
        final Recorder rec;
        final NetworkRecorder recorder;

        Burst(long seed, boolean record) {
            net = VirtualNetwork.create(seed);
            recorder = record ? NetworkRecorder.start(net, Duration.ofMillis(10)) : null;
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net, 1);
            Host a = net.newHost("a", "10.0.0.1"), b = net.newHost("b", "10.0.0.2");
            net.newWire(
                    a,
                    b,
                    LinkConfig.delayed(Duration.ofMillis(20))
                            .bitsPerSecond(1_000_000)
                            .queuePackets(50)
                            .loss(0.05));
            rec = new Recorder(net.clock());
            Nets.bind(net, group, addr("10.0.0.2", 7), rec);
            Channel sender = Nets.bind(net, group, addr("10.0.0.1", 9), new Recorder(net.clock()));
            sender.eventLoop()
                    .schedule(
                            () -> {
                                for (int i = 0; i < 200; i++) {
                                    sender.write(Nets.sized(1000, addr("10.0.0.2", 7)));
                                }
                                sender.flush();
                            },
                            5,
                            TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            net.close();
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T get(Object json, String key) {
        return (T) ((Map<String, Object>) json).get(key);
    }

    @Test
    void theRecorderDoesNotChangeTheRun() {
        long withEnd;
        long withoutEnd;
        int withCount;
        int withoutCount;
        try (Burst with = new Burst(3, true)) {
            with.net.runUntilIdle();
            withEnd = with.net.clock().nanoTime();
            withCount = with.rec.count();
        }
        try (Burst without = new Burst(3, false)) {
            without.net.runUntilIdle();
            withoutEnd = without.net.clock().nanoTime();
            withoutCount = without.rec.count();
        }
        assertEquals(withoutEnd, withEnd, "runUntilIdle ends at the same virtual instant");
        assertEquals(withoutCount, withCount);
    }

    @Test
    void theDataShowTheBacklogTheGoodputAndTheDropsOverVirtualTime() {
        try (Burst run = new Burst(3, true)) {
            run.net.runUntilIdle();
            long end = run.net.clock().nanoTime();
            Object json = Json.parse(run.recorder.json());
            assertEquals(3.0, (double) get(json, "seed"));
            assertEquals("DETERMINISTIC", get(json, "mode"));
            assertEquals(10_000_000.0, (double) get(json, "intervalNanos"));
            List<Double> times = get(json, "times");
            // a sample at the first instant at or past every 10 ms of virtual time (the link delivers every 8 ms,
            // so within 8 ms of it), up to the end of the run
            assertEquals(0.0, times.get(0));
            for (int i = 1; i < times.size(); i++) {
                assertTrue(times.get(i) >= i * 10.0 && times.get(i) < i * 10.0 + 8, "sample " + i + ": " + times);
            }
            assertTrue(end / 1e6 - times.get(times.size() - 1) < 10, "the last sample at " + end);
            assertTrue(times.size() > 40, "samples: " + times.size()); // 51 packets of 8 ms each get through the queue

            List<Object> links = get(json, "links");
            assertEquals(2, links.size());
            Object ab = links.get(0);
            assertTrue(((String) get(ab, "name")).contains("a"), (String) get(ab, "name"));
            List<Double> backlog = get(ab, "backlogPackets");
            List<Double> goodput = get(ab, "goodputBitsPerSecond");
            assertEquals(times.size(), backlog.size());
            assertEquals(times.size(), goodput.size());
            assertNull(backlog.get(0), "the wire was made after the recorder's first sample");
            assertNull(goodput.get(0));
            double maxBacklog = backlog.stream()
                    .skip(1)
                    .mapToDouble(Double::doubleValue)
                    .max()
                    .orElseThrow();
            assertTrue(maxBacklog >= 40 && maxBacklog <= 50, "a 50-packet queue filled: " + maxBacklog);
            assertEquals(0.0, backlog.get(backlog.size() - 1));
            // while the queue drains the link delivers at most its rate, and most of it after 5% loss
            // each sample's goodput covers the interval ending at it: together they add up to what the link
            // delivered; from 30 to 400 ms the queue is draining, at the link's rate less the 5% loss
            double bits = 0;
            double busyBits = 0;
            double busyFrom = -1;
            double busyTo = 0;
            for (int i = 1; i < times.size(); i++) {
                double b = goodput.get(i) * (times.get(i) - times.get(i - 1)) / 1000;
                bits += b;
                if (times.get(i) > 30 && times.get(i) <= 400) {
                    busyFrom = busyFrom < 0 ? times.get(i - 1) : busyFrom;
                    busyTo = times.get(i);
                    busyBits += b;
                }
            }
            PacketCounters link = run.net.wires().get(0).aToB().counters();
            assertEquals(link.deliveredBytes() * 8.0, bits, 1.0 * times.size());
            double busy = busyBits / ((busyTo - busyFrom) / 1000);
            assertTrue(busy > 850_000 && busy <= 1_000_000, "goodput while the queue drains: " + busy);

            Map<String, List<Double>> drops = get(json, "drops");
            assertEquals(DropReason.values().length, drops.size());
            PacketCounters c = run.net.counters();
            for (DropReason r : DropReason.values()) {
                List<Double> series = drops.get(r.name());
                for (int i = 1; i < series.size(); i++) {
                    assertTrue(series.get(i) >= series.get(i - 1), r + " is cumulative");
                }
                assertEquals((double) c.dropped(r), series.get(series.size() - 1), r.name());
            }
            assertTrue(c.dropped(DropReason.QUEUE_FULL) > 0 && c.dropped(DropReason.LOSS) > 0, c.toString());

            List<Object> counters = get(json, "counters");
            Object network = counters.get(0);
            assertEquals("network", get(network, "name"));
            assertEquals((double) c.sent(), (double) get(network, "sent"));
            assertEquals((double) c.delivered(), (double) get(network, "delivered"));
            assertEquals(Boolean.TRUE, get(network, "balanced"));
            assertEquals((double) c.dropped(DropReason.LOSS), (double) get(get(network, "droppedBy"), "LOSS"));
        }
    }

    @Test
    void aQuietStretchIsRecordedByItsFirstAndLastSample() {
        try (VirtualNetwork net = VirtualNetwork.create(1)) {
            NetworkRecorder recorder = NetworkRecorder.start(net, Duration.ofMillis(1));
            net.scheduler().schedule(() -> {}, 1, TimeUnit.HOURS);
            net.runUntilIdle();
            List<Double> times = get(Json.parse(recorder.json()), "times");
            assertEquals(List.of(0.0, 3_600_000.0), times);
        }
    }

    @Test
    void aThreadedNetworkIsSampledWhenAsked() {
        try (VirtualNetwork net =
                VirtualNetwork.builder().mode(TimeMode.THREADED).seed(1).build()) {
            NetworkRecorder recorder = NetworkRecorder.start(net, Duration.ofMillis(1));
            net.runFor(Duration.ofMillis(5));
            recorder.sample();
            assertEquals(2, recorder.sampleCount());
        }
    }

    @Test
    void badArgumentsAreRejectedNamingThem() {
        try (VirtualNetwork net = VirtualNetwork.create(1)) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> NetworkRecorder.start(net, Duration.ZERO));
            assertTrue(e.getMessage().contains("interval: PT0S"), e.getMessage());
        }
        VirtualNetwork closed = VirtualNetwork.create(1);
        closed.close();
        assertThrows(IllegalStateException.class, () -> NetworkRecorder.start(closed, Duration.ofMillis(1)));
    }

    @Test
    void theReportIsOnePageWithTheChartingLibraryInlineAndTheDataEmbedded() throws IOException {
        Path file;
        String json;
        try (Burst run = new Burst(3, true)) {
            run.net.runUntilIdle();
            json = run.recorder.json();
            file = run.recorder.writeHtml(dir.resolve("sub/burst.html"), "a burst <into> a 1 Mbit/s queue");
        }
        String html = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("<title>a burst &lt;into&gt; a 1 Mbit/s queue</title>"));
        assertFalse(
                Pattern.compile("<(script|link)[^>]+(src|href)=").matcher(html).find(),
                "nothing is loaded from elsewhere");
        assertTrue(html.contains("uPlot"), "uPlot inlined");
        Matcher m = Pattern.compile(
                        "<script id=\"nettyvirtual-data\" type=\"application/json\">(.*?)</script>", Pattern.DOTALL)
                .matcher(html);
        assertTrue(m.find());
        assertEquals(json, m.group(1));
        Json.parse(m.group(1));
        assertTrue(html.contains("<td>network</td>"), "the counters table");
    }

    @Test
    void theChartsDrawInAHeadlessBrowser() throws Exception {
        String chromium = Chromium.find();
        assumeTrue(chromium != null, "chromium is not installed (Debian package chromium)");
        Path file;
        try (Burst run = new Burst(3, true)) {
            run.net.runUntilIdle();
            file = run.recorder.writeHtml(dir.resolve("burst.html"), "burst");
        }
        String dom = Chromium.dumpDom(chromium, file);
        Matcher m = Pattern.compile("id=\"nettyvirtual-status\"[^>]*").matcher(dom);
        assertTrue(m.find(), "status element in " + dom.substring(0, Math.min(500, dom.length())));
        String status = m.group();
        assertFalse(status.contains("data-error"), status);
        assertTrue(status.contains("data-charts-drawn=\"3\""), status);
        assertNotNull(dom);
    }
}
