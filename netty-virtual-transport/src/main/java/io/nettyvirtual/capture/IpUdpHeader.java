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
 *
 * <p>An ICMP error ({@link #prepareIcmp}) is assembled whole instead, in a reused array (it is small and rare):
 * the IP header, the ICMP header with its checksum, and the quoted IP and UDP headers of the datagram in error in
 * front of the payload bytes it quotes, as a real ICMP message carries them.
 */
final class IpUdpHeader {
    static final int IPV4_HEADER = 20;
    static final int IPV6_HEADER = 40;
    static final int UDP_HEADER = 8;
    /** Largest IP packet the 16-bit length fields describe (IPv4 total length; IPv6 payload length + header). */
    static final int MAX_LENGTH_FIELD = 0xFFFF;

    private static final int UDP = 17;
    private static final int ICMP = 1;
    private static final int ICMPV6 = 58;
    /** ICMP (and ICMPv6) header: type, code, checksum and four bytes whose meaning depends on the type. */
    static final int ICMP_HEADER = 8;

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
    /** Whether the prepared packet is the ICMP record in {@link #icmpRecord}. */
    private boolean icmp;
    /** The prepared ICMP record, whole ({@link #originalLength} bytes); grown when a longer one comes. */
    private byte[] icmpRecord = new byte[128];

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
        checkHeaderFields(hopLimit, trafficClass);
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
        icmp = false;
    }

    /**
     * Assembles the ICMP error from {@code sender} to {@code recipient} whose {@code message} is its ICMP header
     * (type and code as the network made them; the checksum is computed here) followed by the quoted payload bytes
     * of the datagram in error, from {@code quotedSender} to {@code quotedRecipient}, whose IP and UDP headers are
     * inserted between the two with the datagram's true length ({@code quotedSize} payload bytes) and TTL. With no
     * quoted endpoints the message is written as it is, its checksum computed.
     *
     * @param quotedSize the datagram's payload size; negative when unknown (then the quoted bytes')
     * @param quotedTtl  the datagram's TTL / hop limit when the error was made; negative when unknown (then 64)
     * @throws IllegalArgumentException naming the bad value, as {@link #prepare} does, and for a message shorter
     *         than an ICMP header or quoted endpoints of another address family
     */
    void prepareIcmp(
            InetSocketAddress sender,
            InetSocketAddress recipient,
            ByteBuf message,
            int hopLimit,
            int trafficClass,
            InetSocketAddress quotedSender,
            InetSocketAddress quotedRecipient,
            int quotedSize,
            int quotedTtl,
            int snapLength) {
        InetAddress from = resolved(sender, "sender");
        InetAddress to = resolved(recipient, "recipient");
        boolean six = to instanceof Inet6Address;
        if ((from instanceof Inet6Address) != six) {
            throw new IllegalArgumentException("sender " + sender + " and recipient " + recipient
                    + " are of different address families: one IP packet cannot carry both");
        }
        checkHeaderFields(hopLimit, trafficClass);
        int messageLength = message.readableBytes();
        if (messageLength < ICMP_HEADER) {
            throw new IllegalArgumentException("ICMP message: " + messageLength + " bytes (expected at least the "
                    + ICMP_HEADER + "-byte header)");
        }
        boolean quoting = quotedSender != null || quotedRecipient != null;
        InetAddress quotedFrom = null;
        InetAddress quotedTo = null;
        if (quoting) {
            quotedFrom = resolved(quotedSender, "quotedSender");
            quotedTo = resolved(quotedRecipient, "quotedRecipient");
            if ((quotedFrom instanceof Inet6Address) != six || (quotedTo instanceof Inet6Address) != six) {
                throw new IllegalArgumentException("quoted " + quotedSender + " -> " + quotedRecipient
                        + " is not of the family of the ICMP error " + sender + " -> " + recipient);
            }
        }
        int ipHeader = six ? IPV6_HEADER : IPV4_HEADER;
        int quotedBytes = messageLength - ICMP_HEADER;
        int quoteHeaders = quoting ? ipHeader + UDP_HEADER : 0;
        int icmpLength = ICMP_HEADER + quoteHeaders + quotedBytes;
        int total = ipHeader + icmpLength;
        if (total > MAX_LENGTH_FIELD) {
            throw new IllegalArgumentException(
                    "ICMP message: " + messageLength + " bytes (too long for one IP packet)");
        }
        if (icmpRecord.length < total) {
            icmpRecord = new byte[Math.max(total, 2 * icmpRecord.length)];
        }
        byte[] r = icmpRecord;
        byte[] srcBytes = bytesOf(from);
        byte[] dstBytes = bytesOf(to);
        int at = ipHeader(
                r,
                0,
                six,
                trafficClass,
                six ? icmpLength : total,
                0,
                hopLimit,
                six ? ICMPV6 : ICMP,
                srcBytes,
                dstBytes);
        int icmpAt = at;
        message.getBytes(message.readerIndex(), r, at, ICMP_HEADER);
        r[at + 2] = 0;
        r[at + 3] = 0;
        at += ICMP_HEADER;
        if (quoting) {
            int size = quotedSize < 0 ? quotedBytes : quotedSize;
            int udpLength = (int) Math.min(UDP_HEADER + (long) size, MAX_LENGTH_FIELD);
            int ipLength = six ? udpLength : (int) Math.min(IPV4_HEADER + UDP_HEADER + (long) size, MAX_LENGTH_FIELD);
            at = ipHeader(
                    r,
                    at,
                    six,
                    0,
                    ipLength,
                    0x4000,
                    quotedTtl < 0 ? CaptureWriter.DEFAULT_HOP_LIMIT : Math.min(quotedTtl, 255),
                    UDP,
                    bytesOf(quotedFrom),
                    bytesOf(quotedTo));
            at = put16(r, at, quotedSender.getPort());
            at = put16(r, at, quotedRecipient.getPort());
            at = put16(r, at, udpLength);
            at = put16(r, at, 0); // the datagram's checksum: not kept, and its payload is only quoted in part
        }
        message.getBytes(message.readerIndex() + ICMP_HEADER, r, at, quotedBytes);
        long sum = arraySum(r, icmpAt, icmpLength);
        if (six) { // ICMPv6 sums a pseudo-header too (RFC 4443, 2.3)
            sum += words(srcBytes) + words(dstBytes) + icmpLength + ICMPV6;
        }
        put16(r, icmpAt + 2, ~fold(sum) & 0xFFFF);
        this.v6 = six;
        this.icmp = true;
        originalLength = total;
        capturedLength = Math.min(total, snapLength);
    }

    /** Writes an IPv4 (with its checksum) or IPv6 header into {@code r} at {@code at}; returns where it ends. */
    private static int ipHeader(
            byte[] r,
            int at,
            boolean six,
            int trafficClass,
            int lengthField,
            int flags,
            int hopLimit,
            int protocol,
            byte[] src,
            byte[] dst) {
        int start = at;
        if (six) {
            at = put16(r, at, 6 << 12 | trafficClass << 4);
            at = put16(r, at, 0); // flow label 0
            at = put16(r, at, lengthField);
            r[at++] = (byte) protocol;
            r[at++] = (byte) hopLimit;
        } else {
            r[at++] = 0x45;
            r[at++] = (byte) trafficClass;
            at = put16(r, at, lengthField);
            at = put16(r, at, 0); // identification
            at = put16(r, at, flags);
            r[at++] = (byte) hopLimit;
            r[at++] = (byte) protocol;
            at = put16(r, at, 0); // checksum, below
        }
        System.arraycopy(src, 0, r, at, src.length);
        at += src.length;
        System.arraycopy(dst, 0, r, at, dst.length);
        at += dst.length;
        if (!six) {
            put16(r, start + 10, ~fold(arraySum(r, start, IPV4_HEADER)) & 0xFFFF);
        }
        return at;
    }

    private static int put16(byte[] r, int at, int v) {
        r[at] = (byte) (v >>> 8);
        r[at + 1] = (byte) v;
        return at + 2;
    }

    /** The one's complement sum (unfolded) of {@code length} bytes of {@code r} as big-endian words. */
    private static long arraySum(byte[] r, int at, int length) {
        long sum = 0;
        int i = 0;
        for (; i + 2 <= length; i += 2) {
            sum += (r[at + i] & 0xFF) << 8 | (r[at + i + 1] & 0xFF);
        }
        if (i < length) {
            sum += (r[at + i] & 0xFF) << 8;
        }
        return sum;
    }

    private static void checkHeaderFields(int hopLimit, int trafficClass) {
        if (hopLimit < 0 || hopLimit > 255) {
            throw new IllegalArgumentException("hopLimit: " + hopLimit + " (expected 0..255)");
        }
        if (trafficClass < 0 || trafficClass > 255) {
            throw new IllegalArgumentException("trafficClass: " + trafficClass + " (expected 0..255: DSCP << 2 | ECN)");
        }
    }

    int headerLength() {
        return (v6 ? IPV6_HEADER : IPV4_HEADER) + UDP_HEADER;
    }

    /** Whether the prepared packet is an ICMP error ({@link #prepareIcmp}) rather than a UDP datagram. */
    boolean isIcmp() {
        return icmp;
    }

    /**
     * Writes the headers and the captured part of the payload ({@link #capturedLength} bytes). The payload is read
     * once, by one copy into the stage; the UDP checksum is summed from the copy and written into the header after.
     */
    void writeTo(RecordSink out) {
        out.ensure(capturedLength); // at most an IPv6 packet: always fits, so the checksum can be patched
        if (icmp) {
            out.bytes(icmpRecord, 0, capturedLength);
            return;
        }
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
