package io.nettyvirtual.bench.support;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The receiving side of every benchmark, identical for the virtual and the NIO channel: counts datagrams and their
 * bytes and releases them. Sharable, so one sink can count for many channels on several loops.
 */
@ChannelHandler.Sharable
public final class Sink extends ChannelInboundHandlerAdapter {
    private final AtomicLong datagrams = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof DatagramPacket) {
            ByteBuf c = ((DatagramPacket) msg).content();
            bytes.addAndGet(c.readableBytes());
            datagrams.incrementAndGet();
        }
        ReferenceCountUtil.release(msg);
    }

    /** Datagrams received so far. */
    public long datagrams() {
        return datagrams.get();
    }

    /** Payload bytes received so far. */
    public long bytes() {
        return bytes.get();
    }
}
