package io.nettyvirtual.quic.testing;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;

import java.security.MessageDigest;
import java.util.function.Consumer;

/**
 * The server side of one stream. The first byte the client sends picks the service:
 * <ul>
 *   <li>{@code 'E'}: echo; everything after it comes back.</li>
 *   <li>{@code 'D'}, an 8-byte size and an 8-byte seed: download; the server sends that many bytes of
 *       {@link Payload} with that seed, following the stream's writability, then a FIN, and reports the SHA-256 of
 *       what it wrote.</li>
 * </ul>
 */
public final class FileService extends ChannelInboundHandlerAdapter {
    public static final byte ECHO = 'E';
    public static final byte DOWNLOAD = 'D';
    private static final int HEADER = 16;

    private final Consumer<String> sentDigests;
    private int mode = -1;
    private ByteBuf header;
    private Payload payload;
    private MessageDigest digest;
    private long remaining;

    public FileService(Consumer<String> sentDigests) {
        this.sentDigests = sentDigests;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (mode == -1 && in.isReadable()) {
            mode = in.readByte();
        }
        if (mode == ECHO) {
            if (in.isReadable()) {
                ctx.writeAndFlush(in);
            } else {
                in.release();
            }
            return;
        }
        try {
            if (mode == DOWNLOAD && payload == null) {
                if (header == null) {
                    header = ctx.alloc().heapBuffer(HEADER);
                }
                header.writeBytes(in, Math.min(in.readableBytes(), header.writableBytes()));
                if (!header.isWritable()) {
                    remaining = header.readLong();
                    payload = new Payload(header.readLong());
                    header.release();
                    header = null;
                    digest = Payload.sha256();
                    send(ctx);
                }
            }
        } finally {
            in.release();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (payload != null) {
            send(ctx);
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void send(ChannelHandlerContext ctx) {
        if (remaining == 0) {
            return;
        }
        while (remaining > 0 && ctx.channel().isWritable()) {
            int n = (int) Math.min(Payload.maxChunk(), remaining);
            ByteBuf out = ctx.alloc().directBuffer(n);
            payload.writeTo(out, n, digest);
            remaining -= n;
            if (remaining > 0) {
                ctx.write(out);
            } else {
                // The FIN travels with the last chunk, behind the writes still queued for stream capacity.
                // (QuicStreamChannel.shutdownOutput() would not wait for them: it sends the FIN at once, at
                // the offset quiche has reached, and the queued data can then never be sent.)
                ctx.write(new DefaultQuicStreamFrame(out, true));
                sentDigests.accept(Payload.hex(digest.digest()));
            }
        }
        ctx.flush();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (header != null) {
            header.release();
            header = null;
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
