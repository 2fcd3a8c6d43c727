package io.nettyvirtual.capture;

import static io.nettyvirtual.capture.PcapWriterTest.A4;
import static io.nettyvirtual.capture.PcapWriterTest.A6;
import static io.nettyvirtual.capture.PcapWriterTest.B4;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.testing.Tshark;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The captures as Wireshark sees them: {@code tshark} decodes the datagrams (DNS here) from the raw IP records,
 * verifies both checksums, and shows the virtual timestamps to the nanosecond, the interface names and the drop
 * comments. Skipped where tshark is not installed.
 */
class CaptureTsharkTest {
    private static final InetSocketAddress DNS6 = new InetSocketAddress("fd00::53", 53);
    private static final String FIELDS_SEPARATOR = "|";

    @TempDir
    Path dir;

    @BeforeEach
    void needsTshark() {
        Tshark.assumeInstalled();
    }

    /** A DNS query for {@code name}, type A, as a resolver sends it. */
    static ByteBuf dnsQuery(int id, String name) {
        ByteBuf b = Unpooled.buffer();
        b.writeShort(id)
                .writeShort(0x0100)
                .writeShort(1)
                .writeShort(0)
                .writeShort(0)
                .writeShort(0);
        for (String label : name.split("\\.")) {
            b.writeByte(label.length()).writeCharSequence(label, StandardCharsets.US_ASCII);
        }
        b.writeByte(0).writeShort(1).writeShort(1);
        return b;
    }

    private static List<String> fields(Path file, String... fields) throws Exception {
        String[] args = new String[10 + 2 * fields.length];
        int i = 0;
        args[i++] = "-r";
        args[i++] = file.toString();
        args[i++] = "-o";
        args[i++] = "ip.check_checksum:TRUE";
        args[i++] = "-o";
        args[i++] = "udp.check_checksum:TRUE";
        args[i++] = "-T";
        args[i++] = "fields";
        args[i++] = "-E";
        args[i++] = "separator=" + FIELDS_SEPARATOR;
        for (String f : fields) {
            args[i++] = "-e";
            args[i++] = f;
        }
        return Tshark.run(args);
    }

    @Test
    void tsharkDecodesThePcapWithNanosecondTimesAndGoodChecksums() throws Exception {
        Path file = dir.resolve("dns.pcap");
        ByteBuf q1 = dnsQuery(0x1234, "example.test");
        ByteBuf q2 = dnsQuery(0x4321, "six.example.test");
        try (PcapWriter w = PcapWriter.open(file)) {
            w.write(1_000_000_007L, A4, B4, q1, 64, 0b10); // ECT(0)
            w.write(2_500_000_000L, A6, DNS6, q2, 17, 3);
        }
        q1.release();
        q2.release();
        List<String> lines = fields(
                file,
                "frame.time_epoch",
                "ip.src",
                "ip.dst",
                "ipv6.src",
                "ipv6.dst",
                "udp.srcport",
                "udp.dstport",
                "ip.checksum.status",
                "udp.checksum.status",
                "dns.qry.name",
                "dns.id",
                "ip.dsfield.ecn",
                "ip.ttl",
                "ipv6.tclass",
                "ipv6.hlim",
                "frame.protocols");
        assertEquals(
                List.of(
                        "1.000000007|10.0.0.1|10.0.0.2|||49152|53|1|1|example.test|0x1234|2|64|||raw:ip:udp:dns",
                        "2.500000000|||fd00::1|fd00::53|40000|53||1|six.example.test|0x4321|||0x00000003|17|raw:ipv6:udp:dns"),
                lines);
    }

    @Test
    void tsharkShowsInterfacesAndDropReasonsOfThePcapng() throws Exception {
        Path file = dir.resolve("dns.pcapng");
        ByteBuf q = dnsQuery(7, "lost.example.test");
        try (PcapNgWriter w = PcapNgWriter.open(file, "client->switch")) {
            int far = w.addInterface("switch->server");
            w.write(0, 5, A4, B4, q, 64, 0, null);
            w.writeDropped(far, 1_000_000_005L, A4, B4, q, 63, 0, DropReason.QUEUE_FULL);
        }
        q.release();
        List<String> lines = fields(
                file,
                "frame.time_epoch",
                "frame.interface_name",
                "frame.comment",
                "udp.checksum.status",
                "dns.qry.name");
        assertEquals(
                List.of(
                        "0.000000005|client->switch||1|lost.example.test",
                        "1.000000005|switch->server|dropped: QUEUE_FULL|1|lost.example.test"),
                lines);
        // The drops alone, by Wireshark's display filter.
        List<String> drops = Tshark.run(
                "-r",
                file.toString(),
                "-Y",
                "frame.comment contains \"dropped\"",
                "-T",
                "fields",
                "-e",
                "frame.number");
        assertEquals(List.of("2"), drops);
    }
}
