package io.nettyvirtual.time;

import static io.nettyvirtual.testing.Nets.addr;
import static io.nettyvirtual.testing.Nets.text;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.channel.VirtualDatagramChannel;
import io.nettyvirtual.channel.VirtualEventLoopGroup;
import io.nettyvirtual.network.Host;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.testing.Echo;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The same topology on the wall clock. */
class RealTimeModeTest {

    @Test
    void delayTakesWallTime() throws Exception {
        try (VirtualNetwork net =
                VirtualNetwork.builder().mode(TimeMode.REAL_TIME).seed(9).build()) {
            assertFalse(net.clock().isVirtual());
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net, 2);
            Host a = net.newHost("a", "10.0.0.1");
            Host b = net.newHost("b", "10.0.0.2");
            net.newWire(a, b, LinkConfig.delayed(Duration.ofMillis(20)));
            CountDownLatch got = new CountDownLatch(1);
            Channel client = new Bootstrap()
                    .group(group)
                    .channel(VirtualDatagramChannel.class)
                    .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
                            got.countDown();
                        }
                    })
                    .bind(addr("10.0.0.1", 1))
                    .sync()
                    .channel();
            new Bootstrap()
                    .group(group)
                    .channel(VirtualDatagramChannel.class)
                    .handler(new Echo())
                    .bind(addr("10.0.0.2", 2))
                    .sync();
            long start = System.nanoTime();
            client.writeAndFlush(text("ping", addr("10.0.0.2", 2))).sync();
            assertTrue(got.await(10, TimeUnit.SECONDS));
            long elapsed = System.nanoTime() - start;
            assertTrue(
                    elapsed >= TimeUnit.MILLISECONDS.toNanos(40), "a 40 ms round trip took " + elapsed / 1e6 + " ms");
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }
}
