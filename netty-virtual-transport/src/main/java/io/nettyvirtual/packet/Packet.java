package io.nettyvirtual.packet;

import io.netty.buffer.ByteBuf;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A packet as it is on the wire: the IP-level header fields a network element reads or rewrites (protocol, source
 * and destination endpoints, TTL / hop limit, ECN codepoint) and the payload. It is owned by exactly one place at a
 * time (a queue, a link stage, a channel's receive queue), and whoever drops or consumes it releases its content.
 *
 * <p>The sending channel's send credit is host-side metadata, not a header field: the sending host returns it
 * ({@link #releaseCredit()}) once the packet has left it, and nothing downstream can see who sent the packet other
 * than by its source endpoint, as on a real network. A datagram that finds no socket comes back as an
 * {@link IpProtocol#ICMP} packet ({@link #icmpPortUnreachable}) that quotes its endpoints.
 *
 * <p>It lives below both the network model and the link stages so that neither needs the other to move it. The
 * mutating methods are for the network's elements (a NAT rewrites endpoints, a queue discipline marks ECN); a link
 * filter only looks.
 */
public final class Packet {
    /** The TTL (IPv4) or hop limit (IPv6) a packet starts with: Linux's default, 64. */
    public static final int DEFAULT_TTL = 64;
    /** ECN codepoint: not ECN-capable transport (RFC 3168), the default. */
    public static final int NOT_ECT = 0b00;
    /** ECN codepoint: ECN-capable transport, ECT(1) (L4S, RFC 9331). */
    public static final int ECT_1 = 0b01;
    /** ECN codepoint: ECN-capable transport, ECT(0). */
    public static final int ECT_0 = 0b10;
    /** ECN codepoint: congestion experienced. */
    public static final int CE = 0b11;

    /** ICMP destination unreachable (IPv4 type 3; ICMPv6 type 1) with code port unreachable (3; ICMPv6 code 4). */
    private static final int ICMP_HEADER_BYTES = 8;
    /** How much of the datagram in error an ICMP message quotes here: its first 8 payload bytes. */
    private static final int ICMP_QUOTED_PAYLOAD_BYTES = 8;

    private final IpProtocol protocol;
    private InetSocketAddress source;
    private InetSocketAddress destination;
    private int ttl = DEFAULT_TTL;
    private int ecn = NOT_ECT;
    /** For an ICMP error: which one; null for UDP. */
    private IcmpType icmpType;
    /** For an ICMP error: the endpoints of the datagram it is about; null for UDP. */
    private InetSocketAddress quotedSource;
    /** The address the packet is handed to on the next segment (a gateway), or null: its destination's. */
    private InetAddress nextHop;

    private InetSocketAddress quotedDestination;
    /** For an ICMP error: the payload size and the TTL / hop limit of the datagram it is about, as it arrived. */
    private int quotedSize = -1;

    private int quotedTtl = -1;
    private boolean dontFragment;
    /** Not final: a link's corruption may swap in a private copy of shared bytes ({@link #flipBit}). */
    private ByteBuf content;

    private final int size;
    /** Host-side metadata: the sending channel's credit until the packet leaves the sending host. */
    private SendCredit credit;

    /**
     * A UDP datagram from {@code source} to {@code destination} that takes ownership of {@code content};
     * {@code credit} (may be null) gets the bytes back once the packet has left the sending host.
     */
    public Packet(InetSocketAddress source, InetSocketAddress destination, ByteBuf content, SendCredit credit) {
        this(IpProtocol.UDP, source, destination, content, credit);
    }

    private Packet(
            IpProtocol protocol,
            InetSocketAddress source,
            InetSocketAddress destination,
            ByteBuf content,
            SendCredit credit) {
        this.protocol = protocol;
        this.source = source;
        this.destination = destination;
        this.content = content;
        this.size = content.readableBytes();
        this.credit = credit;
    }

    /** A copy of {@code original}'s header fields over {@code content}, without send credit: a link's duplicate. */
    private Packet(Packet original, ByteBuf content) {
        this.protocol = original.protocol;
        this.source = original.source;
        this.destination = original.destination;
        this.ttl = original.ttl;
        this.ecn = original.ecn;
        this.dontFragment = original.dontFragment;
        this.icmpType = original.icmpType;
        this.nextHop = original.nextHop;
        this.quotedSource = original.quotedSource;
        this.quotedDestination = original.quotedDestination;
        this.quotedSize = original.quotedSize;
        this.quotedTtl = original.quotedTtl;
        this.content = content;
        this.size = original.size;
    }

    /**
     * The ICMP destination-unreachable (port) message a host at {@code datagram}'s destination sends back to its
     * source; see {@link #icmpError}.
     *
     * @throws IllegalArgumentException if {@code datagram} is itself an ICMP error (none is sent about one)
     */
    public static Packet icmpPortUnreachable(Packet datagram) {
        return icmpError(datagram, IcmpType.PORT_UNREACHABLE, datagram.destination.getAddress());
    }

    /**
     * The ICMP error of {@code type} that the node at {@code from} (a host, a router's interface) sends back to
     * {@code datagram}'s source: from {@code from} to the source address (ICMP has no ports: both are port 0),
     * quoting the datagram's endpoints and its first payload bytes. The datagram is left as it is (the caller still
     * owns it). Its content is the 8-byte ICMP header (type, code, a zero checksum, four unused bytes) followed by the
     * datagram's first 8 payload bytes; the datagram's IP and UDP headers are not in it but kept as fields
     * ({@link #quotedSource()}, {@link #quotedDestination()}, {@link #quotedSize()}, {@link #quotedTtl()}), from
     * which a capture writes them between the two, as a real ICMP message quotes them.
     *
     * @throws IllegalArgumentException if {@code datagram} is itself an ICMP error (none is sent about one)
     */
    public static Packet icmpError(Packet datagram, IcmpType type, InetAddress from) {
        if (datagram.protocol != IpProtocol.UDP) {
            throw new IllegalArgumentException("no ICMP error is sent about an ICMP error: " + datagram);
        }
        int quoted = Math.min(ICMP_QUOTED_PAYLOAD_BYTES, datagram.size);
        ByteBuf body = datagram.content.alloc().buffer(ICMP_HEADER_BYTES + quoted);
        boolean v6 = datagram.destination.getAddress() instanceof Inet6Address;
        body.writeByte(type.type(v6)).writeByte(type.code(v6)).writeShort(0).writeInt(0);
        body.writeBytes(datagram.content, datagram.content.readerIndex(), quoted);
        Packet icmp = new Packet(
                IpProtocol.ICMP,
                new InetSocketAddress(from, 0),
                new InetSocketAddress(datagram.source.getAddress(), 0),
                body,
                null);
        icmp.icmpType = type;
        icmp.quotedSource = datagram.source;
        icmp.quotedDestination = datagram.destination;
        icmp.quotedSize = datagram.size;
        icmp.quotedTtl = datagram.ttl;
        return icmp;
    }

    /** For an ICMP error, which one; null for a UDP datagram. */
    public IcmpType icmpType() {
        return icmpType;
    }

    /**
     * The address this packet is handed to on the segment it is on: the gateway a host or router chose for it, or
     * (when none was set) its destination's address. A switch delivers by this address, as it would by the MAC
     * address ARP resolved for it.
     */
    public InetAddress nextHop() {
        InetAddress n = nextHop;
        return n != null ? n : destination.getAddress();
    }

    /** Sets the next hop (null: the destination itself), as a host or router does before sending the packet on. */
    public void nextHop(InetAddress nextHop) {
        this.nextHop = nextHop;
    }

    /** What the packet carries: a UDP datagram or an ICMP error. */
    public IpProtocol protocol() {
        return protocol;
    }

    /** The source endpoint (address and port; port 0 for ICMP). */
    public InetSocketAddress source() {
        return source;
    }

    /** Rewrites the source endpoint, as a NAT does. */
    public void source(InetSocketAddress source) {
        if (source == null) {
            throw new NullPointerException("source");
        }
        this.source = source;
    }

    /** The destination endpoint (address and port; port 0 for ICMP). */
    public InetSocketAddress destination() {
        return destination;
    }

    /** Rewrites the destination endpoint, as a NAT does. */
    public void destination(InetSocketAddress destination) {
        if (destination == null) {
            throw new NullPointerException("destination");
        }
        this.destination = destination;
    }

    /** For an ICMP error, the source endpoint of the datagram it is about (its sender); null for UDP. */
    public InetSocketAddress quotedSource() {
        return quotedSource;
    }

    /** For an ICMP error, the destination endpoint of the datagram it is about; null for UDP. */
    public InetSocketAddress quotedDestination() {
        return quotedDestination;
    }

    /**
     * For an ICMP error, the payload size of the datagram it is about (of which its content quotes the first bytes),
     * so that a capture can write the quoted IP and UDP headers with their true lengths; -1 for UDP.
     */
    public int quotedSize() {
        return quotedSize;
    }

    /** For an ICMP error, the TTL / hop limit the datagram it is about had when the error was made; -1 for UDP. */
    public int quotedTtl() {
        return quotedTtl;
    }

    /** Rewrites the quoted endpoints of an ICMP error, as a NAT does for the datagram it translated. */
    public void quoted(InetSocketAddress source, InetSocketAddress destination) {
        if (protocol != IpProtocol.ICMP) {
            throw new IllegalStateException("only an ICMP error quotes endpoints: " + this);
        }
        if (source == null || destination == null) {
            throw new NullPointerException(source == null ? "source" : "destination");
        }
        this.quotedSource = source;
        this.quotedDestination = destination;
    }

    /** The TTL (IPv4) or hop limit (IPv6): {@value #DEFAULT_TTL} when sent, lowered by each router. */
    public int ttl() {
        return ttl;
    }

    /** Sets the TTL / hop limit, 0 to 255. */
    public void ttl(int ttl) {
        if (ttl < 0 || ttl > 255) {
            throw new IllegalArgumentException("ttl: " + ttl + " (expected 0-255)");
        }
        this.ttl = ttl;
    }

    /** The ECN codepoint, two bits: {@link #NOT_ECT} (default), {@link #ECT_1}, {@link #ECT_0} or {@link #CE}. */
    public int ecn() {
        return ecn;
    }

    /** Sets the ECN codepoint (0 to 3), e.g. {@link #CE} when a queue marks instead of dropping. */
    public void ecn(int ecn) {
        if ((ecn & ~0b11) != 0) {
            throw new IllegalArgumentException("ecn: " + ecn + " (expected a 2-bit codepoint, 0-3)");
        }
        this.ecn = ecn;
    }

    /**
     * Whether the sender asked that the packet not be fragmented (the IPv4 DF bit; over IPv6 routers never
     * fragment): a link whose MTU it exceeds drops it instead of fragmenting it.
     */
    public boolean dontFragment() {
        return dontFragment;
    }

    /** Sets the don't-fragment flag (IP's DF bit), as the sending channel asks for it; returns this packet. */
    public Packet dontFragment(boolean df) {
        this.dontFragment = df;
        return this;
    }

    /** The payload; owned by the packet until it is delivered or dropped. */
    public ByteBuf content() {
        return content;
    }

    /** Payload size in bytes: what queues, rate limits and counters count. */
    public int size() {
        return size;
    }

    /** Returns the send-buffer credit to the sending channel, once: the packet has left the sending host. */
    public void releaseCredit() {
        SendCredit c = credit;
        if (c != null) {
            credit = null;
            c.release(size);
        }
    }

    /** Ends the packet: returns its credit (if not yet returned) and releases its content. */
    public void release() {
        releaseCredit();
        content.release();
    }

    /**
     * A second packet with the same header fields whose content shares this one's bytes (a retained duplicate) and
     * without send credit (the original returns it): a link's duplication.
     */
    public Packet duplicate() {
        return new Packet(this, content.retainedDuplicate());
    }

    /**
     * Flips bit {@code bit} (0 is the lowest bit of the first readable byte) of the payload: a link's corruption. When
     * the bytes are shared (with a duplicate, or retained elsewhere) they are copied first, so only this packet
     * changes.
     */
    public void flipBit(long bit) {
        if (bit < 0 || bit >= 8L * size) {
            throw new IndexOutOfBoundsException("bit: " + bit + " (expected 0 to " + (8L * size - 1) + ")");
        }
        if (content.refCnt() > 1 || content.isReadOnly() || content.unwrap() != null) {
            ByteBuf copy = content.copy();
            content.release();
            content = copy;
        }
        int index = content.readerIndex() + (int) (bit >>> 3);
        content.setByte(index, content.getByte(index) ^ (1 << (int) (bit & 7)));
    }

    @Override
    public String toString() {
        return "Packet(" + protocol + " " + source + " -> " + destination + ", " + size + " B)";
    }
}
