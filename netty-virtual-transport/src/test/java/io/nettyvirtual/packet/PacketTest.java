package io.nettyvirtual.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The wire-level fields of a packet: defaults, bad values, and the ICMP error made about a datagram. */
class PacketTest {
    private static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 1000);
    private static final InetSocketAddress B = new InetSocketAddress("10.0.0.2", 9);

    @Test
    void aDatagramStartsWithLinuxDefaults() {
        Packet p = new Packet(A, B, Unpooled.buffer(3).writeZero(3), null);
        try {
            assertEquals(IpProtocol.UDP, p.protocol());
            assertEquals(64, p.ttl());
            assertEquals(Packet.NOT_ECT, p.ecn());
            assertEquals(3, p.size());
            assertNull(p.quotedSource());
            p.ecn(Packet.CE);
            assertEquals(0b11, p.ecn());
            p.source(new InetSocketAddress("192.0.2.1", 40000));
            assertEquals(new InetSocketAddress("192.0.2.1", 40000), p.source(), "a NAT rewrites endpoints");
        } finally {
            p.release();
        }
    }

    @Test
    void badFieldsFailNamingTheValue() {
        Packet p = new Packet(A, B, Unpooled.buffer(1).writeZero(1), null);
        try {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> p.ecn(4))
                    .getMessage()
                    .contains("ecn: 4"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> p.ttl(256))
                    .getMessage()
                    .contains("ttl: 256"));
            assertThrows(NullPointerException.class, () -> p.destination(null));
            assertThrows(IllegalStateException.class, () -> p.quoted(A, B), "only ICMP quotes endpoints");
        } finally {
            p.release();
        }
    }

    @Test
    void anIcmpErrorGoesBackToTheSourceQuotingTheDatagram() {
        Packet datagram = new Packet(A, B, Unpooled.copiedBuffer(new byte[20]), null);
        Packet icmp = Packet.icmpPortUnreachable(datagram);
        try {
            assertEquals(IpProtocol.ICMP, icmp.protocol());
            assertEquals(new InetSocketAddress(B.getAddress(), 0), icmp.source());
            assertEquals(new InetSocketAddress(A.getAddress(), 0), icmp.destination());
            assertEquals(A, icmp.quotedSource());
            assertEquals(B, icmp.quotedDestination());
            assertEquals(8 + 8, icmp.size(), "ICMP header and the first 8 bytes of the datagram");
            assertEquals(3, icmp.content().getByte(0), "type 3: destination unreachable");
            assertEquals(3, icmp.content().getByte(1), "code 3: port unreachable");
            assertEquals(64, icmp.ttl());
            assertEquals(20, datagram.content().readableBytes(), "the datagram is left as it was");
            assertThrows(
                    IllegalArgumentException.class,
                    () -> Packet.icmpPortUnreachable(icmp),
                    "no ICMP error about an ICMP error");
        } finally {
            icmp.release();
            datagram.release();
        }
    }
}
