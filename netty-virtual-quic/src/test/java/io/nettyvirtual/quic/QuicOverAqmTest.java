package io.nettyvirtual.quic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nettyvirtual.network.Wire;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.network.link.QueueDiscipline;
import io.nettyvirtual.network.link.QueueDisciplines;
import io.nettyvirtual.network.link.QueueStats;
import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.testing.quic.Payload;
import io.nettyvirtual.time.TimeMode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * QUIC (quiche's congestion control) through a CoDel and an FQ-CoDel bottleneck of 10 Mbit/s and 50 ms: a 10 MiB
 * download arrives intact, and the AQM keeps the queueing delay a fraction of what the default 1,000-packet FIFO
 * lets it grow to. (With one connection FQ-CoDel has one flow, so it behaves as CoDel.)
 */
@EnabledOnOs(
        value = OS.LINUX,
        architectures = {"amd64", "x86_64"})
class QuicOverAqmTest {
    private static final long SIZE = 10L * 1024 * 1024;

    /** The data direction's queue statistics of one 10 MiB download through {@code qdisc} (null: default FIFO). */
    private static QueueStats download(String name, QueueDiscipline.Factory qdisc) throws Exception {
        try (QuicRig rig = new QuicRig(TimeMode.DETERMINISTIC, 2026)) {
            Wire wire = rig.wire(LinkConfig.delayed(Duration.ofMillis(50))
                    .bitsPerSecond(10_000_000)
                    .queue(qdisc));
            rig.start().connect();
            QuicRig.Transfer t = rig.download(SIZE, 7);
            assertEquals(Payload.sha256(7, SIZE), t.receivedSha256, name + ": SHA-256 of what the client received");
            QueueStats s = wire.bToA().queueStats(); // server to client: the data
            rig.report(name + ": " + t + "; " + s);
            assertTrue(wire.bToA().counters().isBalanced());
            return s;
        }
    }

    @Test
    void downloadsThroughCodelAndFqCodelAreIntactWithAShortQueue() throws Exception {
        QueueStats fifo = download("pfifo 1000", null);
        for (String name : new String[] {"codel", "fq_codel"}) {
            QueueStats s = download(name, name.equals("codel") ? QueueDisciplines.codel() : QueueDisciplines.fqCodel());
            assertTrue(s.drops(DropReason.AQM_DROP) > 0, name + " acted: " + s);
            assertTrue(
                    s.meanSojournNanos() < fifo.meanSojournNanos() / 4,
                    name + " mean queueing delay " + s + " against the FIFO's " + fifo);
            assertTrue(s.maxSojournNanos() < fifo.maxSojournNanos(), name + ": " + s + " against " + fifo);
        }
    }
}
