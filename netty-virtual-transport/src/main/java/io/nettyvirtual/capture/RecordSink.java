package io.nettyvirtual.capture;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The bytes of one capture file on their way to its stream: a staging array that records are assembled in and
 * that goes to the stream in large writes, so that a record costs no system call and no allocation.
 */
final class RecordSink {
    /** Larger than any IP packet with its record framing: a record's packet is always staged in one piece. */
    static final int CAPACITY = 256 * 1024;

    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final OutputStream out;
    private final byte[] buf = new byte[CAPACITY];
    private int pos;
    private boolean closed;

    RecordSink(OutputStream out) {
        this.out = out;
    }

    /** Makes room for {@code n} contiguous bytes, at most {@link #CAPACITY}. */
    void ensure(int n) {
        if (CAPACITY - pos < n) {
            drain();
        }
    }

    void u8(int v) {
        buf[pos++] = (byte) v;
    }

    void u16be(int v) {
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
    }

    void u32be(int v) {
        buf[pos++] = (byte) (v >>> 24);
        buf[pos++] = (byte) (v >>> 16);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
    }

    void u16le(int v) {
        buf[pos++] = (byte) v;
        buf[pos++] = (byte) (v >>> 8);
    }

    void u32le(int v) {
        buf[pos++] = (byte) v;
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) (v >>> 16);
        buf[pos++] = (byte) (v >>> 24);
    }

    void bytes(byte[] src) {
        bytes(src, 0, src.length);
    }

    /** Copies {@code len} bytes of {@code src}, in pieces if they do not fit. */
    void bytes(byte[] src, int off, int len) {
        while (len > 0) {
            if (pos == CAPACITY) {
                drain();
            }
            int n = Math.min(len, CAPACITY - pos);
            System.arraycopy(src, off, buf, pos, n);
            pos += n;
            off += n;
            len -= n;
        }
    }

    /** Copies {@code len} bytes of {@code src} from {@code index}, leaving its indexes alone. */
    void bytes(ByteBuf src, int index, int len) {
        while (len > 0) {
            if (pos == CAPACITY) {
                drain();
            }
            int n = Math.min(len, CAPACITY - pos);
            src.getBytes(index, buf, pos, n);
            pos += n;
            index += n;
            len -= n;
        }
    }

    /** Where the next byte goes in the stage; valid until the next {@link #ensure} or write that drains. */
    int position() {
        return pos;
    }

    /** Overwrites two staged bytes at {@code at} with {@code v}, big-endian. */
    void patch16be(int at, int v) {
        buf[at] = (byte) (v >>> 8);
        buf[at + 1] = (byte) v;
    }

    /**
     * The one's complement sum (unfolded) of {@code len} staged bytes from {@code at} as big-endian 16-bit words,
     * an odd last byte padded with zero.
     */
    long sum(int at, int len) {
        long sum = 0;
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            long v = (long) LONG_BE.get(buf, at + i);
            sum += (v >>> 32) + (v & 0xFFFFFFFFL);
        }
        for (; i + 2 <= len; i += 2) {
            sum += (buf[at + i] & 0xFF) << 8 | (buf[at + i + 1] & 0xFF);
        }
        if (i < len) {
            sum += (buf[at + i] & 0xFF) << 8;
        }
        return sum;
    }

    /** Zero bytes up to the next multiple of four of {@code len} (pcapng's padding). */
    void pad4(int len) {
        int pad = -len & 3;
        ensure(pad);
        for (int i = 0; i < pad; i++) {
            buf[pos++] = 0;
        }
    }

    /** Writes what is staged to the stream. */
    private void drain() {
        try {
            out.write(buf, 0, pos);
            pos = 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the capture", e);
        }
    }

    void flush() {
        drain();
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot flush the capture", e);
        }
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            flush();
        } finally {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close the capture", e);
            }
        }
    }
}
