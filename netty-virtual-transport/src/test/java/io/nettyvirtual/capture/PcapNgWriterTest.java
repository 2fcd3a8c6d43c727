package io.nettyvirtual.capture;

import static io.nettyvirtual.capture.PcapWriterTest.A4;
import static io.nettyvirtual.capture.PcapWriterTest.A6;
import static io.nettyvirtual.capture.PcapWriterTest.B4;
import static io.nettyvirtual.capture.PcapWriterTest.B6;
import static io.nettyvirtual.capture.PcapWriterTest.assertMessage;
import static io.nettyvirtual.capture.PcapWriterTest.assertPacket;
import static io.nettyvirtual.capture.PcapWriterTest.random;
import static io.nettyvirtual.capture.PcapWriterTest.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.nettyvirtual.stats.DropReason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pcapng files read back: interfaces with names and nanosecond resolution, packets, comments, drops. */
class PcapNgWriterTest {
    @TempDir
    Path dir;

    @Test
    void interfacesPacketsAndDropsWithTheirReason() throws IOException {
        Path file = dir.resolve("net.pcapng");
        byte[] big = random(1500, 7);
        ByteBuf payload = Unpooled.wrappedBuffer(big);
        ByteBuf small = text("hello");
        long late = 86_400_000_000_001L; // a virtual day and a nanosecond: beyond 32 bits of nanoseconds
        try (PcapNgWriter w = PcapNgWriter.open(file, "a->switch")) {
            int second = w.addInterface("switch->b");
            assertEquals(1, second);
            assertEquals(2, w.interfaces());
            w.write(0, A4, B4, payload);
            w.write(second, 1_250, A4, B4, payload, 63, 1, null);
            w.writeDropped(3_000, A6, B6, small, DropReason.QUEUE_FULL);
            w.writeDropped(second, late, A4, B4, small, 63, 0, DropReason.LOSS);
            w.write(second, late + 1, B4, A4, small, 64, 0, "a note: ünïcode");
            assertEquals(3, w.packets());
            assertEquals(2, w.drops());
        }
        assertEquals(0, payload.readerIndex());
        assertEquals(1, payload.refCnt());
        payload.release();
        small.release();

        CaptureFile f = CaptureFile.read(file);
        assertEquals(2, f.interfaces.size());
        assertEquals("a->switch", f.interfaces.get(0).name);
        assertEquals("switch->b", f.interfaces.get(1).name);
        for (CaptureFile.Interface i : f.interfaces) {
            assertEquals(9, i.tsresol);
            assertEquals(101, i.linkType);
            assertEquals(CaptureWriter.DEFAULT_SNAP_LENGTH, i.snapLength);
        }
        assertEquals(5, f.records.size());
        byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
        CaptureFile.Record r0 = f.records.get(0);
        assertEquals(0, r0.interfaceId);
        assertNull(r0.comment);
        assertPacket(r0, 0, A4, B4, big, 64, 0);
        CaptureFile.Record r1 = f.records.get(1);
        assertEquals(1, r1.interfaceId);
        assertPacket(r1, 1_250, A4, B4, big, 63, 1);
        CaptureFile.Record r2 = f.records.get(2);
        assertEquals(0, r2.interfaceId);
        assertEquals("dropped: QUEUE_FULL", r2.comment);
        assertPacket(r2, 3_000, A6, B6, hello, 64, 0);
        CaptureFile.Record r3 = f.records.get(3);
        assertEquals("dropped: LOSS", r3.comment);
        assertPacket(r3, late, A4, B4, hello, 63, 0);
        CaptureFile.Record r4 = f.records.get(4);
        assertEquals("a note: ünïcode", r4.comment);
        assertPacket(r4, late + 1, B4, A4, hello, 64, 0);
    }

    @Test
    void recordsOfEveryLengthArePaddedToFourBytes() throws IOException {
        Path file = dir.resolve("pad.pcapng");
        try (PcapNgWriter w = PcapNgWriter.open(file, "eth0")) {
            for (int len = 0; len < 9; len++) {
                ByteBuf b = Unpooled.wrappedBuffer(random(len, len));
                w.write(0, len, A4, B4, b, 64, 0, "x".repeat(len));
                b.release();
            }
        }
        CaptureFile f = CaptureFile.read(file); // checks each block's length, padding and trailing length
        assertEquals(9, f.records.size());
        for (int len = 0; len < 9; len++) {
            assertPacket(f.records.get(len), len, A4, B4, random(len, len), 64, 0);
            assertEquals("x".repeat(len), f.records.get(len).comment);
        }
    }

    @Test
    void badInputFailsEarlyNamingTheValue() throws IOException {
        ByteBuf b = text("x");
        try (PcapNgWriter w = PcapNgWriter.open(dir.resolve("bad.pcapng"), "if0")) {
            assertMessage(
                    "interfaceId: 1",
                    assertThrows(IllegalArgumentException.class, () -> w.write(1, 0, A4, B4, b, 64, 0, null)));
            assertMessage(
                    "interfaceId: -1",
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> w.writeDropped(-1, 0, A4, B4, b, 64, 0, DropReason.LOSS)));
            assertMessage(
                    "interfaceName is empty", assertThrows(IllegalArgumentException.class, () -> w.addInterface("")));
            assertMessage(
                    "comment: 70000 bytes",
                    assertThrows(
                            IllegalArgumentException.class, () -> w.write(0, 0, A4, B4, b, 64, 0, "c".repeat(70_000))));
            assertThrows(NullPointerException.class, () -> w.writeDropped(0, A4, B4, b, null));
            assertEquals(0, w.packets());
        }
        assertEquals(0, CaptureFile.read(dir.resolve("bad.pcapng")).records.size());
        b.release();
    }
}
