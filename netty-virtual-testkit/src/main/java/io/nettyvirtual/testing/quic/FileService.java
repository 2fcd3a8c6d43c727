package io.nettyvirtual.testing.quic;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
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
 *
 * <p>Built with {@link #FileService(ByteBuf, long)} it serves slices of one prepared buffer instead of generating
 * the bytes: a benchmark then measures the transfer, not the generator and the digest.
 */
public final class FileService extends ChannelInboundHandlerAdapter {
    /** The first byte of an echo request. */
    public static final byte ECHO = 'E';
    /** The first byte of a download request. */
    public static final byte DOWNLOAD = 'D';

    private static final int HEADER = 16;

    private final Consumer<String> sentDigests;
    private final ByteBuf prepared;
    private final long preparedSeed;
    private int offset;
    private int mode = -1;
    private ByteBuf header;
    private Payload payload;
    private MessageDigest digest;
    private long remaining;

    /**
     * A service that generates each download from {@link Payload}.
     *
     * @param sentDigests receives the SHA-256 (hex) of each download as its last chunk is written
     */
    public FileService(Consumer<String> sentDigests) {
        this.sentDigests = sentDigests;
        this.prepared = null;
        this.preparedSeed = 0;
    }

    /**
     * A service that answers only downloads of exactly {@code prepared}'s readable bytes with {@code seed}, by
     * writing retained slices of it (the caller keeps ownership of {@code prepared}); any other request fails
     * the stream.
     *
     * @param prepared the bytes of {@link Payload} seeded with {@code seed}
     * @param seed     the seed that {@code prepared} was made with
     */
    public FileService(ByteBuf prepared, long seed) {
        this.sentDigests = digest -> {};
        this.prepared = prepared;
        this.preparedSeed = seed;
    }

    /** The request for a download of {@code size} bytes of {@link Payload} seeded with {@code seed}. */
    public static ByteBuf downloadRequest(ByteBufAllocator alloc, long size, long seed) {
        return alloc.buffer(1 + HEADER).writeByte(DOWNLOAD).writeLong(size).writeLong(seed);
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
                    long seed = header.readLong();
                    header.release();
                    header = null;
                    if (prepared != null && (remaining != prepared.readableBytes() || seed != preparedSeed)) {
                        ctx.fireExceptionCaught(new IllegalStateException("request for " + remaining
                                + " bytes with seed " + seed + ", but this service serves "
                                + prepared.readableBytes() + " bytes with seed " + preparedSeed));
                        ctx.close();
                        return;
                    }
                    payload = new Payload(seed);
                    digest = prepared == null ? Payload.sha256() : null;
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
            ByteBuf out;
            if (prepared != null) {
                out = prepared.retainedSlice(prepared.readerIndex() + offset, n);
                offset += n;
            } else {
                out = ctx.alloc().directBuffer(n);
                payload.writeTo(out, n, digest);
            }
            remaining -= n;
            if (remaining > 0) {
                ctx.write(out);
            } else {
                // The FIN travels with the last chunk, behind the writes still queued for stream capacity.
                // (QuicStreamChannel.shutdownOutput() would not wait for them: it sends the FIN at once, at
                // the offset quiche has reached, and the queued data can then never be sent.)
                ctx.write(new DefaultQuicStreamFrame(out, true));
                if (digest != null) {
                    sentDigests.accept(Payload.hex(digest.digest()));
                }
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
