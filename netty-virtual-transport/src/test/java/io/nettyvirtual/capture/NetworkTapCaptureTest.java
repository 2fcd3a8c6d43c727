package io.nettyvirtual.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.nettyvirtual.channel.EcnDatagramPacket;
import io.nettyvirtual.network.link.LinkConfig;
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
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NetworkCapture} on the network's taps: a lossy link's capture read back shows every datagram as it entered
 * the link and each loss at the exact virtual time the link lost it, with reason {@code LOSS}; a node and the whole
 * network get one interface per element; the same seed writes the same bytes.
 */
class NetworkTapCaptureTest {
    private static final long MS = 1_000_000L;
    private static final int COUNT = 20;
    private static final int SIZE = 1000;

    @TempDir
    Path dir;

    /** 20 datagrams of 1000 bytes at 3 ms over a 10 ms, 8 Mbit/s (1 ms per datagram) link losing 30%. */
    private Recorder lossyRun(Path file, long seed, long[] lost) throws IOException {
        try (NetworkCapture capture = NetworkCapture.open(file);
                TwoHosts net = new TwoHosts(
                        seed,
                        LinkConfig.delayed(Duration.ofMillis(10))
                                .bitsPerSecond(8_000_000)
                                .loss(0.3))) {
            net.wire.aToB().addTap(capture);
            net.net.runFor(Duration.ofMillis(3));
            net.send(COUNT, SIZE);
            net.net.runUntilIdle();
            lost[0] = net.wire.aToB().counters().dropped(DropReason.LOSS);
            assertEquals(COUNT + lost[0], capture.packets() + capture.drops());
            assertEquals(lost[0], capture.drops());
            return net.rec;
        }
    }

    @Test
    void aLossyLinkShowsEveryPacketAsItEntersAndEachLossWhenItHappens() throws IOException {
        Path file = dir.resolve("lossy.pcapng");
        long[] lost = new long[1];
        Recorder delivered = lossyRun(file, 42, lost);
        assertTrue(lost[0] >= 2 && lost[0] <= COUNT - 2, lost[0] + " lost: the seed should lose some, not all");
        assertEquals(COUNT - lost[0], delivered.count());

        // Datagram i ends serializing at 4 + i ms and arrives 10 ms later: those that did not arrive were lost then.
        TreeSet<Long> arrived = new TreeSet<>();
        for (Recorder.Arrival a : delivered.arrivals) {
            arrived.add(a.nanos);
        }
        List<Long> lossTimes = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            long end = (4 + i) * MS;
            if (!arrived.remove(end + 10 * MS)) {
                lossTimes.add(end);
            }
        }
        assertEquals(List.of(), new ArrayList<>(arrived), "arrivals off the 1 ms serialization grid");
        assertEquals(lost[0], lossTimes.size());

        CaptureFile f = CaptureFile.read(file);
        assertEquals(1, f.interfaces.size());
        assertEquals("wire1 a->b", f.interfaces.get(0).name);
        assertEquals(9, f.interfaces.get(0).tsresol);
        byte[] payload = new byte[SIZE];
        ByteBuf expected = Nets.sized(SIZE, TwoHosts.B).content();
        expected.getBytes(0, payload);
        expected.release();
        List<Long> seenLosses = new ArrayList<>();
        int entered = 0;
        for (CaptureFile.Record r : f.records) {
            assertEquals(0, r.interfaceId);
            if (r.comment == null) {
                PcapWriterTest.assertPacket(r, 3 * MS, TwoHosts.A, TwoHosts.B, payload, 64, 0);
                entered++;
            } else {
                assertEquals("dropped: LOSS", r.comment);
                PcapWriterTest.assertPacket(r, r.timeNanos, TwoHosts.A, TwoHosts.B, payload, 64, 0);
                seenLosses.add(r.timeNanos);
            }
        }
        assertEquals(COUNT, entered, "every datagram as it entered the link, at 3 ms");
        assertEquals(lossTimes, seenLosses, "each loss at the virtual time its serialization ended");
    }

    @Test
    void theSameSeedWritesTheSameCapture() throws IOException {
        Path first = dir.resolve("first.pcapng");
        Path second = dir.resolve("second.pcapng");
        long[] lost = new long[1];
        lossyRun(first, 7, lost);
        lossyRun(second, 7, lost);
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
    }

    @Test
    void aNodeAndTheWholeNetworkHaveOneInterfacePerElement() throws IOException {
        Path node = dir.resolve("node.pcapng");
        Path all = dir.resolve("all.pcapng");
        try (NetworkCapture b = NetworkCapture.open(node);
                NetworkCapture whole = NetworkCapture.open(all);
                TwoHosts net = new TwoHosts(3, LinkConfig.delayed(Duration.ofMillis(10)))) {
            net.b.addTap(b);
            net.net.addTap(whole);
            net.send(2, 100);
            net.net.runUntilIdle();
            assertEquals(2, net.rec.count());
            assertEquals(2, b.packets());
            // Each datagram enters a, the link and b; the elements no packet reached have no interface.
            assertEquals(6, whole.packets());
            assertEquals(3, whole.interfaces());
        }
        CaptureFile bf = CaptureFile.read(node);
        assertEquals(1, bf.interfaces.size());
        assertEquals("b", bf.interfaces.get(0).name);
        assertEquals(2, bf.records.size());
        for (CaptureFile.Record r : bf.records) {
            assertEquals(10 * MS, r.timeNanos, "entered b when it came off the wire");
            assertNull(r.comment);
        }
        CaptureFile af = CaptureFile.read(all);
        List<String> names = new ArrayList<>();
        for (CaptureFile.Interface i : af.interfaces) {
            names.add(i.name);
        }
        assertEquals(List.of("a", "wire1 a->b", "b"), names, "in the order the packets reached them");
        List<String> seen = new ArrayList<>();
        for (CaptureFile.Record r : af.records) {
            seen.add(r.timeNanos / MS + " " + names.get(r.interfaceId));
        }
        assertEquals(List.of("0 a", "0 wire1 a->b", "0 a", "0 wire1 a->b", "10 b", "10 b"), seen);
    }

    @Test
    void aClosedCaptureRecordsNothingMore() throws IOException {
        Path file = dir.resolve("closed.pcapng");
        try (TwoHosts net = new TwoHosts(5, LinkConfig.delayed(Duration.ofMillis(1)))) {
            NetworkCapture capture = NetworkCapture.open(file);
            net.wire.aToB().addTap(capture);
            net.send(1, 10);
            net.net.runUntilIdle();
            capture.close();
            capture.close();
            net.send(1, 10);
            net.net.runUntilIdle();
            assertEquals(2, net.rec.count());
            assertEquals(1, capture.packets());
            capture.flush(); // closed: nothing to write, no failure to report
        }
        assertEquals(1, CaptureFile.read(file).records.size());
        assertEquals(1, CaptureFile.read(file).interfaces.size());
    }

    @Test
    void aRecordCarriesThePacketsEcnCodepoint() throws IOException {
        Path file = dir.resolve("ecn.pcapng");
        try (NetworkCapture capture = NetworkCapture.open(file);
                TwoHosts net = new TwoHosts(9, LinkConfig.delayed(Duration.ofMillis(1)))) {
            net.wire.aToB().addTap(capture);
            ByteBuf one = Unpooled.wrappedBuffer(new byte[] {1});
            net.sender.write(new EcnDatagramPacket(one, TwoHosts.B, EcnDatagramPacket.ECT_0));
            net.sender.writeAndFlush(
                    new EcnDatagramPacket(Unpooled.wrappedBuffer(new byte[] {2}), TwoHosts.B, EcnDatagramPacket.ECT_1));
            net.net.runUntilIdle();
            assertEquals(2, net.rec.count());
        }
        CaptureFile f = CaptureFile.read(file);
        assertEquals(2, f.records.size());
        PcapWriterTest.assertPacket(
                f.records.get(0), 0, TwoHosts.A, TwoHosts.B, new byte[] {1}, 64, EcnDatagramPacket.ECT_0);
        PcapWriterTest.assertPacket(
                f.records.get(1), 0, TwoHosts.A, TwoHosts.B, new byte[] {2}, 64, EcnDatagramPacket.ECT_1);
    }

    @Test
    void aSnapLengthTooSmallIsRefusedByName() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> NetworkCapture.open(dir.resolve("x.pcapng"), 10));
        assertTrue(e.getMessage().contains("snapLength: 10"), e.getMessage());
    }
}
