package io.nettyvirtual.quic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicConnectionPathStats;
import io.netty.util.concurrent.Future;
import io.nettyvirtual.network.Wire;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.time.TimeMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Netty's QUIC codec, unchanged, on a deterministic virtual network whose clock quiche reads too: the handshake,
 * streams, closing, and the behaviour that depends on quiche's clock (RTT, idle timeout, PTO).
 */
@EnabledOnOs(
        value = OS.LINUX,
        architectures = {"amd64", "x86_64"})
class QuicInVirtualTimeTest {
    private static final Duration ONE_WAY = Duration.ofMillis(50);
    private static final long RTT_NANOS = 2 * ONE_WAY.toNanos();

    /** Client and server on a switch, 25 ms on each side: 50 ms one way. */
    private static QuicRig switched(long seed) throws Exception {
        QuicRig rig = new QuicRig(TimeMode.DETERMINISTIC, seed);
        LinkConfig half = LinkConfig.delayed(ONE_WAY.dividedBy(2)).bitsPerSecond(100_000_000);
        rig.viaSwitch(half, half);
        return rig;
    }

    @Test
    void handshakeAndEchoOverASwitch() throws Exception {
        try (QuicRig rig = switched(1).start()) {
            QuicChannel connection = rig.connect();
            assertTrue(connection.isActive());
            // One round trip for the Initials, one for the Handshake flight: 2 RTTs plus serialization.
            assertEquals(2 * RTT_NANOS, rig.net.clock().nanoTime(), 1_000_000.0);
            rig.report("handshake");
            assertEquals(1, rig.serverConnections.size());

            assertEquals("hello, virtual quic", rig.echo("hello, virtual quic"));
            byte[] big = new byte[100_000];
            Arrays.fill(big, (byte) 'x');
            assertArrayEquals(big, rig.await(rig.echoAsync(connection, big)));
            rig.report("echo");
        }
    }

    @Test
    void hundredConcurrentStreams() throws Exception {
        try (QuicRig rig = switched(2).start()) {
            QuicChannel connection = rig.connect();
            long before = rig.net.clock().nanoTime();
            List<Future<byte[]>> echoes = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                echoes.add(rig.echoAsync(
                        connection, ("stream " + i + " ").repeat(50).getBytes(StandardCharsets.UTF_8)));
            }
            for (int i = 0; i < 100; i++) {
                assertEquals(
                        ("stream " + i + " ").repeat(50), new String(rig.await(echoes.get(i)), StandardCharsets.UTF_8));
            }
            // All at once: a few round trips, not a hundred.
            long took = rig.net.clock().nanoTime() - before;
            assertTrue(took < 5 * RTT_NANOS, () -> "100 echoes took " + took / 1e6 + " ms");
            rig.report("100 streams");
        }
    }

    @Test
    void cleanClose() throws Exception {
        try (QuicRig rig = switched(3).start()) {
            QuicChannel connection = rig.connect();
            assertEquals("bye", rig.echo("bye"));
            QuicChannel server = rig.serverConnections.get(0);
            AtomicLong serverSawClose = new AtomicLong(-1);
            List<QuicConnectionCloseEvent> closeEvents = new ArrayList<>();
            server.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                    if (evt instanceof QuicConnectionCloseEvent) {
                        closeEvents.add((QuicConnectionCloseEvent) evt);
                        serverSawClose.set(rig.net.clock().nanoTime());
                    }
                    ctx.fireUserEventTriggered(evt);
                }
            });

            long closing = rig.net.clock().nanoTime();
            ByteBuf reason = connection.alloc().buffer().writeBytes("done".getBytes(StandardCharsets.US_ASCII));
            rig.await(connection.close(true, 42, reason));
            assertFalse(connection.isOpen());
            rig.await(server.closeFuture());

            // The server hears the application's close one way later, with its code; it is not an idle timeout.
            assertEquals(1, closeEvents.size());
            assertTrue(closeEvents.get(0).isApplicationClose());
            assertEquals(42, closeEvents.get(0).error());
            assertEquals(closing + ONE_WAY.toNanos(), serverSawClose.get(), 1_000_000.0);
            assertTrue(rig.net.clock().nanoTime() - closing < TimeUnit.SECONDS.toNanos(2));
            rig.report("clean close");

            // The UDP channel outlives the connection: a second one works.
            rig.connect();
            assertEquals("again", rig.echo("again"));
        }
    }

    @Test
    void idleTimeoutFiresAtItsVirtualDeadline() throws Exception {
        long idle = TimeUnit.SECONDS.toNanos(5);
        try (QuicRig rig =
                switched(4).idleTimeout(TimeUnit.NANOSECONDS.toMillis(idle)).start()) {
            QuicChannel connection = rig.connect();
            assertEquals("then silence", rig.echo("then silence"));
            long wallStart = System.nanoTime();
            rig.await(connection.closeFuture());
            long closedAt = rig.net.clock().nanoTime();
            long wall = System.nanoTime() - wallStart;

            // quiche restarts its idle timer when a datagram arrives (and when it sends the first ack-eliciting
            // packet after that, which the client did not do here: it only acknowledged). The deadline is exact.
            long last = rig.clientLastRead;
            assertEquals(last + idle, closedAt, "closed at " + closedAt / 1e6 + " ms, last datagram at " + last / 1e6);
            assertTrue(wall < idle / 10, () -> "waited " + wall / 1e6 + " ms of wall time for a 5 s idle timeout");
            rig.report("idle timeout");
        }
    }

    @Test
    void quicheMeasuresTheConfiguredRtt() throws Exception {
        try (QuicRig rig = switched(5).start()) {
            rig.connect();
            for (int i = 0; i < 5; i++) {
                assertEquals("ping " + i, rig.echo("ping " + i));
            }
            QuicConnectionPathStats path = rig.clientPathStats();
            QuicConnectionPathStats serverPath =
                    rig.await(rig.serverConnections.get(0).collectPathStats(0));
            System.out.printf(
                    "quiche RTT over a 100 ms path: client %.3f ms, server %.3f ms%n",
                    path.rtt() / 1e6, serverPath.rtt() / 1e6);
            assertEquals(RTT_NANOS, path.rtt(), RTT_NANOS * 0.05, path.toString());
            assertEquals(RTT_NANOS, serverPath.rtt(), RTT_NANOS * 0.05, serverPath.toString());
        }
    }

    @Test
    void aDroppedFirstInitialCompletesAfterAPto() throws Exception {
        try (QuicRig rig = new QuicRig(TimeMode.DETERMINISTIC, 6)) {
            Wire wire = rig.wire(LinkConfig.delayed(ONE_WAY));
            AtomicInteger initials = new AtomicInteger();
            wire.aToB()
                    .update(c -> c.filter(packet -> {
                        ByteBuf b = packet.content();
                        int first = b.getUnsignedByte(b.readerIndex());
                        boolean initial = (first & 0x80) != 0 && (first & 0x30) == 0; // long header, type Initial (v1)
                        return initial && initials.incrementAndGet() == 1;
                    }));
            rig.start();
            long wallStart = System.nanoTime();
            QuicChannel connection = rig.connect();
            long at = rig.net.clock().nanoTime();
            long wall = System.nanoTime() - wallStart;

            assertTrue(connection.isActive());
            assertEquals(1, rig.net.counters().dropped(DropReason.FILTERED), rig.net.summary());
            // quiche's first PTO with no RTT sample yet: 3 x 333 ms initial RTT = 999 ms, then the two round trips
            // of the handshake. Netty's 30 s connect timeout is nowhere near.
            assertTrue(
                    at >= TimeUnit.MILLISECONDS.toNanos(999) + 2 * RTT_NANOS
                            && at < TimeUnit.MILLISECONDS.toNanos(1500),
                    () -> "handshake done at " + at / 1e6 + " ms");
            assertTrue(wall < TimeUnit.MILLISECONDS.toNanos(900), () -> "took " + wall / 1e6 + " ms of wall time");
            rig.report("handshake after a lost Initial");
            assertEquals("recovered", rig.echo("recovered"));
        }
    }
}
