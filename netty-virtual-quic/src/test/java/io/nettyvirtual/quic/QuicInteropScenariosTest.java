package io.nettyvirtual.quic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.quic.QuicChannel;
import io.netty.util.concurrent.Future;
import io.nettyvirtual.network.Wire;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.testing.quic.Payload;
import io.nettyvirtual.time.TimeMode;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The network cases of the QUIC interop runner (long RTT, handshake loss, transfer loss, blackhole, a path that
 * changes), as deterministic virtual-time tests of Netty's QUIC codec. Each checks that what the client received is
 * what the server sent, and prints what it took in virtual and in wall time.
 */
@EnabledOnOs(
        value = OS.LINUX,
        architectures = {"amd64", "x86_64"})
class QuicInteropScenariosTest {
    private static final long MB = 1024 * 1024;

    private static LinkConfig path(long oneWayMillis, long bitsPerSecond) {
        return LinkConfig.delayed(Duration.ofMillis(oneWayMillis)).bitsPerSecond(bitsPerSecond);
    }

    private static void assertIntact(long size, long seed, String received, QuicRig rig) {
        assertEquals(Payload.sha256(seed, size), received, "what the client received");
        assertEquals(rig.sentDigests.get(rig.sentDigests.size() - 1), received, "what the server sent");
    }

    @Test
    void longRtt() throws Exception {
        try (QuicRig rig = new QuicRig(TimeMode.DETERMINISTIC, 101)) {
            rig.wire(path(375, 10_000_000)); // 750 ms round trip
            rig.start();
            rig.connect();
            assertEquals(2 * 750, rig.virtualMillis(), 5, "the handshake takes two round trips");
            QuicRig.Transfer t = rig.download(MB, 1);
            assertIntact(MB, 1, t.receivedSha256, rig);
            // Slow start from 10 packets needs several round trips of 750 ms.
            assertTrue(t.virtualNanos > TimeUnit.SECONDS.toNanos(3), t::toString);
            rig.report("long RTT (750 ms), 1 MiB: " + t);
        }
    }

    @Test
    void handshakeLoss() throws Exception {
        try (QuicRig rig = new QuicRig(TimeMode.DETERMINISTIC, 102)) {
            rig.wire(path(25, 10_000_000).loss(0.30));
            rig.start();
            int connections = 20;
            for (int i = 0; i < connections; i++) {
                QuicChannel connection = rig.await(rig.connectAsync());
                assertIntact(1024, i, rig.await(rig.downloadAsync(connection, 1024, i)), rig);
                rig.await(connection.close());
            }
            long lost = rig.net.counters().dropped(DropReason.LOSS);
            assertTrue(lost > 20, () -> "lost " + lost + " datagrams: " + rig.net.summary());
            rig.report(connections + " handshakes and 1 KiB downloads at 30% loss (" + lost + " datagrams lost)");
        }
    }

    @Test
    void transferLoss() throws Exception {
        try (QuicRig rig = new QuicRig(TimeMode.DETERMINISTIC, 103)) {
            rig.wire(path(25, 10_000_000).loss(0.02));
            rig.start();
            rig.connect();
            QuicRig.Transfer t = rig.download(MB, 2);
            assertIntact(MB, 2, t.receivedSha256, rig);
            long lost = rig.net.counters().dropped(DropReason.LOSS);
            assertTrue(lost > 0, rig.net::summary);
            rig.report("2% loss, 1 MiB, " + lost + " datagrams lost: " + t);
        }
    }

    @Test
    void blackhole() throws Exception {
        try (QuicRig rig = new QuicRig(TimeMode.DETERMINISTIC, 104)) {
            Wire wire = rig.wire(path(25, 10_000_000));
            rig.start();
            rig.connect();
            long start = rig.net.clock().nanoTime();
            Future<String> download = rig.downloadAsync(rig.connection, 2 * MB, 3);
            rig.net.runFor(Duration.ofMillis(500));
            assertFalse(download.isDone(), "mid-transfer");
            wire.update(c -> c.down(true));
            rig.net.runFor(Duration.ofSeconds(5));
            assertFalse(download.isDone());
            wire.update(c -> c.down(false));
            assertIntact(2 * MB, 3, rig.await(download), rig);
            long took = rig.net.clock().nanoTime() - start;
            assertTrue(took > TimeUnit.MILLISECONDS.toNanos(5500), () -> "took " + took / 1e6 + " ms");
            assertTrue(rig.net.counters().dropped(DropReason.LINK_DOWN) > 0, rig.net::summary);
            assertTrue(rig.connection.isActive(), "the connection survived 5 s of silence");
            rig.report(String.format("blackhole (5 s down), 2 MiB in %.1f ms virtual", took / 1e6));
        }
    }

    @Test
    void pathChangesMidTransfer() throws Exception {
        try (QuicRig rig = new QuicRig(TimeMode.DETERMINISTIC, 105)) {
            Wire wire = rig.wire(path(10, 20_000_000));
            rig.start();
            rig.connect();
            long start = rig.net.clock().nanoTime();
            Future<String> download = rig.downloadAsync(rig.connection, 3 * MB, 4);
            rig.net.runFor(Duration.ofMillis(500));
            long atFirstChange = rig.clientTraceBytesRead();
            // A handover to a slower, longer path: 100 ms one way, 2 Mbit/s.
            wire.update(c -> c.delay(Duration.ofMillis(100)).bytesPerSecond(2_000_000 / 8));
            rig.net.runFor(Duration.ofSeconds(3));
            long slowBytes = rig.clientTraceBytesRead() - atFirstChange;
            // And back to a fast one: 5 ms, 50 Mbit/s.
            wire.update(c -> c.delay(Duration.ofMillis(5)).bytesPerSecond(50_000_000 / 8));
            assertFalse(download.isDone());
            assertIntact(3 * MB, 4, rig.await(download), rig);
            long took = rig.net.clock().nanoTime() - start;
            // 3 s at 2 Mbit/s carry at most 750 kB (plus what was queued at the change).
            assertTrue(slowBytes < 1_000_000, () -> slowBytes + " bytes during the slow phase");
            rig.report(String.format(
                    "path change (20 Mbit/s 10 ms -> 2 Mbit/s 100 ms -> 50 Mbit/s 5 ms), " + "3 MiB in %.1f ms virtual",
                    took / 1e6));
        }
    }
}
