package io.nettyvirtual.capture;

import io.netty.buffer.ByteBuf;
import io.nettyvirtual.packet.IpProtocol;
import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes a pcapng file: one section whose interfaces (a link, a port, a host's interface: each one an interface
 * description with its {@code if_name} and nanosecond timestamps, {@code if_tsresol} = 9) carry enhanced packet
 * blocks of raw IP. A packet may have a comment ({@code opt_comment}); a dropped packet's is its reason,
 * {@code dropped: QUEUE_FULL}, so that one file shows the packets and the drops, and Wireshark's filter
 * {@code frame.comment contains "dropped"} picks the drops out.
 *
 * <p>Interface 0 is made with the writer; {@link #addInterface} adds more, so that a whole network can go to one
 * file, each element on its own interface. The methods without an interface write to interface 0.
 */
public final class PcapNgWriter extends CaptureWriter {
    private static final int SHB = 0x0A0D0D0A;
    private static final int IDB = 1;
    private static final int EPB = 6;
    private static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    private static final int OPT_END = 0;
    private static final int OPT_COMMENT = 1;
    private static final int SHB_USERAPPL = 4;
    private static final int IF_NAME = 2;
    private static final int IF_TSRESOL = 9;
    private static final byte[] APPLICATION = "netty-virtual".getBytes(StandardCharsets.UTF_8);
    private static final byte[][] DROP_COMMENTS = new byte[DropReason.values().length][];

    static {
        for (DropReason reason : DropReason.values()) {
            DROP_COMMENTS[reason.ordinal()] = ("dropped: " + reason.name()).getBytes(StandardCharsets.UTF_8);
        }
    }

    private final RecordSink out;
    private int interfaces;

    /** Writes to {@code out} (closed with the writer); interface 0 is named {@code interfaceName}. */
    public PcapNgWriter(OutputStream out, String interfaceName) {
        this(out, interfaceName, DEFAULT_SNAP_LENGTH);
    }

    /** As {@link #PcapNgWriter(OutputStream, String)}, keeping at most {@code snapLength} bytes of each packet. */
    public PcapNgWriter(OutputStream out, String interfaceName, int snapLength) {
        super(snapLength);
        byte[] name = interfaceName(interfaceName);
        this.out = new RecordSink(Objects.requireNonNull(out, "out"));
        sectionHeader();
        interfaceDescription(name);
    }

    /** Creates (or truncates) {@code file}; interface 0 is named {@code interfaceName}. */
    public static PcapNgWriter open(Path file, String interfaceName) throws IOException {
        interfaceName(interfaceName);
        return new PcapNgWriter(Files.newOutputStream(file), interfaceName);
    }

    /** Adds an interface named {@code name} and returns its id, the number to write its packets with. */
    public synchronized int addInterface(String name) {
        checkOpen();
        interfaceDescription(interfaceName(name));
        return interfaces - 1;
    }

    /** Interfaces described so far; ids run from 0 to this minus one. */
    public synchronized int interfaces() {
        return interfaces;
    }

    /**
     * Records a datagram seen on interface {@code interfaceId} at {@code timeNanos}, with an optional comment;
     * the other arguments are those of {@link #write(long, InetSocketAddress, InetSocketAddress, ByteBuf, int, int)}.
     */
    public synchronized void write(
            int interfaceId,
            long timeNanos,
            InetSocketAddress sender,
            InetSocketAddress recipient,
            ByteBuf payload,
            int hopLimit,
            int trafficClass,
            String comment) {
        checkInterface(interfaceId);
        byte[] text = comment == null ? null : comment(comment);
        prepare(timeNanos, sender, recipient, payload, hopLimit, trafficClass);
        enhancedPacket(interfaceId, timeNanos, text);
        countPacket();
    }

    /** Records a datagram dropped on interface {@code interfaceId} at {@code timeNanos} for {@code reason}. */
    public synchronized void writeDropped(
            int interfaceId,
            long timeNanos,
            InetSocketAddress sender,
            InetSocketAddress recipient,
            ByteBuf payload,
            int hopLimit,
            int trafficClass,
            DropReason reason) {
        Objects.requireNonNull(reason, "reason");
        checkInterface(interfaceId);
        prepare(timeNanos, sender, recipient, payload, hopLimit, trafficClass);
        enhancedPacket(interfaceId, timeNanos, DROP_COMMENTS[reason.ordinal()]);
        countDrop();
    }

    /**
     * Records an ICMP error ({@link IpProtocol#ICMP}) seen on interface {@code interfaceId}: a real ICMPv4 / ICMPv6
     * message with the type and code the network made, its checksum, and the quoted IP and UDP headers of the
     * datagram in error; as a drop for {@code reason} when it is not null.
     */
    synchronized void writeIcmp(int interfaceId, long timeNanos, Packet icmp, DropReason reason) {
        checkInterface(interfaceId);
        prepareIcmp(timeNanos, icmp);
        enhancedPacket(interfaceId, timeNanos, reason == null ? null : DROP_COMMENTS[reason.ordinal()]);
        if (reason == null) {
            countPacket();
        } else {
            countDrop();
        }
    }

    @Override
    void writeRecord(long timeNanos, String comment) {
        enhancedPacket(0, timeNanos, comment == null ? null : comment(comment));
    }

    @Override
    void writeDropRecord(long timeNanos, DropReason reason) {
        enhancedPacket(0, timeNanos, DROP_COMMENTS[reason.ordinal()]);
    }

    private void checkInterface(int interfaceId) {
        if (interfaceId < 0 || interfaceId >= interfaces) {
            throw new IllegalArgumentException(
                    "interfaceId: " + interfaceId + " (this file has interfaces 0.." + (interfaces - 1) + ")");
        }
    }

    private void sectionHeader() {
        int length = 28 + option(APPLICATION.length) + 4;
        out.ensure(28);
        out.u32le(SHB);
        out.u32le(length);
        out.u32le(BYTE_ORDER_MAGIC);
        out.u16le(1); // version 1.0
        out.u16le(0);
        out.u32le(-1); // section length: not given
        out.u32le(-1);
        writeOption(SHB_USERAPPL, APPLICATION);
        out.ensure(8);
        out.u32le(OPT_END);
        out.u32le(length);
    }

    private void interfaceDescription(byte[] name) {
        int length = 16 + option(name.length) + option(1) + 4 + 4;
        out.ensure(16);
        out.u32le(IDB);
        out.u32le(length);
        out.u16le(LINKTYPE_RAW);
        out.u16le(0);
        out.u32le(snapLength);
        writeOption(IF_NAME, name);
        out.ensure(16);
        out.u16le(IF_TSRESOL);
        out.u16le(1);
        out.u32le(9); // 10^-9 s, then three bytes of padding
        out.u32le(OPT_END);
        out.u32le(length);
        interfaces++;
    }

    private void enhancedPacket(int interfaceId, long timeNanos, byte[] comment) {
        int captured = header.capturedLength;
        int options = comment == null ? 0 : option(comment.length) + 4;
        int length = 28 + captured + (-captured & 3) + options + 4;
        out.ensure(28);
        out.u32le(EPB);
        out.u32le(length);
        out.u32le(interfaceId);
        out.u32le((int) (timeNanos >>> 32));
        out.u32le((int) timeNanos);
        out.u32le(captured);
        out.u32le((int) header.originalLength);
        header.writeTo(out);
        out.pad4(captured);
        if (comment != null) {
            writeOption(OPT_COMMENT, comment);
            out.ensure(4);
            out.u32le(OPT_END);
        }
        out.ensure(4);
        out.u32le(length);
    }

    /** Bytes an option of {@code length} value bytes takes. */
    private static int option(int length) {
        return 4 + length + (-length & 3);
    }

    private void writeOption(int code, byte[] value) {
        out.ensure(4);
        out.u16le(code);
        out.u16le(value.length);
        out.bytes(value);
        out.pad4(value.length);
    }

    private static byte[] interfaceName(String name) {
        Objects.requireNonNull(name, "interfaceName");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("interfaceName is empty");
        }
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0xFFFF) {
            throw new IllegalArgumentException("interfaceName: " + bytes.length + " bytes (at most 65535)");
        }
        return bytes;
    }

    private static byte[] comment(String comment) {
        byte[] bytes = comment.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0xFFFF) {
            throw new IllegalArgumentException(
                    "comment: " + bytes.length + " bytes (a pcapng option holds at most 65535)");
        }
        return bytes;
    }

    @Override
    void flushSinks() {
        out.flush();
    }

    @Override
    void closeSinks() {
        out.close();
    }
}
