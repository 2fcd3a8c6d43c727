package io.nettyvirtual.quic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.util.concurrent.Future;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.testing.quic.Payload;
import io.nettyvirtual.time.TimeMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Real-time mode: the same QUIC code on the same topology, on the wall clock (quiche reads the real clock, as it
 * does without this library), over a 50 ms, 10 Mbit/s path that loses 2% of datagrams each way.
 */
@EnabledOnOs(
        value = OS.LINUX,
        architectures = {"amd64", "x86_64"})
class QuicRealTimeTest {
    private static final long IDLE_MILLIS = 2_000;

    @Test
    void quicOverALossyDelayedLimitedPathInRealTime() throws Exception {
        try (QuicRig rig = new QuicRig(TimeMode.REAL_TIME, 21).idleTimeout(IDLE_MILLIS)) {
            assertFalse(QuicVirtualTime.isEnabled(rig.net), "real time: quiche keeps the real clock");
            rig.wire(LinkConfig.delayed(Duration.ofMillis(50))
                    .bitsPerSecond(10_000_000)
                    .loss(0.02));
            rig.start();

            long t0 = System.nanoTime();
            QuicChannel connection = rig.connect();
            long handshake = System.nanoTime() - t0;
            assertTrue(handshake >= TimeUnit.MILLISECONDS.toNanos(195), () -> "handshake in " + handshake / 1e6);
            System.out.printf("real time: handshake %.1f ms%n", handshake / 1e6);

            assertEquals("real time", rig.echo("real time"));

            long t1 = System.nanoTime();
            List<Future<byte[]>> echoes = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                echoes.add(rig.echoAsync(connection, ("stream " + i).getBytes(StandardCharsets.UTF_8)));
            }
            for (int i = 0; i < 100; i++) {
                assertEquals("stream " + i, new String(rig.await(echoes.get(i)), StandardCharsets.UTF_8));
            }
            System.out.printf("real time: 100 streams %.1f ms%n", (System.nanoTime() - t1) / 1e6);

            QuicRig.Transfer t = rig.download(10L << 20, 9);
            assertEquals(Payload.sha256(9, 10L << 20), t.receivedSha256);
            assertEquals(t.sentSha256, t.receivedSha256);
            System.out.println("real time: 10 MiB " + t);

            // quiche measured the path on the real clock: 100 ms plus queueing.
            long rtt = rig.clientPathStats().rtt();
            assertTrue(
                    rtt >= TimeUnit.MILLISECONDS.toNanos(95) && rtt < TimeUnit.MILLISECONDS.toNanos(400),
                    () -> "rtt " + rtt / 1e6 + " ms");

            ByteBuf reason = connection.alloc().buffer().writeBytes("bye".getBytes(StandardCharsets.US_ASCII));
            rig.await(connection.close(true, 0, reason));
            rig.await(rig.serverConnections.get(0).closeFuture());

            // Idle timeout on the wall clock.
            QuicChannel idle = rig.connect();
            assertEquals(
                    "then silence",
                    new String(
                            rig.await(rig.echoAsync(idle, "then silence".getBytes(StandardCharsets.UTF_8))),
                            StandardCharsets.UTF_8));
            rig.await(idle.closeFuture());
            long sinceRead = rig.net.clock().nanoTime() - rig.clientLastRead;
            assertTrue(
                    sinceRead >= TimeUnit.MILLISECONDS.toNanos(IDLE_MILLIS - 5)
                            && sinceRead < TimeUnit.MILLISECONDS.toNanos(IDLE_MILLIS + 1_000),
                    () -> "closed " + sinceRead / 1e6 + " ms after the last datagram");
            System.out.printf("real time: idle timeout %.1f ms after the last datagram%n", sinceRead / 1e6);
            rig.report("real time: handshake, echo, 100 streams, 10 MiB, close, idle timeout");
        }
    }
}
