package io.nettyvirtual.capture;

import io.netty.buffer.ByteBuf;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The IPv4 or IPv6 header and the UDP header of one datagram, computed into reused fields ({@link #prepare})
 * and then written in front of the payload ({@link #writeTo}). One instance per writer: preparing a packet
 * allocates nothing once the addresses it uses are cached.
 */
final class IpUdpHeader {
    static final int IPV4_HEADER = 20;
    static final int IPV6_HEADER = 40;
    static final int UDP_HEADER = 8;
    /** Largest IP packet the 16-bit length fields describe (IPv4 total length; IPv6 payload length + header). */
    static final int MAX_LENGTH_FIELD = 0xFFFF;

    private static final int UDP = 17;

    // The last few addresses' bytes: InetAddress.getAddress() copies on every call.
    private final InetAddress[] cachedAddress = new InetAddress[4];
    private final byte[][] cachedBytes = new byte[4][];
    private int nextCacheSlot;

    boolean v6;
    private byte[] src;
    private byte[] dst;
    private int srcPort;
    private int dstPort;
    private int hopLimit;
    private int trafficClass;
    private ByteBuf payload;
    private int payloadIndex;
    /** Bytes of the payload that go into the record (after the snap length). */
    private int payloadCaptured;
    /** The IPv4 total length / IPv6 payload length field and the UDP length field, as written. */
    private int ipLengthField;

    private int udpLengthField;
    private int payloadLength;
    private int ipv4Checksum;
    /** Length of the IP packet the datagram makes, whatever the fields can say. */
    long originalLength;
    /** Bytes of it in the record. */
    int capturedLength;

    /**
     * Computes the headers of {@code payload}'s readable bytes from {@code sender} to {@code recipient}.
     *
     * @throws IllegalArgumentException naming the bad value: an unresolved address, addresses of two families,
     *         a hop limit or traffic class outside 0..255
     */
    void prepare(
            InetSocketAddress sender,
            InetSocketAddress recipient,
            ByteBuf payload,
            int hopLimit,
            int trafficClass,
            int snapLength) {
        InetAddress from = resolved(sender, "sender");
        InetAddress to = resolved(recipient, "recipient");
        if ((from instanceof Inet6Address) != (to instanceof Inet6Address)) {
            throw new IllegalArgumentException("sender " + sender + " and recipient " + recipient
                    + " are of different address families: one IP packet cannot carry both");
        }
        if (hopLimit < 0 || hopLimit > 255) {
            throw new IllegalArgumentException("hopLimit: " + hopLimit + " (expected 0..255)");
        }
        if (trafficClass < 0 || trafficClass > 255) {
            throw new IllegalArgumentException("trafficClass: " + trafficClass + " (expected 0..255: DSCP << 2 | ECN)");
        }
        this.v6 = to instanceof Inet6Address;
        this.src = bytesOf(from);
        this.dst = bytesOf(to);
        this.srcPort = sender.getPort();
        this.dstPort = recipient.getPort();
        this.hopLimit = hopLimit;
        this.trafficClass = trafficClass;
        this.payload = payload;
        this.payloadIndex = payload.readerIndex();
        int length = payload.readableBytes();
        int header = headerLength();
        originalLength = (long) header + length;
        // The length fields saturate for a datagram no IP packet carries; the record's original length stays true.
        udpLengthField = (int) Math.min(UDP_HEADER + (long) length, MAX_LENGTH_FIELD);
        ipLengthField = v6 ? udpLengthField : (int) Math.min(originalLength, MAX_LENGTH_FIELD);
        capturedLength =
                (int) Math.min(Math.min(originalLength, snapLength), MAX_LENGTH_FIELD + (v6 ? IPV6_HEADER : 0));
        payloadCaptured = capturedLength - header;
        payloadLength = length;
        ipv4Checksum = v6 ? 0 : ipv4Checksum();
    }

    int headerLength() {
        return (v6 ? IPV6_HEADER : IPV4_HEADER) + UDP_HEADER;
    }

    /**
     * Writes the headers and the captured part of the payload ({@link #capturedLength} bytes). The payload is read
     * once, by one copy into the stage; the UDP checksum is summed from the copy and written into the header after.
     */
    void writeTo(RecordSink out) {
        out.ensure(capturedLength); // at most an IPv6 packet: always fits, so the checksum can be patched
        if (v6) {
            out.u32be(6 << 28 | trafficClass << 20); // version, traffic class, flow label 0
            out.u16be(ipLengthField);
            out.u8(UDP);
            out.u8(hopLimit);
            out.bytes(src);
            out.bytes(dst);
        } else {
            out.u8(0x45); // version 4, 5 words of header
            out.u8(trafficClass);
            out.u16be(ipLengthField);
            out.u16be(0); // identification: unused, the datagram is never fragmented (RFC 6864)
            out.u16be(0x4000); // don't fragment
            out.u8(hopLimit);
            out.u8(UDP);
            out.u16be(ipv4Checksum);
            out.bytes(src);
            out.bytes(dst);
        }
        out.u16be(srcPort);
        out.u16be(dstPort);
        out.u16be(udpLengthField);
        int checksumAt = out.position();
        out.u16be(0);
        int payloadAt = out.position();
        out.bytes(payload, payloadIndex, payloadCaptured);
        long sum = payloadCaptured == payloadLength
                ? out.sum(payloadAt, payloadLength)
                : payloadSum(payload, payloadIndex, payloadLength); // cut by the snap length: read the rest
        out.patch16be(checksumAt, udpChecksum(sum));
        payload = null;
    }

    private int ipv4Checksum() {
        long sum = 0x4500 | trafficClass;
        sum += ipLengthField;
        sum += 0x4000;
        sum += hopLimit << 8 | UDP;
        sum += words(src) + words(dst);
        return ~fold(sum) & 0xFFFF;
    }

    private int udpChecksum(long payloadSum) {
        long sum = words(src) + words(dst) + UDP + udpLengthField; // pseudo-header (IPv6's length is 32 bits: same sum)
        sum += srcPort + dstPort + udpLengthField;
        sum += payloadSum;
        int checksum = ~fold(sum) & 0xFFFF;
        return checksum == 0 ? 0xFFFF : checksum; // 0 means "no checksum" in UDP over IPv4 and is invalid in IPv6
    }

    /** The one's complement sum (unfolded) of {@code length} bytes as big-endian 16-bit words, odd byte padded. */
    static long payloadSum(ByteBuf buf, int index, int length) {
        long sum = 0;
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            long v = buf.getLong(index + i);
            sum += (v >>> 32) + (v & 0xFFFFFFFFL);
        }
        for (; i + 2 <= length; i += 2) {
            sum += buf.getUnsignedShort(index + i);
        }
        if (i < length) {
            sum += buf.getUnsignedByte(index + i) << 8;
        }
        return sum;
    }

    private static long words(byte[] address) {
        long sum = 0;
        for (int i = 0; i < address.length; i += 2) {
            sum += (address[i] & 0xFF) << 8 | (address[i + 1] & 0xFF);
        }
        return sum;
    }

    static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }

    private static InetAddress resolved(InetSocketAddress address, String which) {
        if (address == null) {
            throw new NullPointerException(which);
        }
        InetAddress ip = address.getAddress();
        if (ip == null) {
            throw new IllegalArgumentException(
                    which + " " + address + " is unresolved: a capture needs its IP address");
        }
        if (!(ip instanceof Inet4Address) && !(ip instanceof Inet6Address)) {
            throw new IllegalArgumentException(which + " " + address + " is neither IPv4 nor IPv6");
        }
        return ip;
    }

    private byte[] bytesOf(InetAddress address) {
        for (int i = 0; i < cachedAddress.length; i++) {
            if (cachedAddress[i] == address) {
                return cachedBytes[i];
            }
        }
        byte[] bytes = address.getAddress();
        int slot = nextCacheSlot;
        nextCacheSlot = (slot + 1) % cachedAddress.length;
        cachedAddress[slot] = address;
        cachedBytes[slot] = bytes;
        return bytes;
    }
}
