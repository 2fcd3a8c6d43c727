package io.nettyvirtual.bench.support;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.SegmentedDatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The receiving side of every benchmark, identical for the virtual, the NIO and the epoll channel: counts datagrams
 * (a UDP GRO read as the datagrams it coalesced) and their bytes, and releases them. Sharable, so one sink can count for many channels on several loops.
 */
@ChannelHandler.Sharable
public final class Sink extends ChannelInboundHandlerAdapter {
    private final AtomicLong datagrams = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof SegmentedDatagramPacket) {
            // UDP GRO handed several datagrams over as one: count each
            SegmentedDatagramPacket s = (SegmentedDatagramPacket) msg;
            int n = s.content().readableBytes();
            bytes.addAndGet(n);
            datagrams.addAndGet((n + s.segmentSize() - 1) / s.segmentSize());
        } else if (msg instanceof DatagramPacket) {
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
