package io.nettyvirtual.quic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nettyvirtual.network.Wire;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.stats.PacketCounters;
import io.nettyvirtual.testing.quic.Payload;
import io.nettyvirtual.time.TimeMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** A 10 MB download over a 10 Mbit/s, 50 ms wire, in virtual time: intact, as slow as the wire, and replayable. */
@EnabledOnOs(
        value = OS.LINUX,
        architectures = {"amd64", "x86_64"})
class QuicTransferTest {
    private static final long SIZE = 10L * 1024 * 1024;
    private static final long SEED = 2026;

    private static final class Run {
        QuicRig.Transfer transfer;
        long completedAt;
        List<String> trace;
        String summary;
    }

    private static Run download() throws Exception {
        try (QuicRig rig = new QuicRig(TimeMode.DETERMINISTIC, SEED)) {
            rig.wire(LinkConfig.delayed(Duration.ofMillis(50)).bitsPerSecond(10_000_000));
            rig.start().connect();
            Run run = new Run();
            run.transfer = rig.download(SIZE, 7);
            run.completedAt = rig.net.clock().nanoTime();
            run.trace = new ArrayList<>(rig.clientTrace);
            run.summary = rig.net.summary();
            rig.report("10 MiB download, " + run.transfer);
            return run;
        }
    }

    @Test
    void tenMegabytesArriveIntactAtTheWiresPaceAndTheSameSeedReplaysTheRun() throws Exception {
        Run first = download();
        QuicRig.Transfer t = first.transfer;
        assertEquals(Payload.sha256(7, SIZE), t.receivedSha256, "SHA-256 of what the client received");
        assertEquals(t.sentSha256, t.receivedSha256, "SHA-256 of what the server sent");
        // 10 MiB through 10 Mbit/s is 8.4 s of serialization alone, before QUIC's headers and the ramp-up.
        assertTrue(t.virtualNanos >= TimeUnit.SECONDS.toNanos(8), t::toString);
        assertTrue(t.virtualNanos < TimeUnit.SECONDS.toNanos(12), t::toString);

        Run second = download();
        assertEquals(first.completedAt, second.completedAt, "same seed, same virtual completion time");
        assertEquals(first.trace, second.trace, "same seed, same datagrams at the same times");
        assertEquals(first.summary, second.summary);
    }

    /**
     * On an exactly timed link every packet is its own read and quiche acknowledges nearly each; a slotted link
     * ({@link LinkConfig#slot}) delivers a slot's packets as one read burst, which quiche acknowledges once.
     */
    @Test
    void aSlottedLinkDeliversInBurstsThatQuicheAcknowledgesOnce() throws Exception {
        long size = 2L * 1024 * 1024;
        PacketCounters[] exact =
                downloadOver(LinkConfig.delayed(Duration.ofMillis(50)).bitsPerSecond(10_000_000), size);
        PacketCounters[] slotted = downloadOver(
                LinkConfig.delayed(Duration.ofMillis(50))
                        .bitsPerSecond(10_000_000)
                        .slot(Duration.ofMillis(4)),
                size);
        long dataPackets = size / 1200;
        assertTrue(exact[0].sent() > dataPackets, "exact: an ACK for nearly every data packet: " + exact[0]);
        assertTrue(
                slotted[0].sent() < exact[0].sent() / 3,
                "slotted: one ACK per slot: " + slotted[0] + " against exact " + exact[0]);
        assertTrue(
                slotted[1].sent() < exact[1].sent(),
                "slotted: fuller data packets: " + slotted[1] + " against exact " + exact[1]);
    }

    /** Client-to-server and server-to-client counters of one download over a wire of {@code config}. */
    private static PacketCounters[] downloadOver(LinkConfig config, long size) throws Exception {
        try (QuicRig rig = new QuicRig(TimeMode.DETERMINISTIC, SEED)) {
            Wire wire = rig.wire(config);
            rig.start().connect();
            QuicRig.Transfer t = rig.download(size, 7);
            assertEquals(Payload.sha256(7, size), t.receivedSha256, "SHA-256 of what the client received");
            // 2 MiB through 10 Mbit/s is 1.68 s of serialization alone.
            assertTrue(t.virtualNanos >= 1_680_000_000L && t.virtualNanos < 3_000_000_000L, t::toString);
            rig.report(config + ": " + t);
            return new PacketCounters[] {wire.aToB().counters(), wire.bToA().counters()};
        }
    }
}
