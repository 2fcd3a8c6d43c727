package io.nettyvirtual.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.testing.Nets;
import io.nettyvirtual.testing.Recorder;
import io.nettyvirtual.testing.TwoHosts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writers on a running network, fed from a link's filter (which sees every packet entering the link, as the
 * network's taps will): the capture leaves delivery alone, stamps the network's virtual time, keeps the drop with
 * its reason, and a seeded run gives the same file byte for byte.
 */
class NetworkCaptureTest {
    @TempDir
    Path dir;

    /** Five 1000-byte datagrams from a to b over a 10 ms, 8 Mbit/s wire; the third is filtered out. */
    private List<Long> run(Path file, long seed, Recorder[] delivered) throws IOException {
        List<Long> seen = new ArrayList<>();
        try (PcapNgWriter capture = PcapNgWriter.open(file, "a->b");
                TwoHosts net = new TwoHosts(
                        seed, LinkConfig.delayed(Duration.ofMillis(10)).bitsPerSecond(8_000_000))) {
            int[] n = {0};
            net.wire
                    .aToB()
                    .update(c -> c.filter((Packet p) -> {
                        long now = net.net.clock().nanoTime();
                        seen.add(now);
                        boolean drop = ++n[0] == 3;
                        if (drop) {
                            capture.writeDropped(now, p.source(), p.destination(), p.content(), DropReason.FILTERED);
                        } else {
                            capture.write(now, p.source(), p.destination(), p.content());
                        }
                        return drop;
                    }));
            net.net.runFor(Duration.ofMillis(3)); // the capture starts at 3 ms of virtual time
            net.send(5, 1000);
            net.net.runUntilIdle();
            assertEquals(1, net.net.counters().dropped(DropReason.FILTERED));
            assertEquals(4, capture.packets());
            assertEquals(1, capture.drops());
            delivered[0] = net.rec;
        }
        return seen;
    }

    @Test
    void aCaptureOfALinkShowsItsPacketsAndDropAtVirtualTime() throws IOException {
        Path file = dir.resolve("a-b.pcapng");
        Recorder[] delivered = new Recorder[1];
        List<Long> seen = run(file, 42, delivered);

        // Delivery is untouched: four datagrams arrive whole, 1 ms of serialization apart, 10 ms after.
        assertEquals(4, delivered[0].count());
        for (int i = 0; i < 4; i++) {
            Recorder.Arrival a = delivered[0].arrivals.get(i);
            assertEquals(1000, a.size);
            assertEquals(Duration.ofMillis(14 + i).toNanos(), a.nanos, a::toString);
        }
        CaptureFile f = CaptureFile.read(file);
        assertEquals(5, f.records.size());
        byte[] payload = new byte[1000];
        ByteBuf expected = Nets.sized(1000, TwoHosts.B).content();
        expected.getBytes(0, payload);
        expected.release();
        for (int i = 0; i < 5; i++) {
            CaptureFile.Record r = f.records.get(i);
            assertEquals(seen.get(i), r.timeNanos);
            assertEquals(3_000_000L, r.timeNanos, "all five enter the link when they are flushed, at 3 ms");
            PcapWriterTest.assertPacket(r, r.timeNanos, TwoHosts.A, TwoHosts.B, payload, 64, 0);
            if (i == 2) {
                assertEquals("dropped: FILTERED", r.comment);
            } else {
                assertNull(r.comment);
            }
        }
    }

    @Test
    void theSameSeedWritesTheSameFile() throws IOException {
        Path first = dir.resolve("first.pcapng");
        Path second = dir.resolve("second.pcapng");
        run(first, 7, new Recorder[1]);
        run(second, 7, new Recorder[1]);
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
    }
}
