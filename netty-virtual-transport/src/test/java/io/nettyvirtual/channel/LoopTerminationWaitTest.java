package io.nettyvirtual.channel;

import static io.nettyvirtual.testing.Nets.addr;
import static io.nettyvirtual.testing.Nets.bind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.BlockingOperationException;
import io.netty.util.concurrent.Future;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.testing.Recorder;
import io.nettyvirtual.time.TimeMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Waits on one event loop's termination (after its own graceful shutdown, whose quiet period passes in simulation
 * time, or any other): from the driving thread of a deterministic network they drive the network; on the loop's
 * own thread they fail at once with advice; none hangs. {@link DrivingThreadWaitTest} covers the group's.
 */
class LoopTerminationWaitTest {
    private static final Duration NEVER_HANG = Duration.ofSeconds(20);
    /** Netty ends a quiet period once more than the period has passed without a task: 1 ns more. */
    private static final long DEFAULT_QUIET_END = TimeUnit.SECONDS.toNanos(2) + 1;

    @Test
    void loopShutdownGracefullySyncDrivesItsQuietPeriod() {
        assertTimeoutPreemptively(NEVER_HANG, () -> {
            try (VirtualNetwork net = VirtualNetwork.create(21)) {
                VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
                Channel ch = bind(net, group, addr("127.0.0.1", 1000), new Recorder(net.clock()));
                EventLoop loop = ch.eventLoop();
                long wallStart = System.nanoTime();
                loop.shutdownGracefully().sync();
                assertTrue(
                        System.nanoTime() - wallStart < TimeUnit.SECONDS.toNanos(1),
                        "the quiet period passes in simulation time, not by sleeping");
                assertTrue(loop.isTerminated());
                assertFalse(ch.isOpen(), "the loop closed its channel");
                assertEquals(DEFAULT_QUIET_END, net.clock().nanoTime());
                assertTrue(group.terminationFuture().isSuccess(), "the group's only loop has terminated");
            }
        });
    }

    @Test
    void aTaskInTheQuietPeriodExtendsIt() {
        assertTimeoutPreemptively(NEVER_HANG, () -> {
            try (VirtualNetwork net = VirtualNetwork.create(22)) {
                VirtualEventLoopGroup group = new VirtualEventLoopGroup(net, 2);
                EventLoop a = group.next();
                EventLoop b = group.next();
                List<Long> ranAt = new ArrayList<>();
                b.schedule(() -> a.execute(() -> ranAt.add(net.clock().nanoTime())), 500, TimeUnit.MILLISECONDS);
                Future<?> terminated = a.shutdownGracefully(1, 5, TimeUnit.SECONDS);
                assertSame(terminated, a.terminationFuture());
                terminated.syncUninterruptibly();
                assertEquals(List.of(TimeUnit.MILLISECONDS.toNanos(500)), ranAt, "tasks still run in the quiet period");
                assertEquals(
                        TimeUnit.MILLISECONDS.toNanos(1500) + 1, net.clock().nanoTime());
                assertFalse(b.isShuttingDown(), "only that loop shuts down");
                assertFalse(group.terminationFuture().isDone());
            }
        });
    }

    @Test
    void theTimeoutEndsAQuietPeriodThatTasksKeepExtending() {
        assertTimeoutPreemptively(NEVER_HANG, () -> {
            try (VirtualNetwork net = VirtualNetwork.create(23)) {
                VirtualEventLoopGroup group = new VirtualEventLoopGroup(net, 2);
                EventLoop a = group.next();
                EventLoop b = group.next();
                b.scheduleAtFixedRate(() -> a.execute(() -> {}), 100, 100, TimeUnit.MILLISECONDS);
                a.shutdownGracefully(1, 3, TimeUnit.SECONDS).sync();
                // more than the timeout after the start, which at virtual time 0 counts from -1 ns (Netty reads a
                // start time of 0 as "not started")
                assertEquals(TimeUnit.SECONDS.toNanos(3), net.clock().nanoTime());
                assertTrue(a.isTerminated());

                EventLoop c = new VirtualEventLoopGroup(net).next();
                c.execute(() -> {}); // keep it busy: a task at the start of the shutdown
                b.scheduleAtFixedRate(() -> c.execute(() -> {}), 100, 100, TimeUnit.MILLISECONDS);
                c.shutdownGracefully(1, 2, TimeUnit.SECONDS).sync();
                assertEquals(TimeUnit.SECONDS.toNanos(5) + 1, net.clock().nanoTime(), "later: from its start");
            }
        });
    }

    @Test
    void aLoopsTerminationFutureIsWaitedOnWhateverShutItDown() {
        assertTimeoutPreemptively(NEVER_HANG, () -> {
            try (VirtualNetwork net = VirtualNetwork.create(24)) {
                VirtualEventLoopGroup group = new VirtualEventLoopGroup(net, 2);
                EventLoop loop = group.next();
                group.shutdownGracefully();
                loop.terminationFuture().sync();
                assertEquals(TimeUnit.SECONDS.toNanos(2), net.clock().nanoTime(), "the group's quiet period");

                VirtualEventLoopGroup other = new VirtualEventLoopGroup(net);
                EventLoop single = other.next();
                single.shutdownGracefully(0, 0, TimeUnit.SECONDS);
                assertTrue(single.awaitTermination(1, TimeUnit.MILLISECONDS));
                assertEquals(TimeUnit.SECONDS.toNanos(2), net.clock().nanoTime(), "no quiet period: at once");
            }
        });
    }

    @Test
    void awaitTerminationWaitsThatMuchVirtualTime() throws Exception {
        try (VirtualNetwork net = VirtualNetwork.create(25)) {
            EventLoop loop = new VirtualEventLoopGroup(net).next();
            loop.shutdownGracefully(1, 10, TimeUnit.SECONDS);
            assertFalse(loop.awaitTermination(400, TimeUnit.MILLISECONDS));
            assertEquals(TimeUnit.MILLISECONDS.toNanos(400), net.clock().nanoTime());
            assertTrue(loop.terminationFuture().await(2, TimeUnit.SECONDS));
            assertEquals(TimeUnit.SECONDS.toNanos(1) + 1, net.clock().nanoTime());
        }
    }

    @Test
    void aWaitOnALoopNothingShutsDownFailsAtOnceNamingTheSeed() {
        assertTimeoutPreemptively(NEVER_HANG, () -> {
            try (VirtualNetwork net = VirtualNetwork.create(26)) {
                EventLoop loop = new VirtualEventLoopGroup(net).next();
                IllegalStateException e = assertThrows(
                        IllegalStateException.class,
                        () -> loop.terminationFuture().sync());
                assertTrue(e.getMessage().contains("seed 26"), e.getMessage());
            }
        });
    }

    @Test
    void closingTheNetworkEndsALoopsQuietPeriod() {
        assertTimeoutPreemptively(NEVER_HANG, () -> {
            VirtualNetwork net = VirtualNetwork.create(27);
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Channel ch = bind(net, group, addr("127.0.0.1", 1000), new Recorder(net.clock()));
            EventLoop loop = ch.eventLoop();
            loop.shutdownGracefully(1, 10, TimeUnit.SECONDS);
            net.runFor(Duration.ofMillis(100));
            long wallStart = System.nanoTime();
            net.close();
            assertTrue(System.nanoTime() - wallStart < TimeUnit.SECONDS.toNanos(1), "no wall-time quiet period");
            assertTrue(loop.isTerminated());
            assertTrue(loop.terminationFuture().isSuccess());
            assertTrue(group.terminationFuture().isSuccess());
            assertEquals(TimeUnit.MILLISECONDS.toNanos(100), net.clock().nanoTime());
        });
    }

    @Test
    void waitsOnALoopsTerminationInsideTheSimulationFailAtOnceWithAdvice() {
        assertTimeoutPreemptively(NEVER_HANG, () -> {
            try (VirtualNetwork net = VirtualNetwork.create(28)) {
                EventLoop loop = new VirtualEventLoopGroup(net).next();
                AtomicReference<Throwable> seen = new AtomicReference<>();
                loop.execute(() -> {
                    try {
                        loop.terminationFuture().sync();
                    } catch (Throwable t) {
                        seen.set(t);
                    }
                    try {
                        loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
                    } catch (Throwable t) {
                        seen.get().addSuppressed(t);
                    }
                });
                net.runUntilIdle();
                assertInstanceOf(BlockingOperationException.class, seen.get());
                assertTrue(
                        seen.get().getMessage().contains("add a listener"),
                        seen.get().getMessage());
                assertInstanceOf(BlockingOperationException.class, seen.get().getSuppressed()[0]);
                assertTrue(loop.isTerminated(), "the shutdown asked for inside still happens");
            }
        });
    }

    @Test
    void threadedModeWaitsOnTheLoopsOwnThreadFailAtOnceWithAdvice() {
        assertTimeoutPreemptively(NEVER_HANG, () -> {
            try (VirtualNetwork net =
                    VirtualNetwork.builder().mode(TimeMode.THREADED).seed(33).build()) {
                VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
                Channel ch = new io.netty.bootstrap.Bootstrap()
                        .group(group)
                        .channel(VirtualDatagramChannel.class)
                        .handler(new ChannelInboundHandlerAdapter())
                        .bind(addr("127.0.0.1", 1000))
                        .sync()
                        .channel();
                EventLoop loop = ch.eventLoop();
                List<Throwable> seen = loop.submit(() -> {
                            List<Throwable> s = new ArrayList<>();
                            try {
                                ch.closeFuture().await();
                            } catch (Throwable t) {
                                s.add(t);
                            }
                            try {
                                loop.terminationFuture().awaitUninterruptibly();
                            } catch (Throwable t) {
                                s.add(t);
                            }
                            return s;
                        })
                        .get();
                assertEquals(2, seen.size(), seen.toString());
                for (Throwable t : seen) {
                    assertInstanceOf(BlockingOperationException.class, t);
                    assertTrue(t.getMessage().contains("add a listener"), t.getMessage());
                }
                ch.close().sync();
                ch.closeFuture().sync();
            }
        });
    }

    @Test
    void threadedModeLoopShutdownGracefullyWaitsItsQuietPeriodInSimulationTime() {
        assertTimeoutPreemptively(NEVER_HANG, () -> {
            try (VirtualNetwork net =
                    VirtualNetwork.builder().mode(TimeMode.THREADED).seed(34).build()) {
                EventLoop loop = new VirtualEventLoopGroup(net).next();
                long wallStart = System.nanoTime();
                loop.shutdownGracefully().sync();
                assertTrue(
                        System.nanoTime() - wallStart < TimeUnit.SECONDS.toNanos(1),
                        "the clock moves while the loop waits: no wall-time sleeps");
                assertEquals(DEFAULT_QUIET_END, net.clock().nanoTime());
            }
        });
    }
}
