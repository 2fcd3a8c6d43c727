package io.nettyvirtual.channel;

import static io.nettyvirtual.testing.Nets.addr;
import static io.nettyvirtual.testing.Nets.bind;
import static io.nettyvirtual.testing.Nets.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.BlockingOperationException;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.internal.ThreadExecutorMap;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.network.Host;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.testing.Recorder;
import io.nettyvirtual.time.TimeMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

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
            ScheduledFuture<Object> f = loop.schedule(
                    () -> {
                        throw new IllegalStateException("boom");
                    },
                    1,
                    TimeUnit.SECONDS);
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
            ScheduledFuture<?> a = loop.scheduleAtFixedRate(
                    () -> rate.add(net.clock().nanoTime() / 1_000_000), 5, 10, TimeUnit.MILLISECONDS);
            ScheduledFuture<?> b = loop.scheduleWithFixedDelay(
                    () -> delay.add(net.clock().nanoTime() / 1_000_000), 0, 7, TimeUnit.MILLISECONDS);
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
                loop.schedule(
                        () -> order.add("task" + n + "@" + net.clock().nanoTime() / 1_000_000),
                        10,
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
        ScheduledFuture<?> f = group.next().schedule(() -> {}, 1, TimeUnit.HOURS);
        Future<?> done = group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        net.runUntil(done);
        assertTrue(f.isCancelled());
        assertTrue(net.clock().nanoTime() < Duration.ofHours(1).toNanos());
        net.close();
    }

    @Test
    void threadedModeBlockingOnAScheduledFuture() throws Exception {
        try (VirtualNetwork net =
                VirtualNetwork.builder().mode(TimeMode.THREADED).seed(48).build()) {
            EventLoop loop = new VirtualEventLoopGroup(net, 2).next();
            long start = System.nanoTime();
            ScheduledFuture<Long> f = loop.schedule(() -> net.clock().nanoTime(), 5, TimeUnit.SECONDS);
            ScheduledFuture<?> periodic = loop.scheduleAtFixedRate(() -> {}, 1, 1, TimeUnit.SECONDS);
            assertEquals(5_000_000_000L, f.get(2, TimeUnit.SECONDS));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "virtual, not wall, seconds");
            periodic.cancel(false);
        }
    }

    // the future's promise, created on demand

    @Test
    void listenersAddedBeforeOrAfterCompletionGetTheScheduledFutureOnTheLoop() {
        try (VirtualNetwork net = VirtualNetwork.create(49)) {
            EventLoop loop = new VirtualEventLoopGroup(net).next();
            List<Object> seen = new ArrayList<>();
            ScheduledFuture<String> f = loop.schedule(() -> "x", 10, TimeUnit.MILLISECONDS);
            f.addListener(done -> {
                seen.add(done);
                seen.add(done.getNow());
                seen.add(loop.inEventLoop());
                seen.add(net.clock().nanoTime());
            });
            assertTrue(seen.isEmpty());
            net.runUntil(f);
            assertEquals(List.of(f, "x", true, 10_000_000L), seen);
            seen.clear();
            f.addListener(done -> seen.add(done)); // already done: notified at once
            assertEquals(List.of(f), seen);
            assertTrue(f.isSuccess());
            assertEquals("x", f.syncUninterruptibly().getNow());
        }
    }

    @Test
    void aRemovedListenerIsNotCalled() {
        try (VirtualNetwork net = VirtualNetwork.create(50)) {
            EventLoop loop = new VirtualEventLoopGroup(net).next();
            AtomicInteger calls = new AtomicInteger();
            GenericFutureListener<Future<Object>> removed = done -> calls.addAndGet(100);
            GenericFutureListener<Future<Object>> kept = done -> calls.incrementAndGet();
            ScheduledFuture<?> f = loop.schedule(() -> {}, 1, TimeUnit.SECONDS);
            f.addListener(removed);
            f.addListener(kept);
            f.removeListener(removed);
            net.runUntilIdle();
            assertEquals(1, calls.get());
        }
    }

    @Test
    void cancellingBeforeTheRunNotifiesListenersAndCancellingAfterItFails() {
        try (VirtualNetwork net = VirtualNetwork.create(51)) {
            EventLoop loop = new VirtualEventLoopGroup(net).next();
            List<Boolean> cancelled = new ArrayList<>();
            ScheduledFuture<?> a = loop.schedule(() -> {}, 1, TimeUnit.SECONDS);
            a.addListener(done -> cancelled.add(done.isCancelled()));
            assertTrue(a.isCancellable());
            assertTrue(a.cancel(false));
            assertFalse(a.cancel(false));
            assertEquals(List.of(true), cancelled);
            assertTrue(a.isDone());
            assertFalse(a.isSuccess());
            assertThrows(CancellationException.class, a::syncUninterruptibly);
            assertThrows(CancellationException.class, a::get);

            ScheduledFuture<?> b = loop.schedule(() -> {}, 1, TimeUnit.SECONDS);
            net.runUntil(b);
            assertFalse(b.cancel(false));
            assertFalse(b.isCancelled());
            assertTrue(b.isSuccess());
            b.addListener(done -> cancelled.add(done.isCancelled()));
            assertEquals(List.of(true, false), cancelled);
        }
    }

    @Test
    void aRunningTaskCannotCancelItselfButAPeriodicOneStopsItself() {
        try (VirtualNetwork net = VirtualNetwork.create(52)) {
            EventLoop loop = new VirtualEventLoopGroup(net).next();
            List<Object> results = new ArrayList<>();
            ScheduledFuture<?>[] self = new ScheduledFuture<?>[2];
            self[0] = loop.schedule(
                    () -> {
                        results.add(self[0].isCancellable());
                        results.add(self[0].cancel(false));
                    },
                    1,
                    TimeUnit.MILLISECONDS);
            AtomicInteger runs = new AtomicInteger();
            self[1] = loop.scheduleAtFixedRate(
                    () -> {
                        if (runs.incrementAndGet() == 3) {
                            results.add(self[1].cancel(false));
                        }
                    },
                    1,
                    1,
                    TimeUnit.MILLISECONDS);
            net.runUntilIdle();
            assertEquals(List.of(false, false, true), results);
            assertTrue(self[0].isSuccess());
            assertTrue(self[1].isCancelled());
            assertEquals(3, runs.get());
            assertEquals(3_000_000L, net.clock().nanoTime());
        }
    }

    @Test
    void aThrowingTaskFailsItsFutureOnlyAndAPeriodicOneStops() {
        try (VirtualNetwork net = VirtualNetwork.create(53)) {
            EventLoop loop = new VirtualEventLoopGroup(net).next();
            List<String> order = new ArrayList<>();
            ScheduledFuture<?> bad = loop.schedule(
                    () -> {
                        order.add("bad");
                        throw new IllegalStateException("boom");
                    },
                    5,
                    TimeUnit.MILLISECONDS);
            ScheduledFuture<?> good = loop.schedule(() -> order.add("good"), 5, TimeUnit.MILLISECONDS);
            AtomicInteger runs = new AtomicInteger();
            ScheduledFuture<?> periodic = loop.scheduleWithFixedDelay(
                    () -> {
                        runs.incrementAndGet();
                        throw new IllegalArgumentException("again");
                    },
                    1,
                    1,
                    TimeUnit.MILLISECONDS);
            net.runUntilIdle();
            assertEquals(List.of("bad", "good"), order);
            assertTrue(bad.cause() instanceof IllegalStateException);
            ExecutionException e = assertThrows(ExecutionException.class, bad::get);
            assertTrue(e.getCause() instanceof IllegalStateException);
            assertThrows(IllegalStateException.class, bad::syncUninterruptibly);
            assertTrue(good.isSuccess());
            assertEquals(1, runs.get());
            assertTrue(periodic.cause() instanceof IllegalArgumentException);
        }
    }

    @Test
    void blockingOnAPendingFutureDrivesFromTheDrivingThreadAndFailsInsideATask() throws Exception {
        try (VirtualNetwork net = VirtualNetwork.create(54)) {
            EventLoop loop = new VirtualEventLoopGroup(net).next();
            ScheduledFuture<?> f = loop.schedule(() -> {}, 1, TimeUnit.SECONDS);
            List<Throwable> inside = new ArrayList<>();
            loop.execute(() -> {
                try {
                    f.sync(); // inside the simulation: the loop's own thread
                } catch (Throwable t) {
                    inside.add(t);
                }
            });
            net.runUntilIdle(); // runs the task (and the timer)
            assertEquals(1, inside.size());
            assertTrue(inside.get(0) instanceof BlockingOperationException, String.valueOf(inside.get(0)));
            ScheduledFuture<?> g = loop.schedule(() -> {}, 1, TimeUnit.SECONDS);
            assertSame(g, g.sync()); // between run calls: the wait drives the network
            assertEquals(TimeUnit.SECONDS.toNanos(2), net.clock().nanoTime());
            assertSame(f, f.awaitUninterruptibly());
        }
    }

    @Test
    void aTimerThatSchedulesAnotherForNowRunsItAfterTheTasksItQueued() {
        try (VirtualNetwork net = VirtualNetwork.create(55)) {
            EventLoop loop = new VirtualEventLoopGroup(net).next();
            List<String> order = new ArrayList<>();
            loop.schedule(
                    () -> {
                        order.add("timer");
                        loop.schedule(() -> order.add("timer for now"), 0, TimeUnit.MILLISECONDS);
                        loop.execute(() -> order.add("task"));
                    },
                    1,
                    TimeUnit.MILLISECONDS);
            net.runUntilIdle();
            // As on Netty's loops: due timers are fetched once per run of the task queue.
            assertEquals(List.of("timer", "task", "timer for now"), order);
            assertEquals(1_000_000L, net.clock().nanoTime());
        }
    }

    @Test
    void delayAndOrderFollowTheVirtualClock() {
        try (VirtualNetwork net = VirtualNetwork.create(56)) {
            EventLoop loop = new VirtualEventLoopGroup(net).next();
            ScheduledFuture<?> late = loop.schedule(() -> {}, 2, TimeUnit.SECONDS);
            ScheduledFuture<?> early = loop.schedule(() -> {}, 1, TimeUnit.SECONDS);
            assertTrue(early.compareTo(late) < 0);
            assertTrue(late.compareTo(early) > 0);
            assertEquals(0, late.compareTo(late));
            net.runFor(Duration.ofMillis(1500));
            assertEquals(500, late.getDelay(TimeUnit.MILLISECONDS));
            assertEquals(0, early.getDelay(TimeUnit.MILLISECONDS));
            assertNull(early.getNow());
            assertNull(early.cause());
        }
    }

    @Test
    void threadedModeWaitersAndListenersOnOtherThreadsSeeEveryOutcome() throws Exception {
        try (VirtualNetwork net =
                VirtualNetwork.builder().mode(TimeMode.THREADED).seed(57).build()) {
            EventLoop loop = new VirtualEventLoopGroup(net).next();
            // Many short timers, each awaited or listened to from this thread while the loop may be running it:
            // the promise is created on demand, racing with the task's start and end.
            BlockingQueue<Object> heard = new LinkedBlockingQueue<>();
            for (int i = 0; i < 2000; i++) {
                int n = i;
                ScheduledFuture<Integer> f = loop.schedule(() -> n, i % 3, TimeUnit.MICROSECONDS);
                if (i % 2 == 0) {
                    assertEquals(n, f.get(5, TimeUnit.SECONDS));
                } else {
                    f.addListener(done -> heard.add(done.getNow()));
                }
            }
            List<Integer> got = new ArrayList<>();
            for (int i = 1; i < 2000; i += 2) {
                got.add((Integer) heard.poll(5, TimeUnit.SECONDS)); // in deadline order, not scheduling order
            }
            got.sort(null);
            for (int i = 0; i < got.size(); i++) {
                assertEquals(2 * i + 1, got.get(i));
            }
            // Cancelled from this thread: waiters wake with the cancellation and the task never runs.
            AtomicInteger ran = new AtomicInteger();
            ScheduledFuture<?> c = loop.schedule(ran::incrementAndGet, 1, TimeUnit.HOURS);
            assertTrue(c.cancel(false));
            assertTrue(c.await(5, TimeUnit.SECONDS));
            assertTrue(c.isCancelled());
            // A task scheduled from this thread for now runs at once on the loop.
            assertEquals(
                    net.clock().nanoTime(),
                    loop.schedule(() -> net.clock().nanoTime(), 0, TimeUnit.SECONDS)
                            .get(5, TimeUnit.SECONDS));
            assertEquals(0, ran.get());
        }
    }

    @Test
    void timersAndTasksRunWithTheirLoopAsNettysCurrentExecutorAndTheRunPutsBackTheThreadsOwn() {
        try (VirtualNetwork net = VirtualNetwork.create(44)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net, 2);
            EventLoop a = group.next();
            EventLoop b = group.next();
            List<String> seen = new ArrayList<>();
            for (int i = 1; i <= 2; i++) {
                a.schedule(() -> seen.add("a " + (ThreadExecutorMap.currentExecutor() == a)), i, TimeUnit.SECONDS);
                b.schedule(() -> seen.add("b " + (ThreadExecutorMap.currentExecutor() == b)), i, TimeUnit.SECONDS);
            }
            a.schedule(
                    () -> b.execute(() -> seen.add("b task " + (ThreadExecutorMap.currentExecutor() == b))),
                    3,
                    TimeUnit.SECONDS);
            EventExecutor own = ImmediateEventExecutor.INSTANCE;
            ThreadExecutorMap.setCurrentExecutor(own);
            try {
                net.runUntil(() -> seen.size() == 2);
                assertSame(own, ThreadExecutorMap.currentExecutor(), "after a run that returned");
                assertThrows(
                        IllegalStateException.class,
                        () -> net.runUntil(() -> {
                            if (seen.size() > 2) {
                                throw new IllegalStateException("condition");
                            }
                            return false;
                        }));
                assertSame(own, ThreadExecutorMap.currentExecutor(), "after a run that threw");
                net.runUntilIdle();
                assertSame(own, ThreadExecutorMap.currentExecutor(), "after a run to idle");
            } finally {
                ThreadExecutorMap.setCurrentExecutor(null);
            }
            assertEquals(List.of("a true", "b true", "a true", "b true", "b task true"), seen);
        }
    }
}
