package io.nettyvirtual.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.channel.VirtualDatagramChannel;
import io.nettyvirtual.channel.VirtualEventLoopGroup;
import io.nettyvirtual.network.Host;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.testing.Echo;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The README's Quick start, line for line, and the time its comment states. */
class QuickStartTest {
    /** The Quick start's {@code myHandler}: {@link #done()} completes when the echo comes back. */
    static final class ReplyHandler extends SimpleChannelInboundHandler<DatagramPacket> {
        private final Promise<Long> done = ImmediateEventExecutor.INSTANCE.newPromise();
        private final VirtualNetwork net;

        ReplyHandler(VirtualNetwork net) {
            this.net = net;
        }

        /** A Netty {@code Future} that completes, with the virtual time of arrival, when the reply is read. */
        Future<Long> done() {
            return done;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
            done.trySuccess(net.clock().nanoTime());
        }
    }

    @Test
    void echoOfOneHundredBytesReturnsAt100Point160Millis() {
        long returnedAt;
        try (VirtualNetwork net = VirtualNetwork.create(42)) { // deterministic, seed 42
            EventLoopGroup group = new VirtualEventLoopGroup(net);
            Host a = net.newHost("a", "10.0.0.1"), b = net.newHost("b", "10.0.0.2");
            net.newWire(
                    a,
                    b,
                    LinkConfig.delayed(Duration.ofMillis(50))
                            .bitsPerSecond(10_000_000)
                            .loss(0.01));
            Bootstrap bootstrap = new Bootstrap().group(group).channel(VirtualDatagramChannel.class);
            ReplyHandler myHandler = new ReplyHandler(net);
            Channel server = net.runUntil(
                            bootstrap.clone().handler(new Echo()).bind(new InetSocketAddress("10.0.0.2", 7)))
                    .channel();
            Channel client = net.runUntil(
                            bootstrap.clone().handler(myHandler).bind(new InetSocketAddress("10.0.0.1", 0)))
                    .channel();
            ByteBuf payload = Unpooled.buffer(100).writeZero(100);
            client.writeAndFlush(new DatagramPacket(payload, new InetSocketAddress("10.0.0.2", 7)));
            net.runUntil(myHandler.done());
            returnedAt = myHandler.done().getNow();
            assertEquals(returnedAt, net.clock().nanoTime(), "runUntil returns when the future completes");
            assertTrue(server.isActive());
        }
        // 2 x 50 ms of delay plus 2 x 80 us to serialize 100 bytes at 10 Mbit/s.
        assertEquals(100_160_000L, returnedAt);
    }
}
