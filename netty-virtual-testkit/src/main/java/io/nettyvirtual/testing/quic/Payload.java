package io.nettyvirtual.testing.quic;

import io.netty.buffer.ByteBuf;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A reproducible stream of pseudo-random bytes (SplitMix64), written in chunks, so that a sender can produce any
 * amount of data without holding it and a test can know its SHA-256 in advance.
 *
 * <p>Buffers are filled and hashed with one bulk call per chunk: at the build's PARANOID leak detection every
 * call on a leak-aware buffer records a stack trace, so byte-by-byte access would dominate a 10 MB transfer.
 */
public final class Payload {
    private long state;
    private final byte[] chunk = new byte[16 * 1024];

    public Payload(long seed) {
        this.state = seed;
    }

    private long nextLong() {
        long z = state += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Puts the next {@code length} bytes of the stream into {@link #chunk}. */
    private void fill(int length) {
        for (int i = 0; i < length; i += 8) {
            long v = nextLong();
            for (int k = 0; k < 8 && i + k < length; k++) {
                chunk[i + k] = (byte) (v >>> (8 * k));
            }
        }
    }

    /** The largest chunk {@link #writeTo} writes at once. */
    public static int maxChunk() {
        return 16 * 1024;
    }

    /**
     * Writes the next {@code length} bytes (at most {@link #maxChunk()}, a multiple of 8 unless it is the last
     * chunk) into {@code out} and into {@code digest}.
     */
    public void writeTo(ByteBuf out, int length, MessageDigest digest) {
        fill(length);
        digest.update(chunk, 0, length);
        out.writeBytes(chunk, 0, length);
    }

    /** The SHA-256 of the first {@code size} bytes of the stream seeded with {@code seed}, as hex. */
    public static String sha256(long seed, long size) {
        Payload p = new Payload(seed);
        MessageDigest d = sha256();
        long left = size;
        while (left > 0) {
            int n = (int) Math.min(maxChunk(), left);
            p.fill(n);
            d.update(p.chunk, 0, n);
            left -= n;
        }
        return hex(d.digest());
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    public static String hex(byte[] bytes) {
        StringBuilder b = new StringBuilder(bytes.length * 2);
        for (byte x : bytes) {
            b.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
        }
        return b.toString();
    }
}
