package io.nettyvirtual.quic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.testing.quic.Payload;
import io.nettyvirtual.time.TimeMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Threaded mode: the loops have threads of their own and the test blocks the way ordinary Netty code does
 * ({@code sync()}, {@code get()}, a latch), while quiche and the network still run in virtual time.
 */
@EnabledOnOs(
        value = OS.LINUX,
        architectures = {"amd64", "x86_64"})
class QuicThreadedModeTest {
    private static final long RTT = Duration.ofMillis(100).toNanos();

    @Test
    void blockingQuicCodeRunsInVirtualTime() throws Exception {
        try (QuicRig rig = new QuicRig(TimeMode.THREADED, 11).idleTimeout(3_000)) {
            rig.wire(LinkConfig.delayed(Duration.ofMillis(50)).bitsPerSecond(50_000_000));
            rig.start();

            long before = rig.net.clock().nanoTime();
            QuicChannel connection = rig.connectAsync().get(10, TimeUnit.SECONDS);
            rig.connection = connection;
            assertEquals(2 * RTT, rig.net.clock().nanoTime() - before, 2_000_000.0, "the handshake: two round trips");

            // A stream written with sync() and read through a latch.
            CountDownLatch echoed = new CountDownLatch(1);
            AtomicReference<String> reply = new AtomicReference<>("");
            QuicStreamChannel stream = connection
                    .createStream(QuicStreamType.BIDIRECTIONAL, new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ByteBuf b = (ByteBuf) msg;
                            reply.set(reply.get() + b.toString(StandardCharsets.UTF_8));
                            b.release();
                            if (reply.get().length() == 7) {
                                echoed.countDown();
                            }
                        }
                    })
                    .sync()
                    .getNow();
            stream.writeAndFlush(Unpooled.copiedBuffer("Eblocked", StandardCharsets.UTF_8))
                    .sync();
            assertTrue(echoed.await(10, TimeUnit.SECONDS));
            assertEquals("blocked", reply.get());

            assertEquals(RTT, rig.clientPathStats().rtt(), RTT * 0.05, "quiche's RTT, threaded");
            QuicRig.Transfer t = rig.download(1024 * 1024, 5);
            assertEquals(Payload.sha256(5, 1024 * 1024), t.receivedSha256);

            // Idle: the test thread blocks on the close future, and 3 s of virtual silence pass at once.
            long wallStart = System.nanoTime();
            connection.closeFuture().sync();
            assertEquals(
                    rig.clientLastRead + TimeUnit.SECONDS.toNanos(3),
                    rig.net.clock().nanoTime(),
                    2_000_000.0);
            assertTrue(System.nanoTime() - wallStart < TimeUnit.SECONDS.toNanos(2));
            rig.report("threaded: handshake, echo, 1 MiB (" + t + "), idle timeout");
        }
    }

    /**
     * Two threaded networks at once, each built and driven by a thread of its own (a threaded network's clock moves
     * while its building thread waits, so one thread waiting on one network would let the other's clock run on).
     */
    @Test
    void twoNetworksRunningAtOnceEachGiveQuicheTheirOwnClock() throws Exception {
        java.util.concurrent.ExecutorService drivers = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.Future<Long> near = drivers.submit(() -> measureRtt(12, 25));
            java.util.concurrent.Future<Long> far = drivers.submit(() -> measureRtt(13, 150));
            long nearRtt = near.get(60, TimeUnit.SECONDS);
            long farRtt = far.get(60, TimeUnit.SECONDS);
            System.out.printf(
                    "two threaded networks at once: quiche RTT %.1f ms and %.1f ms%n", nearRtt / 1e6, farRtt / 1e6);
            assertEquals(50e6, nearRtt, 50e6 * 0.05);
            assertEquals(300e6, farRtt, 300e6 * 0.05);
        } finally {
            drivers.shutdownNow();
        }
    }

    private static long measureRtt(long seed, long oneWayMillis) throws Exception {
        try (QuicRig rig = new QuicRig(TimeMode.THREADED, seed)) {
            rig.wire(LinkConfig.delayed(Duration.ofMillis(oneWayMillis)));
            rig.start();
            rig.connect();
            for (int i = 0; i < 3; i++) {
                assertEquals("ping", rig.echo("ping"));
            }
            return rig.clientPathStats().rtt();
        }
    }
}
