package io.nettyvirtual.testing;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;

/** Sends every datagram back to its sender. */
@ChannelHandler.Sharable
public final class Echo extends SimpleChannelInboundHandler<DatagramPacket> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
        ctx.writeAndFlush(new DatagramPacket(msg.content().retain(), msg.sender()));
    }
}
