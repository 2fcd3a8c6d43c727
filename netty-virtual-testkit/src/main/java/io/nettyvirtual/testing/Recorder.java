package io.nettyvirtual.testing;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.nettyvirtual.time.VirtualClock;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** A handler that records every datagram it reads with the virtual time of arrival, and releases it. */
@ChannelHandler.Sharable
public final class Recorder extends SimpleChannelInboundHandler<DatagramPacket> {
    /** One received datagram. */
    public static final class Arrival {
        public final long nanos;
        public final InetSocketAddress sender;
        public final InetSocketAddress recipient;
        public final int size;
        public final String text;

        Arrival(long nanos, DatagramPacket p) {
            this.nanos = nanos;
            this.sender = p.sender();
            this.recipient = p.recipient();
            ByteBuf c = p.content();
            this.size = c.readableBytes();
            this.text = size <= 64 ? c.toString(c.readerIndex(), size, java.nio.charset.StandardCharsets.UTF_8) : null;
        }

        @Override
        public String toString() {
            return nanos + " " + sender + "->" + recipient + " " + size;
        }
    }

    private final VirtualClock clock;
    public final List<Arrival> arrivals = new ArrayList<>();
    public long bytes;
    /** How many read bursts delivered those datagrams ({@code channelReadComplete} calls). */
    public int readBursts;

    public Recorder(VirtualClock clock) {
        this.clock = clock;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
        synchronized (this) {
            Arrival a = new Arrival(clock.nanoTime(), msg);
            arrivals.add(a);
            bytes += a.size;
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        synchronized (this) {
            readBursts++;
        }
        ctx.fireChannelReadComplete();
    }

    public synchronized int count() {
        return arrivals.size();
    }

    public synchronized Arrival last() {
        return arrivals.get(arrivals.size() - 1);
    }
}
