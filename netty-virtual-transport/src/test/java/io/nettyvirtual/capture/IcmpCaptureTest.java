package io.nettyvirtual.capture;

import static io.nettyvirtual.capture.PcapWriterTest.A4;
import static io.nettyvirtual.capture.PcapWriterTest.A6;
import static io.nettyvirtual.capture.PcapWriterTest.B4;
import static io.nettyvirtual.capture.PcapWriterTest.B6;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.socket.DatagramPacket;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.testing.Tshark;
import io.nettyvirtual.testing.TwoHosts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ICMP errors in a capture: a port unreachable is written as a real ICMPv4 type 3 code 3 (ICMPv6 type 1 code 4)
 * message with a correct checksum and the quoted IP and UDP headers of the datagram in error (its endpoints, its
 * true lengths, its TTL) before the payload bytes it quotes; read back here byte by byte, and by tshark where it is
 * installed.
 */
class IcmpCaptureTest {
    private static final long MS = 1_000_000L;
    private static final byte[] PAYLOAD = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

    @TempDir
    Path dir;

    /** The port unreachable a host at {@code to} sends back about a datagram of {@link #PAYLOAD} from {@code from}. */
    private static Packet portUnreachable(InetSocketAddress from, InetSocketAddress to, int ttl) {
        Packet datagram = new Packet(from, to, Unpooled.wrappedBuffer(PAYLOAD), null);
        datagram.ttl(ttl);
        Packet icmp = Packet.icmpPortUnreachable(datagram);
        datagram.release();
        return icmp;
    }

    private static CaptureFile.Record writeOne(Path file, Packet icmp, DropReason reason, int snapLength)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PcapNgWriter w = new PcapNgWriter(bytes, "b", snapLength)) {
            w.writeIcmp(0, 7 * MS, icmp, reason);
            assertEquals(reason == null ? 1 : 0, w.packets());
            assertEquals(reason == null ? 0 : 1, w.drops());
        } finally {
            icmp.release();
        }
        java.nio.file.Files.write(file, bytes.toByteArray());
        CaptureFile f = CaptureFile.read(file);
        assertEquals(1, f.records.size());
        return f.records.get(0);
    }

    @Test
    void anIpv4PortUnreachableQuotesTheDatagramsHeaders() throws IOException {
        CaptureFile.Record r = writeOne(dir.resolve("v4.pcapng"), portUnreachable(A4, B4, 61), null, 65_535);
        byte[] d = r.data;
        ByteBuffer b = ByteBuffer.wrap(d);
        int quote = 20 + 8 + 8;
        assertEquals(20 + 8 + quote, d.length, "IP, ICMP header, quoted IP + UDP headers and 8 payload bytes");
        assertEquals(d.length, r.originalLength);
        assertEquals(7 * MS, r.timeNanos);
        // The outer IPv4 header: from the datagram's destination back to its source, protocol 1.
        assertEquals(0x45, d[0] & 0xFF);
        assertEquals(d.length, b.getShort(2) & 0xFFFF, "total length");
        assertEquals(64, d[8] & 0xFF, "the error's own TTL");
        assertEquals(1, d[9], "protocol ICMP");
        assertArrayEquals(B4.getAddress().getAddress(), Arrays.copyOfRange(d, 12, 16));
        assertArrayEquals(A4.getAddress().getAddress(), Arrays.copyOfRange(d, 16, 20));
        assertEquals(0xFFFF, sum(d, 0, 20, 0), "IPv4 header checksum");
        // ICMP: destination unreachable, port unreachable, checksum over the whole message.
        assertEquals(3, d[20], "type 3: destination unreachable");
        assertEquals(3, d[21], "code 3: port unreachable");
        assertEquals(0xFFFF, sum(d, 20, d.length - 20, 0), "ICMP checksum");
        assertEquals(0, b.getInt(24), "unused");
        // The quoted datagram: its IPv4 header with its true length and TTL, then its UDP header.
        int q = 28;
        assertEquals(0x45, d[q] & 0xFF);
        assertEquals(20 + 8 + PAYLOAD.length, b.getShort(q + 2) & 0xFFFF, "the datagram's total length");
        assertEquals(61, d[q + 8] & 0xFF, "the datagram's TTL when the error was made");
        assertEquals(17, d[q + 9], "protocol UDP");
        assertArrayEquals(A4.getAddress().getAddress(), Arrays.copyOfRange(d, q + 12, q + 16));
        assertArrayEquals(B4.getAddress().getAddress(), Arrays.copyOfRange(d, q + 16, q + 20));
        assertEquals(0xFFFF, sum(d, q, 20, 0), "the quoted header's checksum");
        assertEquals(A4.getPort(), b.getShort(q + 20) & 0xFFFF, "quoted source port");
        assertEquals(B4.getPort(), b.getShort(q + 22) & 0xFFFF, "quoted destination port");
        assertEquals(8 + PAYLOAD.length, b.getShort(q + 24) & 0xFFFF, "quoted UDP length");
        assertArrayEquals(Arrays.copyOf(PAYLOAD, 8), Arrays.copyOfRange(d, q + 28, d.length), "first 8 bytes");
    }

    @Test
    void anIpv6PortUnreachableIsIcmpv6Type1Code4WithThePseudoHeaderInItsChecksum() throws IOException {
        CaptureFile.Record r = writeOne(dir.resolve("v6.pcapng"), portUnreachable(A6, B6, 3), null, 65_535);
        byte[] d = r.data;
        ByteBuffer b = ByteBuffer.wrap(d);
        int icmpLength = 8 + 40 + 8 + 8;
        assertEquals(40 + icmpLength, d.length);
        assertEquals(6, (d[0] & 0xFF) >>> 4);
        assertEquals(icmpLength, b.getShort(4) & 0xFFFF, "payload length");
        assertEquals(58, d[6], "next header ICMPv6");
        assertEquals(64, d[7] & 0xFF);
        assertArrayEquals(B6.getAddress().getAddress(), Arrays.copyOfRange(d, 8, 24));
        assertArrayEquals(A6.getAddress().getAddress(), Arrays.copyOfRange(d, 24, 40));
        assertEquals(1, d[40], "type 1: destination unreachable");
        assertEquals(4, d[41], "code 4: port unreachable");
        long pseudo = sum(d, 8, 32, 0) + icmpLength + 58;
        assertEquals(0xFFFF, sum(d, 40, icmpLength, pseudo), "ICMPv6 checksum with the pseudo-header");
        int q = 48;
        assertEquals(6, (d[q] & 0xFF) >>> 4);
        assertEquals(8 + PAYLOAD.length, b.getShort(q + 4) & 0xFFFF, "the datagram's payload length");
        assertEquals(17, d[q + 6]);
        assertEquals(3, d[q + 7] & 0xFF, "the datagram's hop limit");
        assertArrayEquals(A6.getAddress().getAddress(), Arrays.copyOfRange(d, q + 8, q + 24));
        assertArrayEquals(B6.getAddress().getAddress(), Arrays.copyOfRange(d, q + 24, q + 40));
        assertEquals(A6.getPort(), b.getShort(q + 40) & 0xFFFF);
        assertEquals(B6.getPort(), b.getShort(q + 42) & 0xFFFF);
        assertEquals(8 + PAYLOAD.length, b.getShort(q + 44) & 0xFFFF);
        assertArrayEquals(Arrays.copyOf(PAYLOAD, 8), Arrays.copyOfRange(d, q + 48, d.length));
    }

    @Test
    void aLinksDuplicateOfAnErrorIsWrittenTheSame() throws IOException {
        Packet icmp = portUnreachable(A4, B4, 61);
        Packet copy = icmp.duplicate();
        assertEquals(12, copy.quotedSize(), "the duplicate keeps the datagram's size");
        assertEquals(61, copy.quotedTtl(), "and its TTL");
        byte[] original = writeOne(dir.resolve("o.pcapng"), icmp, null, 65_535).data;
        assertArrayEquals(original, writeOne(dir.resolve("d.pcapng"), copy, null, 65_535).data);
    }

    /** The type and code a router's error would carry, set on a port unreachable's message. */
    private static Packet retyped(Packet icmp, int type, int code) {
        icmp.content().setByte(icmp.content().readerIndex(), type);
        icmp.content().setByte(icmp.content().readerIndex() + 1, code);
        return icmp;
    }

    @Test
    void otherErrorsKeepTheirTypeAndCode() throws IOException {
        // Time exceeded and net / host unreachable, as routers make them: the same layout, another type or code.
        int[][] cases = {{11, 0}, {3, 0}, {3, 1}};
        for (int[] c : cases) {
            CaptureFile.Record r =
                    writeOne(dir.resolve("t.pcapng"), retyped(portUnreachable(A4, B4, 1), c[0], c[1]), null, 65_535);
            assertEquals(c[0], r.data[20], "type");
            assertEquals(c[1], r.data[21], "code");
            assertEquals(0xFFFF, sum(r.data, 20, r.data.length - 20, 0), "ICMP checksum of type " + c[0]);
            assertEquals(1, r.data[28 + 8], "the quoted TTL");
        }
        int[][] cases6 = {{3, 0}, {1, 0}, {1, 3}};
        for (int[] c : cases6) {
            CaptureFile.Record r =
                    writeOne(dir.resolve("t6.pcapng"), retyped(portUnreachable(A6, B6, 1), c[0], c[1]), null, 65_535);
            assertEquals(c[0], r.data[40]);
            assertEquals(c[1], r.data[41]);
            long pseudo = sum(r.data, 8, 32, 0) + (r.data.length - 40) + 58;
            assertEquals(0xFFFF, sum(r.data, 40, r.data.length - 40, pseudo), "ICMPv6 checksum of type " + c[0]);
        }
    }

    @Test
    void aDroppedErrorCarriesItsReasonAndASmallSnapLengthCutsIt() throws IOException {
        CaptureFile.Record r = writeOne(
                dir.resolve("cut.pcapng"), portUnreachable(A6, B6, 64), DropReason.LOSS, CaptureWriter.MIN_SNAP_LENGTH);
        assertEquals("dropped: LOSS", r.comment);
        assertEquals(CaptureWriter.MIN_SNAP_LENGTH, r.data.length);
        assertEquals(40 + 8 + 40 + 8 + 8, r.originalLength, "the true length is kept");
    }

    @Test
    void aMessageOfMixedFamiliesOrTooShortIsRefusedByName() {
        IpUdpHeader h = new IpUdpHeader();
        ByteBuf message = Unpooled.wrappedBuffer(new byte[8]);
        IllegalArgumentException mixed = assertThrows(
                IllegalArgumentException.class, () -> h.prepareIcmp(B4, A4, message, 64, 0, A6, B6, 10, 64, 1000));
        assertTrue(mixed.getMessage().contains("not of the family"), mixed.getMessage());
        IllegalArgumentException shortOne = assertThrows(
                IllegalArgumentException.class,
                () -> h.prepareIcmp(B4, A4, Unpooled.wrappedBuffer(new byte[7]), 64, 0, A4, B4, 10, 64, 1000));
        assertTrue(shortOne.getMessage().contains("7 bytes"), shortOne.getMessage());
    }

    /** A datagram to a port nobody listens on: the error crosses the wire back and is on the capture's interfaces. */
    private static Path closedPortRun(Path file) throws IOException {
        try (NetworkCapture capture = NetworkCapture.open(file);
                TwoHosts net = new TwoHosts(11, LinkConfig.delayed(Duration.ofMillis(10)))) {
            net.net.addTap(capture);
            net.sender.writeAndFlush(new DatagramPacket(
                    Unpooled.wrappedBuffer(PAYLOAD), new InetSocketAddress(TwoHosts.B.getAddress(), 9)));
            net.net.runUntilIdle();
            assertEquals(1, net.net.counters().dropped(DropReason.PORT_UNREACHABLE));
            // The datagram enters a, the wire and b (and is dropped there); the error enters b, the wire back and a.
            assertEquals(6, capture.packets());
            assertEquals(1, capture.drops());
        }
        return file;
    }

    @Test
    void aPortUnreachableOnTheNetworkIsCapturedWhereItTravels() throws IOException {
        CaptureFile f = CaptureFile.read(closedPortRun(dir.resolve("closed.pcapng")));
        List<String> names = f.interfaces.stream().map(i -> i.name).toList();
        StringBuilder seen = new StringBuilder();
        for (CaptureFile.Record r : f.records) {
            int protocol = r.data[9];
            seen.append(r.timeNanos / MS)
                    .append(' ')
                    .append(names.get(r.interfaceId))
                    .append(' ')
                    .append(protocol == 1 ? "icmp" : "udp")
                    .append(r.comment == null ? "" : " " + r.comment)
                    .append('\n');
            if (protocol == 1) {
                assertEquals(0xFFFF, sum(r.data, 20, r.data.length - 20, 0), "ICMP checksum");
                ByteBuffer b = ByteBuffer.wrap(r.data);
                assertEquals(TwoHosts.A.getPort(), b.getShort(48) & 0xFFFF, "quoted source port");
                assertEquals(9, b.getShort(50) & 0xFFFF, "quoted destination port");
            }
        }
        assertEquals(
                "0 a udp\n0 wire1 a->b udp\n10 b udp\n10 b udp dropped: PORT_UNREACHABLE\n"
                        + "10 b icmp\n10 wire1 b->a icmp\n20 a icmp\n",
                seen.toString());
    }

    @Test
    void tsharkShowsPortUnreachableWithTheQuotedPorts() throws Exception {
        Tshark.assumeInstalled();
        Path file = dir.resolve("tshark.pcapng");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PcapNgWriter w = new PcapNgWriter(bytes, "b")) {
            Packet v4 = portUnreachable(A4, B4, 64);
            Packet v6 = portUnreachable(A6, B6, 64);
            w.writeIcmp(0, MS, v4, null);
            w.writeIcmp(0, 2 * MS, v6, null);
            Packet exceeded = retyped(portUnreachable(A4, B4, 1), 11, 0);
            Packet exceeded6 = retyped(portUnreachable(A6, B6, 1), 3, 0);
            w.writeIcmp(0, 3 * MS, exceeded, null);
            w.writeIcmp(0, 4 * MS, exceeded6, null);
            v4.release();
            v6.release();
            exceeded.release();
            exceeded6.release();
        }
        java.nio.file.Files.write(file, bytes.toByteArray());
        List<String> lines = Tshark.run(
                "-r",
                file.toString(),
                "-o",
                "ip.check_checksum:TRUE",
                "-T",
                "fields",
                "-E",
                "separator=|",
                "-e",
                "icmp.type",
                "-e",
                "icmp.code",
                "-e",
                "icmp.checksum.status",
                "-e",
                "icmpv6.type",
                "-e",
                "icmpv6.code",
                "-e",
                "icmpv6.checksum.status",
                "-e",
                "udp.srcport",
                "-e",
                "udp.dstport",
                "-e",
                "_ws.col.Info");
        assertEquals(
                List.of(
                        "3|3|1||||49152|53|Destination unreachable (Port unreachable)",
                        "|||1|4|1|40000|4433|Destination Unreachable (Port unreachable)",
                        "11|0|1||||49152|53|Time-to-live exceeded (Time to live exceeded in transit)",
                        "|||3|0|1|40000|4433|Time Exceeded (hop limit exceeded in transit)"),
                lines);
    }

    /** One's complement sum, byte by byte, folded, starting from {@code start}: the textbook way. */
    private static int sum(byte[] data, int off, int len, long start) {
        long s = start;
        for (int i = 0; i < len; i++) {
            int v = data[off + i] & 0xFF;
            s += (i % 2 == 0) ? v << 8 : v;
        }
        while ((s >>> 16) != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) s;
    }
}
