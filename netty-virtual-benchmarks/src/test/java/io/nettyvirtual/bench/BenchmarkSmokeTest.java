package io.nettyvirtual.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs every benchmark body once or twice outside JMH, with the smallest parameters, so a broken benchmark fails
 * the build in seconds. Measuring is the job of the benchmarks jar (see the module's README), not of this test.
 */
class BenchmarkSmokeTest {

    @ParameterizedTest
    @CsvSource({"virtual, shared", "virtual, own", "nio, shared", "nio, own"})
    void floodDeliversDatagrams(String transport, String buffers) throws Exception {
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
