package io.nettyvirtual.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import io.nettyvirtual.bench.support.FloodPair;
import io.nettyvirtual.bench.support.PacedFlow;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs every benchmark body once or twice outside JMH (the real-time QUIC transfer and the first-run QUIC download
 * on an ideal wire, so they take seconds, not the 10 Mbit/s wire's nine), with the smallest parameters, so a
 * broken benchmark fails the build in seconds. Measuring is the job of the benchmarks jar (see the module's README), not of this test.
 */
class BenchmarkSmokeTest {

    @ParameterizedTest
    @CsvSource({
        "virtual, shared",
        "virtual, own",
        "nio, shared",
        "nio, own",
        "epoll, shared",
        "epoll, own",
        "epoll-gso, shared",
        "epoll-gso, own"
    })
    void floodDeliversDatagrams(String transport, String buffers) throws Exception {
        assumeTrue(FloodPair.isAvailable(transport), transport + " is not available here");
        DatagramThroughputBenchmark b = new DatagramThroughputBenchmark();
        b.size = 1200;
        b.transport = transport;
        b.buffers = buffers;
        b.setUp();
        try {
            DatagramThroughputBenchmark.Delivered d = new DatagramThroughputBenchmark.Delivered();
            b.flood(d);
            b.flood(d);
            if (transport.equals("virtual")) {
                assertEquals(2L * DatagramThroughputBenchmark.BATCH, d.delivered, "the virtual flood loses nothing");
            } else {
                assertTrue(d.delivered > 0, "loopback delivered nothing");
            }
        } finally {
            b.tearDown();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "hashing", "last"})
    void floodsWithATraceThatSeesEightEventsPerDatagram(String trace) throws Exception {
        TraceOverheadBenchmark b = new TraceOverheadBenchmark();
        b.trace = trace;
        b.size = 64;
        b.setUp();
        try {
            TraceOverheadBenchmark.Cpu cpu = new TraceOverheadBenchmark.Cpu();
            assertEquals(TraceOverheadBenchmark.BATCH, b.flood(cpu));
            assertEquals(TraceOverheadBenchmark.BATCH, cpu.datagrams);
            assertTrue(cpu.cpuNanos > 0, "CPU time measured");
            assertEquals(trace.equals("none") ? 0 : 8L * TraceOverheadBenchmark.BATCH, b.events());
        } finally {
            b.tearDown();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap", "schedule", "nio"})
    void timersFire(String via) throws Exception {
        ClockBenchmark b = new ClockBenchmark();
        b.pending = 1000;
        b.via = via;
        b.setUp();
        try {
            b.fire();
            assertTrue(b.fired() >= ClockBenchmark.BATCH, b.fired() + " fired");
        } finally {
            b.tearDown();
        }
    }

    @Test
    void floodSaturatesTheWire() {
        VirtualTimeBenchmark b = new VirtualTimeBenchmark();
        b.bitsPerSecond = 10_000_000;
        b.virtualSeconds = 2;
        b.setUp();
        try {
            VirtualTimeBenchmark.Progress p = new VirtualTimeBenchmark.Progress();
            b.run(p);
            assertEquals(2.0, p.virtualSeconds);
            assertTrue(b.utilization() > 0.99, "utilization " + b.utilization());
        } finally {
            b.tearDown();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"virtual", "nio"})
    void scaleProbeRuns(String transport) throws Exception {
        String line = ScaleProbe.run(transport, 200, 1, 1, 0);
        assertTrue(line.startsWith(transport + " 200 ") && line.endsWith(" ok"), line);
    }

    @Test
    void quicTransferDeliversEveryByte() throws Exception {
        QuicTransferBenchmark b = new QuicTransferBenchmark();
        b.transport = "virtual";
        b.wire = "ideal";
        b.setUpTrial();
        try {
            b.setUpTransfer();
            QuicTransferBenchmark.VirtualTime v = new QuicTransferBenchmark.VirtualTime();
            assertEquals(QuicTransferBenchmark.SIZE, b.transfer(v));
            b.tearDownTransfer();
        } finally {
            b.tearDownTrial();
        }
    }

    @Test
    void epollGsoFloodOfEightKilobytesArrivesWhole() throws Exception {
        assumeTrue(FloodPair.isAvailable("epoll-gso"), "UDP GSO is not available here");
        FloodPair pair = FloodPair.create("epoll-gso", 8192, true);
        pair.flood(64);
        pair.close(); // the loops have terminated: the sink's two counters are read at rest
        long delivered = pair.sink().datagrams();
        assertTrue(delivered > 0 && delivered <= 64, delivered + " delivered of 64");
        assertEquals(delivered * 8192, pair.sink().bytes(), "every datagram counted at 8 KB, GRO or not");
    }

    @Test
    void anUnknownFloodTransportIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FloodPair.create("kqueue", 64));
        assertTrue(e.getMessage().contains("kqueue"), e.getMessage());
    }

    @Test
    void pacedFlowFillsTheWireAndTheQueueDrops() {
        PacedFlow.Outcome o = PacedFlow.run(Duration.ofSeconds(2), FirstRunBenchmark.SEED);
        // 12 Mbit/s offered for 2 s: one datagram per 800 us; the 10 Mbit/s wire carries at most 2,083 in 2 s.
        assertTrue(o.sent >= 2500 && o.sent <= 2501, o.toString());
        assertTrue(o.delivered > 1900 && o.delivered <= 2084, o.toString());
        assertEquals(
                o.toString(),
                PacedFlow.run(Duration.ofSeconds(2), FirstRunBenchmark.SEED).toString(),
                "the same seed, the same run");
    }

    @Test
    void firstRunBodiesRun() throws Exception {
        FirstRunBenchmark b = new FirstRunBenchmark();
        b.scenario = "paced";
        b.virtualSeconds = 1;
        b.wire = "ideal";
        b.setUp();
        try {
            assertTrue(b.run() > 900, "paced flow delivered");
        } finally {
            b.tearDown();
        }
        b.scenario = "quic";
        b.setUp();
        try {
            assertEquals(QuicTransferBenchmark.SIZE, b.run());
        } finally {
            b.tearDown();
        }
    }

    @Test
    void quicTransferInRealTimeDeliversEveryByte() throws Exception {
        QuicTransferBenchmark b = new QuicTransferBenchmark();
        b.transport = "realtime";
        b.wire = "ideal";
        b.setUpTrial();
        try {
            b.setUpTransfer();
            assertEquals(QuicTransferBenchmark.SIZE, b.transfer(new QuicTransferBenchmark.VirtualTime()));
            b.tearDownTransfer();
        } finally {
            b.tearDownTrial();
        }
    }

    @Test
    void goalsJudgeBothWays() {
        assertTrue(Goals.FLOOD_64_NIO.met(10.0));
        assertFalse(Goals.FLOOD_64_NIO.met(9.99));
        assertTrue(Goals.SCALE_100K.met(0.99));
        assertFalse(Goals.SCALE_100K.met(1.0));
        Report r = new Report();
        assertEquals("**missed**", r.judge(Goals.PACED_FIRST_NS3, 1.5, "ns-3 300 ms"));
        assertTrue(
                r.markdown()
                        .contains("paced flow 60 s, first run: ns-3 run / virtual: 1.50x (goal ≥2x), "
                                + "ns-3 300 ms **MISSED**"),
                r.markdown());
    }

    @Test
    void quicDownloadFailsOnADamagedByte() {
        ByteBuf payload = Unpooled.buffer(64).writeZero(64);
        Promise<Long> done = ImmediateEventExecutor.INSTANCE.newPromise();
        EmbeddedChannel ch = new EmbeddedChannel(new QuicTransferBenchmark.Download(payload, done));
        try {
            ch.writeInbound(Unpooled.buffer(32).writeZero(32));
            assertFalse(done.isDone(), "the first 32 bytes match");
            ch.writeInbound(Unpooled.buffer(32).writeZero(31).writeByte(1));
            assertTrue(done.cause() instanceof IllegalStateException, String.valueOf(done.cause()));
            assertTrue(
                    done.cause().getMessage().contains("offset 32"),
                    done.cause().getMessage());
        } finally {
            ch.finishAndReleaseAll();
            payload.release();
        }
    }
}
