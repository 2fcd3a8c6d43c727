package io.nettyvirtual.time;

import static io.nettyvirtual.testing.Nets.addr;
import static io.nettyvirtual.testing.Nets.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Unchanged blocking bootstrap code on loops with threads of their own, in virtual time. */
class ThreadedModeTest {

    @Test
    void blockingBootstrapCodeRunsInVirtualTime() throws Exception {
        try (VirtualNetwork net =
                VirtualNetwork.builder().mode(TimeMode.THREADED).seed(7).build()) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net, 2);
            Host a = net.newHost("a", "10.0.0.1");
            Host b = net.newHost("b", "10.0.0.2");
            net.newWire(a, b, LinkConfig.delayed(Duration.ofSeconds(5)));

            CountDownLatch got = new CountDownLatch(1);
            AtomicLong at = new AtomicLong();
            Channel client = new Bootstrap()
                    .group(group)
                    .channel(VirtualDatagramChannel.class)
                    .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
                            at.set(net.clock().nanoTime());
                            got.countDown();
                        }
                    })
                    .bind(addr("10.0.0.1", 1000))
                    .sync()
                    .channel();
            new Bootstrap()
                    .group(group)
                    .channel(VirtualDatagramChannel.class)
                    .handler(new Echo())
                    .bind(addr("10.0.0.2", 2000))
                    .sync();

            long wallStart = System.nanoTime();
            client.writeAndFlush(text("ping", addr("10.0.0.2", 2000))).sync();
            assertTrue(got.await(10, TimeUnit.SECONDS));
            long wall = System.nanoTime() - wallStart;

            assertEquals(Duration.ofSeconds(10).toNanos(), at.get(), "10 s of virtual round trip");
            assertTrue(wall < TimeUnit.SECONDS.toNanos(5), "took " + wall / 1e6 + " ms of wall time");
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void scheduledTaskFiresAtItsVirtualDeadline() throws Exception {
        try (VirtualNetwork net =
                VirtualNetwork.builder().mode(TimeMode.THREADED).seed(8).build()) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net, 1);
            AtomicLong firedAt = new AtomicLong();
            group.next()
                    .schedule(() -> firedAt.set(net.clock().nanoTime()), 1, TimeUnit.HOURS)
                    .sync();
            assertEquals(TimeUnit.HOURS.toNanos(1), firedAt.get());
        }
    }

    @Test
    void aTestThreadWokenByALoopHoldsTheClockBeforeItRuns() throws Exception {
        try (VirtualNetwork net =
                VirtualNetwork.builder().mode(TimeMode.THREADED).seed(11).build()) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net, 1);
            // A far timer, like an idle timeout: the clock jumps there whenever it thinks the test thread waits.
            io.netty.util.concurrent.ScheduledFuture<?> far = group.next().schedule(() -> {}, 1, TimeUnit.HOURS);
            for (int i = 0; i < 300; i++) {
                // The loop completes the future and goes idle; between being woken and running again, the test
                // thread's Java state still says WAITING.
                group.next().submit(() -> {}).sync();
                assertEquals(0, net.clock().nanoTime(), "round trip " + i + ": the clock moved between two steps ");
            }
            assertTrue(!far.isDone());
        }
    }

    @Test
    void aBusyTestThreadHoldsTheClock() throws Exception {
        try (VirtualNetwork net =
                VirtualNetwork.builder().mode(TimeMode.THREADED).seed(10).build()) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net, 1);
            io.netty.util.concurrent.ScheduledFuture<?> timeout = group.next().schedule(() -> {}, 30, TimeUnit.SECONDS);
            // The test thread is busy (runnable) for a while between two steps: the idle loop must not let
            // virtual time race 30 s ahead meanwhile.
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
            long spins = 0;
            while (System.nanoTime() < until) {
                spins++;
            }
            assertTrue(spins > 0);
            assertEquals(0, net.clock().nanoTime(), "the clock held while the watched thread was running");
            assertTrue(!timeout.isDone());
            // Once the test thread waits, time jumps to the timer.
            timeout.sync();
            assertEquals(TimeUnit.SECONDS.toNanos(30), net.clock().nanoTime());
        }
    }
}
