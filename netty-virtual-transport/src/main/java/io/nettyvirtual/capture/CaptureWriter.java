package io.nettyvirtual.capture;

import io.netty.buffer.ByteBuf;
import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;
import java.io.Closeable;
import java.io.Flushable;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A capture file being written: each {@link #write} adds one UDP datagram as a real IPv4 or IPv6 packet, stamped
 * with the virtual time the caller gives (the network's clock, in nanoseconds since the simulation started,
 * which the file shows as seconds since the Unix epoch). {@link #writeDropped} records a packet the network
 * dropped, with its reason. The payload is only read: its reader index, writer index and reference count are
 * left as they were, since the packet belongs to the network or to a channel.
 *
 * <p>A datagram whose IP packet would be longer than the 16-bit length fields can say (more than 65,507 payload
 * bytes over IPv4, 65,527 over IPv6) is cut to the largest packet they describe, with the fields at their maximum:
 * the record keeps the datagram's true original length, as a capture cut by its snap length does, and Wireshark
 * shows it as truncated.
 *
 * <p>Methods are synchronized: channels on several event loops may write to one file. Failures to write the file
 * are thrown as {@link java.io.UncheckedIOException}. Records are staged in memory and reach the file on
 * {@link #flush()}, {@link #close()} or when the stage is full.
 */
public abstract class CaptureWriter implements Closeable, Flushable {
    /** The snap length used when none is given: tcpdump's default, more than any IP packet. */
    public static final int DEFAULT_SNAP_LENGTH = 262_144;
    /** The TTL / hop limit written by the methods that take none: Linux's default. */
    public static final int DEFAULT_HOP_LIMIT = 64;
    /** The smallest snap length accepted: an IPv6 and a UDP header. */
    public static final int MIN_SNAP_LENGTH = IpUdpHeader.IPV6_HEADER + IpUdpHeader.UDP_HEADER;
    /** Link type of the records: raw IP, the version read from each packet's first nibble. */
    static final int LINKTYPE_RAW = 101;

    final int snapLength;
    final IpUdpHeader header = new IpUdpHeader();
    private long packets;
    private long drops;
    private boolean closed;

    CaptureWriter(int snapLength) {
        if (snapLength < MIN_SNAP_LENGTH) {
            throw new IllegalArgumentException("snapLength: " + snapLength + " (expected at least " + MIN_SNAP_LENGTH
                    + ", the IPv6 and UDP headers)");
        }
        this.snapLength = snapLength;
    }

    /**
     * Records a datagram seen at {@code timeNanos} of virtual time, with a hop limit of {@value #DEFAULT_HOP_LIMIT}
     * and traffic class 0.
     */
    public final void write(long timeNanos, InetSocketAddress sender, InetSocketAddress recipient, ByteBuf payload) {
        write(timeNanos, sender, recipient, payload, DEFAULT_HOP_LIMIT, 0);
    }

    /**
     * Records a datagram seen at {@code timeNanos} of virtual time.
     *
     * @param timeNanos    virtual time in nanoseconds, not negative
     * @param sender       the sending socket's address; IPv4 or IPv6 like {@code recipient}
     * @param recipient    the address the datagram is sent to
     * @param payload      the UDP payload: its readable bytes, which are not consumed
     * @param hopLimit     the IPv4 TTL or IPv6 hop limit, 0..255
     * @param trafficClass the IPv4 TOS byte or IPv6 traffic class, 0..255: DSCP in the upper six bits, the ECN
     *                     codepoint in the lower two
     * @throws IllegalArgumentException naming the bad value
     * @throws IllegalStateException    when the writer is closed
     */
    public final synchronized void write(
            long timeNanos,
            InetSocketAddress sender,
            InetSocketAddress recipient,
            ByteBuf payload,
            int hopLimit,
            int trafficClass) {
        prepare(timeNanos, sender, recipient, payload, hopLimit, trafficClass);
        writeRecord(timeNanos, null);
        countPacket();
    }

    /**
     * Records a datagram the network dropped at {@code timeNanos} for {@code reason}; the arguments are those of
     * {@link #write(long, InetSocketAddress, InetSocketAddress, ByteBuf, int, int)}. A pcapng file keeps it with
     * the reason as the packet's comment ({@code dropped: LOSS}); a pcap file puts it in its drop file.
     */
    public final synchronized void writeDropped(
            long timeNanos,
            InetSocketAddress sender,
            InetSocketAddress recipient,
            ByteBuf payload,
            int hopLimit,
            int trafficClass,
            DropReason reason) {
        Objects.requireNonNull(reason, "reason");
        checkCanWriteDrops();
        prepare(timeNanos, sender, recipient, payload, hopLimit, trafficClass);
        writeDropRecord(timeNanos, reason);
        countDrop();
    }

    /** Records a dropped datagram with the default hop limit and traffic class 0. */
    public final void writeDropped(
            long timeNanos, InetSocketAddress sender, InetSocketAddress recipient, ByteBuf payload, DropReason reason) {
        writeDropped(timeNanos, sender, recipient, payload, DEFAULT_HOP_LIMIT, 0, reason);
    }

    /** Datagrams written by {@link #write}. */
    public final synchronized long packets() {
        return packets;
    }

    /** Datagrams written by {@link #writeDropped}. */
    public final synchronized long drops() {
        return drops;
    }

    /** The longest record kept, in bytes of IP packet; longer packets are cut, their original length kept. */
    public final int snapLength() {
        return snapLength;
    }

    /** Writes the staged records to the file. */
    @Override
    public final synchronized void flush() {
        checkOpen();
        flushSinks();
    }

    /** Writes the staged records and closes the file; closing again does nothing. */
    @Override
    public final synchronized void close() {
        if (!closed) {
            closed = true;
            closeSinks();
        }
    }

    final void prepare(
            long timeNanos,
            InetSocketAddress sender,
            InetSocketAddress recipient,
            ByteBuf payload,
            int hopLimit,
            int trafficClass) {
        checkOpen();
        if (timeNanos < 0) {
            throw new IllegalArgumentException("timeNanos: " + timeNanos + " (expected virtual time, not negative)");
        }
        Objects.requireNonNull(payload, "payload");
        header.prepare(sender, recipient, payload, hopLimit, trafficClass, snapLength);
    }

    /** As {@link #prepare}, for an ICMP error packet: see {@link IpUdpHeader#prepareIcmp}. */
    final void prepareIcmp(long timeNanos, Packet icmp) {
        checkOpen();
        if (timeNanos < 0) {
            throw new IllegalArgumentException("timeNanos: " + timeNanos + " (expected virtual time, not negative)");
        }
        header.prepareIcmp(
                icmp.source(),
                icmp.destination(),
                icmp.content(),
                icmp.ttl(),
                icmp.ecn(),
                icmp.quotedSource(),
                icmp.quotedDestination(),
                icmp.quotedSize(),
                icmp.quotedTtl(),
                snapLength);
    }

    final void countPacket() {
        packets++;
    }

    final void countDrop() {
        drops++;
    }

    final void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the capture writer is closed");
        }
    }

    /** Writes the prepared {@link #header} and payload as one record, with an optional comment. */
    abstract void writeRecord(long timeNanos, String comment);

    abstract void writeDropRecord(long timeNanos, DropReason reason);

    /** Throws if drops have nowhere to go. */
    void checkCanWriteDrops() {}

    abstract void flushSinks();

    abstract void closeSinks();
}
