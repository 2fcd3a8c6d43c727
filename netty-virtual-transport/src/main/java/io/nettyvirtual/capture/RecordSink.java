package io.nettyvirtual.capture;

import io.netty.buffer.ByteBuf;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The bytes of one capture file on their way to its stream: a staging array that records are assembled in and
 * that goes to the stream in large writes, so that a record costs no system call and no allocation.
 */
final class RecordSink {
    /** Larger than any record's fixed part; a payload or comment longer than what is left is written in pieces. */
    private static final int CAPACITY = 256 * 1024;

    private final OutputStream out;
    private final byte[] buf = new byte[CAPACITY];
    private int pos;
    private boolean closed;

    RecordSink(OutputStream out) {
        this.out = out;
    }

    /** Makes room for {@code n} contiguous bytes (n at most a few hundred). */
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
