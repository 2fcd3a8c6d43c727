package io.nettyvirtual.capture;

import io.nettyvirtual.stats.DropReason;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes a pcap file with nanosecond timestamps (magic {@code 0xa1b23c4d}, link type raw IP), the format every
 * packet tool reads. A pcap record has no room for a comment, so dropped packets go to a second pcap file, the
 * drop file, given when the writer is made; without one {@link #writeDropped} fails. Use {@link PcapNgWriter} to
 * keep drops, with their reason, in the same file as the packets.
 *
 * <pre>{@code
 * try (PcapWriter capture = PcapWriter.open(Path.of("a-b.pcap"), Path.of("a-b-drops.pcap"))) {
 *     capture.write(net.clock().nanoTime(), packet.sender(), packet.recipient(), packet.content());
 * }
 * }</pre>
 */
public final class PcapWriter extends CaptureWriter {
    /** The pcap magic number of files whose timestamps' second field counts nanoseconds. */
    public static final int MAGIC_NANOSECONDS = 0xa1b23c4d;

    private final RecordSink out;
    private final RecordSink drops;

    /** Writes to {@code out} (closed with the writer), without a drop file, with the default snap length. */
    public PcapWriter(OutputStream out) {
        this(out, null, DEFAULT_SNAP_LENGTH);
    }

    /**
     * Writes packets to {@code out} and dropped packets to {@code dropsOut} (null for none), both closed with the
     * writer, keeping at most {@code snapLength} bytes of each IP packet.
     */
    public PcapWriter(OutputStream out, OutputStream dropsOut, int snapLength) {
        super(snapLength);
        this.out = new RecordSink(Objects.requireNonNull(out, "out"));
        this.drops = dropsOut == null ? null : new RecordSink(dropsOut);
        fileHeader(this.out);
        if (drops != null) {
            fileHeader(drops);
        }
    }

    /** Creates (or truncates) {@code file}, without a drop file. */
    public static PcapWriter open(Path file) throws IOException {
        return new PcapWriter(Files.newOutputStream(file));
    }

    /** Creates (or truncates) {@code file} for the packets and {@code dropFile} for the dropped packets. */
    public static PcapWriter open(Path file, Path dropFile) throws IOException {
        return open(file, dropFile, DEFAULT_SNAP_LENGTH);
    }

    /** As {@link #open(Path, Path)}, keeping at most {@code snapLength} bytes of each packet. */
    public static PcapWriter open(Path file, Path dropFile, int snapLength) throws IOException {
        Objects.requireNonNull(dropFile, "dropFile");
        if (snapLength < MIN_SNAP_LENGTH) {
            throw new IllegalArgumentException("snapLength: " + snapLength + " (expected at least " + MIN_SNAP_LENGTH
                    + ", the IPv6 and UDP headers)");
        }
        OutputStream packets = Files.newOutputStream(file);
        try {
            return new PcapWriter(packets, Files.newOutputStream(dropFile), snapLength);
        } catch (IOException | RuntimeException e) {
            packets.close();
            throw e;
        }
    }

    private void fileHeader(RecordSink sink) {
        sink.ensure(24);
        sink.u32le(MAGIC_NANOSECONDS);
        sink.u16le(2); // version 2.4
        sink.u16le(4);
        sink.u32le(0); // thiszone: timestamps are UTC
        sink.u32le(0); // sigfigs
        sink.u32le(snapLength);
        sink.u32le(LINKTYPE_RAW);
    }

    @Override
    void writeRecord(long timeNanos, String comment) {
        record(out, timeNanos);
    }

    @Override
    void writeDropRecord(long timeNanos, DropReason reason) {
        record(drops, timeNanos);
    }

    @Override
    void checkCanWriteDrops() {
        if (drops == null) {
            throw new IllegalStateException("this pcap writer has no drop file: make it with PcapWriter.open(file, "
                    + "dropFile), or use a PcapNgWriter, which keeps drops with their reason");
        }
    }

    private void record(RecordSink sink, long timeNanos) {
        long seconds = timeNanos / 1_000_000_000L;
        if (seconds > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("timeNanos: " + timeNanos + " (beyond what pcap's 32-bit seconds hold)");
        }
        sink.ensure(16);
        sink.u32le((int) seconds);
        sink.u32le((int) (timeNanos % 1_000_000_000L));
        sink.u32le(header.capturedLength);
        sink.u32le((int) header.originalLength);
        header.writeTo(sink);
    }

    @Override
    void flushSinks() {
        out.flush();
        if (drops != null) {
            drops.flush();
        }
    }

    @Override
    void closeSinks() {
        try {
            out.close();
        } finally {
            if (drops != null) {
                drops.close();
            }
        }
    }
}
