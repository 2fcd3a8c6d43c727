package io.nettyvirtual.channel;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import io.nettyvirtual.network.Host;
import io.nettyvirtual.network.LinkConfig;
import io.nettyvirtual.network.VirtualNetwork;
import io.nettyvirtual.testing.Recorder;
import io.nettyvirtual.time.TimeMode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

import static io.nettyvirtual.testing.Nets.addr;
import static io.nettyvirtual.testing.Nets.bind;
import static io.nettyvirtual.testing.Nets.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** EventLoop.schedule* on a virtual loop: timing, results, cancelling, periods, order and shutdown. */
class VirtualSchedulingTest {

    @Test
    void runnableAndCallableFireAtTheirDeadline() {
        try (VirtualNetwork net = VirtualNetwork.create(41)) {
            EventLoop loop = new VirtualEventLoopGroup(net).next();
            long[] ranAt = {-1};
            ScheduledFuture<?> r = loop.schedule(() -> ranAt[0] = net.clock().nanoTime(), 60, TimeUnit.SECONDS);
            ScheduledFuture<String> c = loop.schedule(() -> "done", 1500, TimeUnit.MILLISECONDS);
            assertEquals(60, r.getDelay(TimeUnit.SECONDS));
            assertEquals("done", net.runUntil(c).getNow());
            assertEquals(1_500_000_000L, net.clock().nanoTime());
            assertFalse(r.isDone());
            net.runUntil(r);
            assertTrue(r.isSuccess());
            assertEquals(60_000_000_000L, ranAt[0]);
            assertEquals(0, r.getDelay(TimeUnit.NANOSECONDS));
        }
    }

    @Test
    void aCallableThatThrowsFailsItsFuture() {
        try (VirtualNetwork net = VirtualNetwork.create(42)) {
            EventLoop loop = new VirtualEventLoopGroup(net).next();
            ScheduledFuture<Object> f = loop.schedule(() -> {
                throw new IllegalStateException("boom");
            }, 1, TimeUnit.SECONDS);
            net.runUntilIdle();
            assertTrue(f.cause() instanceof IllegalStateException);
        }
    }

    @Test
    void aCancelledTaskNeverRunsAndHoldsNoTime() {
        try (VirtualNetwork net = VirtualNetwork.create(43)) {
            EventLoop loop = new VirtualEventLoopGroup(net).next();
            boolean[] ran = {false};
            ScheduledFuture<?> f = loop.schedule(() -> ran[0] = true, 10, TimeUnit.SECONDS);
            assertTrue(f.cancel(false));
            assertTrue(f.isCancelled());
            net.runUntilIdle();
            assertFalse(ran[0]);
            assertEquals(0, net.clock().nanoTime(), "nothing left to wait for");
        }
    }

    @Test
    void fixedRateAndFixedDelayRepeatUntilCancelled() {
        try (VirtualNetwork net = VirtualNetwork.create(44)) {
            EventLoop loop = new VirtualEventLoopGroup(net).next();
            List<Long> rate = new ArrayList<>();
            List<Long> delay = new ArrayList<>();
            ScheduledFuture<?> a = loop.scheduleAtFixedRate(() -> rate.add(net.clock().nanoTime() / 1_000_000), 5, 10,
                    TimeUnit.MILLISECONDS);
            ScheduledFuture<?> b = loop.scheduleWithFixedDelay(() -> delay.add(net.clock().nanoTime() / 1_000_000), 0,
                    7, TimeUnit.MILLISECONDS);
            net.runFor(Duration.ofMillis(30));
            assertEquals(List.of(5L, 15L, 25L), rate);
            assertEquals(List.of(0L, 7L, 14L, 21L, 28L), delay);
            a.cancel(false);
            b.cancel(false);
            net.runUntilIdle();
            assertEquals(30_000_000L, net.clock().nanoTime());
            assertEquals(3, rate.size());
            assertTrue(a.cause() instanceof CancellationException);
        }
    }

    @Test
    void tasksDueAtOneInstantRunInSchedulingOrderAfterThatInstantsDatagrams() {
        try (VirtualNetwork net = VirtualNetwork.create(45)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Host a = net.newHost("a", "10.0.0.1");
            Host b = net.newHost("b", "10.0.0.2");
            net.newWire(a, b, LinkConfig.delayed(Duration.ofMillis(10)));
            List<String> order = new ArrayList<>();
            Channel rx = bind(net, group, addr("10.0.0.2", 2), new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    order.add("datagram@" + net.clock().nanoTime() / 1_000_000);
                    ReferenceCountUtil.release(msg);
                }
            });
            Channel tx = bind(net, group, addr("10.0.0.1", 1), new Recorder(net.clock()));
            EventLoop loop = rx.eventLoop();
            for (int i = 0; i < 5; i++) {
                int n = i;
                loop.schedule(() -> order.add("task" + n + "@" + net.clock().nanoTime() / 1_000_000), 10,
                        TimeUnit.MILLISECONDS);
            }
            tx.writeAndFlush(text("x", addr("10.0.0.2", 2)));
            net.runUntilIdle();
            assertEquals(List.of("datagram@10", "task0@10", "task1@10", "task2@10", "task3@10", "task4@10"), order);
        }
    }

    @Test
    void idleStateHandlerFiresThirtySecondsAfterTheLastRead() {
        try (VirtualNetwork net = VirtualNetwork.create(46)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            long[] idleAt = {-1};
            Channel rx = bind(net, group, addr("127.0.0.1", 9), new ChannelInboundHandlerAdapter() {
                @Override
                public void handlerAdded(ChannelHandlerContext ctx) {
                    ctx.pipeline().addBefore(ctx.name(), "idle", new IdleStateHandler(30, 0, 0));
                }

                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                    if (evt instanceof IdleStateEvent && idleAt[0] < 0) {
                        idleAt[0] = net.clock().nanoTime();
                    }
                }

                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ReferenceCountUtil.release(msg);
                }
            });
            Channel tx = bind(net, group, addr("127.0.0.1", 10), new Recorder(net.clock()));
            net.runFor(Duration.ofSeconds(12));
            tx.writeAndFlush(text("keepalive", addr("127.0.0.1", 9)));
            net.runUntil(() -> idleAt[0] >= 0, Duration.ofMinutes(5));
            assertEquals(Duration.ofSeconds(42).toNanos(), idleAt[0]);
            assertTrue(rx.isOpen());
        }
    }

    @Test
    void shuttingTheLoopDownCancelsItsPendingTasks() {
        VirtualNetwork net = VirtualNetwork.create(47);
        VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
        ScheduledFuture<?> f = group.next().schedule(() -> { }, 1, TimeUnit.HOURS);
        Future<?> done = group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        net.runUntil(done);
        assertTrue(f.isCancelled());
        assertTrue(net.clock().nanoTime() < Duration.ofHours(1).toNanos());
        net.close();
    }

    @Test
    void threadedModeBlockingOnAScheduledFuture() throws Exception {
        try (VirtualNetwork net = VirtualNetwork.builder().mode(TimeMode.THREADED).seed(48).build()) {
            EventLoop loop = new VirtualEventLoopGroup(net, 2).next();
            long start = System.nanoTime();
            ScheduledFuture<Long> f = loop.schedule(() -> net.clock().nanoTime(), 5, TimeUnit.SECONDS);
            ScheduledFuture<?> periodic = loop.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.SECONDS);
            assertEquals(5_000_000_000L, f.get(2, TimeUnit.SECONDS));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "virtual, not wall, seconds");
            periodic.cancel(false);
        }
    }
}
