package io.nettyvirtual.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.nettyvirtual.stats.DropReason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pcap files read back: nanosecond timestamps, IPv4 and IPv6 headers with their checksums, payloads, drops. */
class PcapWriterTest {
    static final InetSocketAddress A4 = new InetSocketAddress("10.0.0.1", 49152);
    static final InetSocketAddress B4 = new InetSocketAddress("10.0.0.2", 53);
    static final InetSocketAddress A6 = new InetSocketAddress("fd00::1", 40000);
    static final InetSocketAddress B6 = new InetSocketAddress("fd00::2", 4433);

    @TempDir
    Path dir;

    static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Checks one record against what was written: addresses, ports, lengths, both checksums, payload bytes. */
    static void assertPacket(
            CaptureFile.Record r,
            long time,
            InetSocketAddress from,
            InetSocketAddress to,
            byte[] payload,
            int hopLimit,
            int trafficClass) {
        assertEquals(time, r.timeNanos, "timestamp");
        CaptureFile.Ip ip = r.ip();
        assertEquals(from, ip.sender());
        assertEquals(to, ip.recipient());
        assertEquals(hopLimit, ip.hopLimit);
        assertEquals(trafficClass, ip.trafficClass);
        assertEquals(8 + payload.length, ip.udpLength());
        assertEquals(ip.version == 4 ? 28 + payload.length : 8 + payload.length, ip.lengthField);
        assertEquals(ip.header + 8 + payload.length, r.originalLength);
        assertEquals(r.originalLength, r.data.length);
        assertTrue(ip.ipChecksumOk(), "IPv4 header checksum");
        assertNotEquals(0, ip.udpChecksum(), "UDP checksum present");
        assertTrue(ip.udpChecksumOk(), "UDP checksum");
        assertArrayEquals(payload, ip.payload());
    }

    @Test
    void ipv4RecordsCarryExactVirtualTimestampsAndVerifiableChecksums() throws IOException {
        Path file = dir.resolve("a.pcap");
        byte[] odd = random(1201, 1);
        long[] times = {0, 1_000_000_007L, 3_600_000_000_123L};
        try (PcapWriter w = PcapWriter.open(file)) {
            ByteBuf p0 = text("query");
            ByteBuf p1 = Unpooled.wrappedBuffer(odd);
            ByteBuf p2 = Unpooled.EMPTY_BUFFER;
            w.write(times[0], A4, B4, p0);
            w.write(times[1], B4, A4, p1, 1, 0b101110_01); // DSCP EF, ECT(1)
            w.write(times[2], A4, B4, p2, 255, 3); // CE
            assertEquals(0, p0.readerIndex());
            assertEquals(1, p0.refCnt());
            assertEquals(odd.length, p1.readableBytes());
            assertEquals(3, w.packets());
            p0.release();
            p1.release();
        }
        CaptureFile f = CaptureFile.read(file);
        assertEquals("pcap-ns", f.format);
        assertEquals(101, f.interfaces.get(0).linkType);
        assertEquals(CaptureWriter.DEFAULT_SNAP_LENGTH, f.snapLength);
        assertEquals(3, f.records.size());
        assertPacket(f.records.get(0), times[0], A4, B4, "query".getBytes(StandardCharsets.UTF_8), 64, 0);
        assertPacket(f.records.get(1), times[1], B4, A4, odd, 1, 0b101110_01);
        assertPacket(f.records.get(2), times[2], A4, B4, new byte[0], 255, 3);
        // The file's own bytes: little-endian nanosecond magic.
        byte[] head = Arrays.copyOf(Files.readAllBytes(file), 4);
        assertArrayEquals(new byte[] {0x4d, 0x3c, (byte) 0xb2, (byte) 0xa1}, head);
    }

    @Test
    void ipv6RecordsHaveTrafficClassHopLimitAndTheMandatoryChecksum() throws IOException {
        Path file = dir.resolve("v6.pcap");
        byte[] payload = random(777, 2);
        try (PcapWriter w = PcapWriter.open(file)) {
            ByteBuf direct = ByteBufAllocator.DEFAULT.directBuffer().writeBytes(payload);
            w.write(42, A6, B6, direct, 7, 0xb8 | 2); // EF, ECT(0)
            w.write(43, B6, A6, direct);
            direct.release();
        }
        CaptureFile f = CaptureFile.read(file);
        assertPacket(f.records.get(0), 42, A6, B6, payload, 7, 0xba);
        assertPacket(f.records.get(1), 43, B6, A6, payload, 64, 0);
    }

    @Test
    void onlyTheReadableBytesAreCapturedWhateverTheBufferKind() throws IOException {
        Path file = dir.resolve("kinds.pcap");
        byte[] all = random(3001, 3);
        ByteBuf heap = Unpooled.wrappedBuffer(all);
        heap.readerIndex(11); // a consumed prefix: not part of the datagram
        CompositeByteBuf composite = Unpooled.compositeBuffer();
        composite.addComponents(true, Unpooled.wrappedBuffer(all, 0, 5), Unpooled.wrappedBuffer(all, 5, 2996));
        try (PcapWriter w = PcapWriter.open(file)) {
            w.write(1, A4, B4, heap);
            w.write(2, A4, B4, composite);
            w.write(3, A4, B4, heap.slice(100, 1)); // one byte: the odd-byte padding of the checksum
        }
        assertEquals(11, heap.readerIndex());
        heap.release();
        composite.release();
        CaptureFile f = CaptureFile.read(file);
        assertPacket(f.records.get(0), 1, A4, B4, Arrays.copyOfRange(all, 11, all.length), 64, 0);
        assertPacket(f.records.get(1), 2, A4, B4, all, 64, 0);
        assertPacket(f.records.get(2), 3, A4, B4, new byte[] {all[100]}, 64, 0);
    }

    @Test
    void theSnapLengthCutsRecordsAndKeepsTheOriginalLength() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] payload = random(500, 4);
        try (PcapWriter w = new PcapWriter(out, null, 100)) {
            ByteBuf b = Unpooled.wrappedBuffer(payload);
            w.write(5, A4, B4, b);
            b.release();
        }
        Path file = Files.write(dir.resolve("snap.pcap"), out.toByteArray());
        CaptureFile f = CaptureFile.read(file);
        assertEquals(100, f.snapLength);
        CaptureFile.Record r = f.records.get(0);
        assertEquals(100, r.data.length);
        assertEquals(528, r.originalLength);
        CaptureFile.Ip ip = r.ip();
        assertEquals(528, ip.lengthField);
        assertEquals(508, ip.udpLength());
        assertTrue(ip.ipChecksumOk());
        assertArrayEquals(Arrays.copyOf(payload, 72), ip.payload());
    }

    @Test
    void aDatagramNoIpPacketCarriesIsCutToTheLargestOneWithItsTrueLength() throws IOException {
        Path file = dir.resolve("big.pcap");
        byte[] payload = random(70_000, 5);
        try (PcapWriter w = PcapWriter.open(file)) {
            ByteBuf b = Unpooled.wrappedBuffer(payload);
            w.write(9, A4, B4, b);
            w.write(10, A6, B6, b);
            b.release();
        }
        CaptureFile f = CaptureFile.read(file);
        CaptureFile.Record v4 = f.records.get(0);
        assertEquals(70_028, v4.originalLength);
        assertEquals(65_535, v4.data.length);
        assertEquals(65_535, v4.ip().lengthField);
        assertEquals(65_535, v4.ip().udpLength());
        assertTrue(v4.ip().ipChecksumOk());
        assertArrayEquals(Arrays.copyOf(payload, 65_535 - 28), v4.ip().payload());
        CaptureFile.Record v6 = f.records.get(1);
        assertEquals(70_048, v6.originalLength);
        assertEquals(65_535 + 40, v6.data.length);
        assertEquals(65_535, v6.ip().lengthField);
    }

    @Test
    void manyLargeRecordsSurviveTheStagingBuffer() throws IOException {
        Path file = dir.resolve("many.pcap");
        int n = 40;
        try (PcapWriter w = PcapWriter.open(file)) {
            for (int i = 0; i < n; i++) {
                ByteBuf b = Unpooled.wrappedBuffer(random(60_000 + i, i));
                w.write(i * 1_000L, i % 2 == 0 ? A4 : A6, i % 2 == 0 ? B4 : B6, b);
                b.release();
            }
        }
        CaptureFile f = CaptureFile.read(file);
        assertEquals(n, f.records.size());
        for (int i = 0; i < n; i++) {
            assertPacket(
                    f.records.get(i),
                    i * 1_000L,
                    i % 2 == 0 ? A4 : A6,
                    i % 2 == 0 ? B4 : B6,
                    random(60_000 + i, i),
                    64,
                    0);
        }
    }

    @Test
    void aRecordAllocatesNothing() throws IOException {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(
                mx instanceof com.sun.management.ThreadMXBean, "this JVM does not count allocated bytes per thread");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) mx;
        ByteBuf heap = Unpooled.wrappedBuffer(random(1200, 8));
        ByteBuf tracked = ByteBufAllocator.DEFAULT.directBuffer(1200).writeBytes(random(1200, 9));
        // The buffer without the leak detector's wrapper, which at PARANOID records every access.
        ByteBuf direct = tracked.unwrap() != null ? tracked.unwrap() : tracked;
        try (PcapWriter pcap = new PcapWriter(
                        java.io.OutputStream.nullOutputStream(),
                        java.io.OutputStream.nullOutputStream(),
                        CaptureWriter.DEFAULT_SNAP_LENGTH);
                PcapNgWriter pcapng = new PcapNgWriter(java.io.OutputStream.nullOutputStream(), "if0")) {
            int n = 20_000;
            long allocated = 0;
            for (int round = 0; round < 2; round++) { // the first round warms up (class loading, caches)
                long before =
                        threads.getThreadAllocatedBytes(Thread.currentThread().getId());
                for (int i = 0; i < n; i++) {
                    pcap.write(i, A4, B4, heap);
                    pcap.writeDropped(i, A6, B6, direct, 64, 0, DropReason.LOSS);
                    pcapng.write(i, A6, B6, direct);
                    pcapng.writeDropped(i, A4, B4, heap, DropReason.QUEUE_FULL);
                }
                allocated =
                        threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            }
            long perRecord = allocated / (4L * n);
            assertEquals(0, perRecord, allocated + " bytes allocated for " + 4 * n + " records");
        } finally {
            heap.release();
            tracked.release();
        }
    }

    @Test
    void dropsGoToTheDropFile() throws IOException {
        Path file = dir.resolve("wire.pcap");
        Path drops = dir.resolve("wire-drops.pcap");
        ByteBuf b = text("lost");
        try (PcapWriter w = PcapWriter.open(file, drops)) {
            w.write(1, A4, B4, b);
            w.writeDropped(2, A4, B4, b, DropReason.LOSS);
            w.writeDropped(3, B6, A6, b, 9, 1, DropReason.QUEUE_FULL);
            assertEquals(1, w.packets());
            assertEquals(2, w.drops());
        }
        assertEquals(1, b.refCnt());
        b.release();
        CaptureFile packets = CaptureFile.read(file);
        CaptureFile dropped = CaptureFile.read(drops);
        assertEquals(1, packets.records.size());
        assertEquals(2, dropped.records.size());
        byte[] lost = "lost".getBytes(StandardCharsets.UTF_8);
        assertPacket(dropped.records.get(0), 2, A4, B4, lost, 64, 0);
        assertPacket(dropped.records.get(1), 3, B6, A6, lost, 9, 1);
    }

    @Test
    void badInputFailsEarlyNamingTheValue() throws IOException {
        ByteBuf b = text("x");
        try (PcapWriter w = PcapWriter.open(dir.resolve("bad.pcap"))) {
            assertMessage("timeNanos: -1", assertThrows(IllegalArgumentException.class, () -> w.write(-1, A4, B4, b)));
            assertMessage(
                    "different address families",
                    assertThrows(IllegalArgumentException.class, () -> w.write(0, A4, B6, b)));
            assertMessage(
                    "unresolved",
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> w.write(0, InetSocketAddress.createUnresolved("example.com", 1), B4, b)));
            assertMessage(
                    "hopLimit: 256", assertThrows(IllegalArgumentException.class, () -> w.write(0, A4, B4, b, 256, 0)));
            assertMessage(
                    "trafficClass: -1",
                    assertThrows(IllegalArgumentException.class, () -> w.write(0, A4, B4, b, 1, -1)));
            assertMessage(
                    "no drop file",
                    assertThrows(IllegalStateException.class, () -> w.writeDropped(0, A4, B4, b, DropReason.LOSS)));
            assertThrows(NullPointerException.class, () -> w.write(0, A4, null, b));
            assertThrows(NullPointerException.class, () -> w.write(0, A4, B4, null));
            assertMessage(
                    "32-bit seconds",
                    assertThrows(IllegalArgumentException.class, () -> w.write(Long.MAX_VALUE, A4, B4, b)));
            assertEquals(0, w.packets());
            w.close();
            assertMessage("closed", assertThrows(IllegalStateException.class, () -> w.write(0, A4, B4, b)));
        }
        assertMessage(
                "snapLength: 47",
                assertThrows(
                        IllegalArgumentException.class, () -> new PcapWriter(new ByteArrayOutputStream(), null, 47)));
        assertEquals(0, CaptureFile.read(dir.resolve("bad.pcap")).records.size(), "rejected packets leave no record");
        b.release();
    }

    static void assertMessage(String part, Throwable t) {
        assertTrue(t.getMessage().contains(part), () -> "'" + t.getMessage() + "' does not say '" + part + "'");
    }
}
