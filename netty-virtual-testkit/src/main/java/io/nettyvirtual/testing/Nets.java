package io.nettyvirtual.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.channel.VirtualDatagramChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** Small helpers shared by the tests. */
public final class Nets {
    private Nets() {}

    /** {@code new InetSocketAddress(ip, port)}, shorter. */
    public static InetSocketAddress addr(String ip, int port) {
        return new InetSocketAddress(ip, port);
    }

    /** Binds a channel with {@code handler} in deterministic mode (the bind completes inside runUntil). */
    public static Channel bind(VirtualNetwork net, EventLoopGroup group, InetSocketAddress at, ChannelHandler handler) {
        return net.runUntil(new Bootstrap()
                        .group(group)
                        .channel(VirtualDatagramChannel.class)
                        .handler(handler)
                        .bind(at))
                .channel();
    }

    /** A datagram to {@code to} carrying {@code s} in UTF-8. */
    public static DatagramPacket text(String s, InetSocketAddress to) {
        return new DatagramPacket(Unpooled.copiedBuffer(s, StandardCharsets.UTF_8), to);
    }

    /** A datagram to {@code to} of {@code size} zero bytes. */
    public static DatagramPacket sized(int size, InetSocketAddress to) {
        ByteBuf b = Unpooled.buffer(size);
        b.writerIndex(size);
        return new DatagramPacket(b, to);
    }
}
