package io.nettyvirtual.testing.quic;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.Promise;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;

/**
 * The client side of one stream: hashes (and, for small amounts, keeps) what arrives, and completes its promise
 * once {@code expected} bytes are in, with the SHA-256 as hex.
 */
public final class Receiver extends ChannelInboundHandlerAdapter {
    private final long expected;
    private final Promise<String> done;
    private final MessageDigest digest = Payload.sha256();
    private final ByteArrayOutputStream kept;
    private long received;

    public Receiver(long expected, Promise<String> done, boolean keep) {
        this.expected = expected;
        this.done = done;
        this.kept = keep ? new ByteArrayOutputStream() : null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            int n = in.readableBytes();
            if (kept != null) {
                byte[] bytes = new byte[n];
                in.readBytes(bytes);
                kept.write(bytes, 0, n);
                digest.update(bytes);
            } else {
                digest.update(in.nioBuffer());
            }
            received += n;
        } finally {
            in.release();
        }
        if (received == expected) {
            done.trySuccess(Payload.hex(digest.digest()));
        } else if (received > expected) {
            done.tryFailure(new AssertionError("received " + received + " bytes, expected " + expected));
        }
    }

    /** What arrived, when keeping. */
    public byte[] bytes() {
        return kept.toByteArray();
    }

    public long received() {
        return received;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        done.tryFailure(new AssertionError("stream closed after " + received + " of " + expected + " bytes"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        done.tryFailure(cause);
    }
}
