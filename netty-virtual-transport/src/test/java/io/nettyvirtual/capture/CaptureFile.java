package io.nettyvirtual.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A capture file read back for the tests: pcap (microsecond or nanosecond, either byte order) and pcapng (section
 * header, interface descriptions with their name and time resolution, enhanced packet blocks with their comment),
 * and the IPv4 / IPv6 + UDP packets in the records, with their checksums verified.
 *
 * <p>Written here, independently of the writers, rather than taken from a library: the Java pcap readers on Maven
 * Central either need the native libpcap (pcap4j, whose last release is years old) or read classic pcap only
 * (pkts), and none reads pcapng's per-packet comments and interface options that these tests check.
 */
final class CaptureFile {
    final String format;
    final int snapLength;
    final List<Interface> interfaces = new ArrayList<>();
    final List<Record> records = new ArrayList<>();

    private CaptureFile(String format, int snapLength) {
        this.format = format;
        this.snapLength = snapLength;
    }

    static final class Interface {
        final int linkType;
        final int snapLength;
        String name;
        int tsresol = 6;

        Interface(int linkType, int snapLength) {
            this.linkType = linkType;
            this.snapLength = snapLength;
        }
    }

    static final class Record {
        final int interfaceId;
        final long timeNanos;
        final long originalLength;
        final byte[] data;
        final String comment;

        Record(int interfaceId, long timeNanos, long originalLength, byte[] data, String comment) {
            this.interfaceId = interfaceId;
            this.timeNanos = timeNanos;
            this.originalLength = originalLength;
            this.data = data;
            this.comment = comment;
        }

        Ip ip() {
            return new Ip(data);
        }
    }

    static CaptureFile read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        b.order(ByteOrder.LITTLE_ENDIAN);
        int magic = b.getInt(0);
        if (magic == 0x0A0D0D0A) {
            return pcapng(b);
        }
        return pcap(b);
    }

    private static CaptureFile pcap(ByteBuffer b) {
        int magic = b.getInt();
        boolean nanos;
        if (magic == 0xa1b23c4d || magic == 0xa1b2c3d4) {
            nanos = magic == 0xa1b23c4d;
        } else {
            b.order(ByteOrder.BIG_ENDIAN);
            magic = Integer.reverseBytes(magic);
            nanos = magic == 0xa1b23c4d;
            assertTrue(nanos || magic == 0xa1b2c3d4, "not a pcap file: magic " + Integer.toHexString(magic));
        }
        assertEquals(2, b.getShort());
        assertEquals(4, b.getShort());
        b.getInt(); // thiszone
        b.getInt(); // sigfigs
        int snap = b.getInt();
        int link = b.getInt();
        CaptureFile f = new CaptureFile(nanos ? "pcap-ns" : "pcap-us", snap);
        Interface only = new Interface(link, snap);
        only.tsresol = nanos ? 9 : 6;
        f.interfaces.add(only);
        while (b.hasRemaining()) {
            long sec = b.getInt() & 0xFFFFFFFFL;
            long frac = b.getInt() & 0xFFFFFFFFL;
            int incl = b.getInt();
            long orig = b.getInt() & 0xFFFFFFFFL;
            byte[] data = new byte[incl];
            b.get(data);
            f.records.add(new Record(0, sec * 1_000_000_000L + (nanos ? frac : frac * 1000), orig, data, null));
        }
        return f;
    }

    private static CaptureFile pcapng(ByteBuffer b) {
        CaptureFile f = new CaptureFile("pcapng", -1);
        while (b.hasRemaining()) {
            int start = b.position();
            int type = b.getInt();
            int length = b.getInt();
            assertEquals(0, length & 3, "block length " + length + " is not a multiple of 4");
            int end = start + length;
            assertEquals(length, b.getInt(end - 4), "trailing block length of block at " + start);
            switch (type) {
                case 0x0A0D0D0A:
                    assertEquals(0x1A2B3C4D, b.getInt(), "byte-order magic");
                    assertEquals(1, b.getShort());
                    assertEquals(0, b.getShort());
                    b.getLong(); // section length
                    options(b, end - 4, (code, value) -> {});
                    break;
                case 1: {
                    int link = b.getShort() & 0xFFFF;
                    b.getShort();
                    Interface i = new Interface(link, b.getInt());
                    options(b, end - 4, (code, value) -> {
                        if (code == 2) {
                            i.name = new String(value, StandardCharsets.UTF_8);
                        } else if (code == 9) {
                            assertEquals(1, value.length);
                            i.tsresol = value[0];
                        }
                    });
                    f.interfaces.add(i);
                    break;
                }
                case 6: {
                    int id = b.getInt();
                    long ts = (b.getInt() & 0xFFFFFFFFL) << 32 | (b.getInt() & 0xFFFFFFFFL);
                    int captured = b.getInt();
                    long orig = b.getInt() & 0xFFFFFFFFL;
                    byte[] data = new byte[captured];
                    b.get(data);
                    b.position(b.position() + (-captured & 3));
                    String[] comment = new String[1];
                    options(b, end - 4, (code, value) -> {
                        if (code == 1) {
                            comment[0] = new String(value, StandardCharsets.UTF_8);
                        }
                    });
                    Interface i = f.interfaces.get(id);
                    assertEquals(9, i.tsresol, "these tests write nanosecond interfaces");
                    f.records.add(new Record(id, ts, orig, data, comment[0]));
                    break;
                }
                default:
                    throw new AssertionError("unexpected block type " + type + " at " + start);
            }
            b.position(end);
        }
        return f;
    }

    private interface OptionVisitor {
        void option(int code, byte[] value);
    }

    private static void options(ByteBuffer b, int end, OptionVisitor visitor) {
        while (b.position() < end) {
            int code = b.getShort() & 0xFFFF;
            int len = b.getShort() & 0xFFFF;
            if (code == 0) {
                assertEquals(0, len);
                assertEquals(end, b.position(), "opt_endofopt is the last option");
                return;
            }
            byte[] value = new byte[len];
            b.get(value);
            b.position(b.position() + (-len & 3));
            visitor.option(code, value);
        }
        assertEquals(end, b.position(), "options run to the block's end");
    }

    /** An IPv4 or IPv6 packet carrying UDP, parsed from a record's bytes. */
    static final class Ip {
        final byte[] bytes;
        final int version;
        final int trafficClass;
        final int hopLimit;
        final int lengthField;
        final InetAddress source;
        final InetAddress destination;
        final int header;

        Ip(byte[] bytes) {
            this.bytes = bytes;
            ByteBuffer b = ByteBuffer.wrap(bytes); // big-endian, network order
            version = (bytes[0] & 0xFF) >>> 4;
            try {
                if (version == 4) {
                    assertEquals(5, bytes[0] & 0x0F, "IHL");
                    trafficClass = bytes[1] & 0xFF;
                    lengthField = b.getShort(2) & 0xFFFF;
                    hopLimit = bytes[8] & 0xFF;
                    assertEquals(17, bytes[9], "protocol UDP");
                    source = InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16));
                    destination = InetAddress.getByAddress(Arrays.copyOfRange(bytes, 16, 20));
                    header = 20;
                } else {
                    assertEquals(6, version, "IP version");
                    int first = b.getInt(0);
                    trafficClass = (first >>> 20) & 0xFF;
                    assertEquals(0, first & 0xFFFFF, "flow label");
                    lengthField = b.getShort(4) & 0xFFFF;
                    assertEquals(17, bytes[6], "next header UDP");
                    hopLimit = bytes[7] & 0xFF;
                    source = InetAddress.getByAddress(Arrays.copyOfRange(bytes, 8, 24));
                    destination = InetAddress.getByAddress(Arrays.copyOfRange(bytes, 24, 40));
                    header = 40;
                }
            } catch (java.net.UnknownHostException e) {
                throw new AssertionError(e);
            }
        }

        int sourcePort() {
            return u16(header);
        }

        int destinationPort() {
            return u16(header + 2);
        }

        int udpLength() {
            return u16(header + 4);
        }

        int udpChecksum() {
            return u16(header + 6);
        }

        InetSocketAddress sender() {
            return new InetSocketAddress(source, sourcePort());
        }

        InetSocketAddress recipient() {
            return new InetSocketAddress(destination, destinationPort());
        }

        byte[] payload() {
            return Arrays.copyOfRange(bytes, header + 8, bytes.length);
        }

        /** True when the IPv4 header's checksum verifies (always true for IPv6, which has none). */
        boolean ipChecksumOk() {
            if (version == 6) {
                return true;
            }
            return sum(bytes, 0, 20, 0) == 0xFFFF;
        }

        /** True when the UDP checksum verifies over the pseudo-header, UDP header and payload. */
        boolean udpChecksumOk() {
            long pseudo = 0;
            byte[] s = source.getAddress();
            byte[] d = destination.getAddress();
            pseudo = sum(s, 0, s.length, pseudo);
            pseudo = sum(d, 0, d.length, pseudo);
            pseudo += 17 + udpLength();
            return sum(bytes, header, bytes.length - header, pseudo) == 0xFFFF;
        }

        private int u16(int at) {
            return (bytes[at] & 0xFF) << 8 | (bytes[at + 1] & 0xFF);
        }

        /** One's complement sum, byte by byte, folded: the textbook way, unlike the writer's. */
        private static int sum(byte[] data, int off, int len, long start) {
            long sum = start;
            for (int i = 0; i < len; i++) {
                int v = data[off + i] & 0xFF;
                sum += (i % 2 == 0) ? v << 8 : v;
            }
            while ((sum >>> 16) != 0) {
                sum = (sum & 0xFFFF) + (sum >>> 16);
            }
            return (int) sum;
        }
    }
}
