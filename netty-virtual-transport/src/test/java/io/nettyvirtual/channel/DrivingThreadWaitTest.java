package io.nettyvirtual.channel;

import static io.nettyvirtual.testing.Nets.addr;
import static io.nettyvirtual.testing.Nets.bind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.BlockingOperationException;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.testing.Recorder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Waiting on a future of a deterministic network from its driving thread, between run calls, drives the network
 * until the future completes; inside the simulation it fails at once with advice; it never hangs.
 */
class DrivingThreadWaitTest {
    private static final Duration NEVER_HANG = Duration.ofSeconds(20);

    @Test
    void shutdownGracefullySyncInAFinallyDrivesTheQuietPeriod() {
        assertTimeoutPreemptively(NEVER_HANG, () -> {
            try (VirtualNetwork net = VirtualNetwork.create(1)) {
                VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
                Channel ch;
                try {
                    ch = bind(net, group, addr("127.0.0.1", 1000), new Recorder(net.clock()));
                } finally {
                    group.shutdownGracefully().sync();
                }
                assertTrue(group.isTerminated());
                assertTrue(group.terminationFuture().isSuccess());
                assertFalse(ch.isOpen(), "the loop closed its channel");
                assertEquals(TimeUnit.SECONDS.toNanos(2), net.clock().nanoTime(), "Netty's default quiet period");
            }
        });
    }

    @Test
    void terminationFutureSyncAfterShutdownGracefullyWithoutQuietPeriod() {
        assertTimeoutPreemptively(NEVER_HANG, () -> {
            try (VirtualNetwork net = VirtualNetwork.create(2)) {
                VirtualEventLoopGroup group = new VirtualEventLoopGroup(net, 3);
                group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
                group.terminationFuture().sync();
                assertTrue(group.isTerminated());
                assertEquals(0, net.clock().nanoTime());
                // and a group shut down by the network's close: its future is complete once close returns
                VirtualEventLoopGroup other = new VirtualEventLoopGroup(net);
                net.close();
                other.terminationFuture().syncUninterruptibly();
                assertTrue(other.terminationFuture().isSuccess());
            }
        });
    }

    @Test
    void submitAndScheduleFuturesCanBeWaitedOn() throws Exception {
        try (VirtualNetwork net = VirtualNetwork.create(3)) {
            EventLoop loop = new VirtualEventLoopGroup(net).next();
            assertEquals(42, loop.submit(() -> 42).get());
            Future<?> ran = loop.submit(() -> {});
            ran.sync();
            assertTrue(ran.isSuccess());
            assertEquals("x", loop.schedule(() -> "x", 5, TimeUnit.MILLISECONDS).get());
            assertEquals(TimeUnit.MILLISECONDS.toNanos(5), net.clock().nanoTime());
            loop.schedule(() -> {}, 7, TimeUnit.MILLISECONDS).syncUninterruptibly();
            assertEquals(TimeUnit.MILLISECONDS.toNanos(12), net.clock().nanoTime());
        }
    }

    @Test
    void awaitWithATimeoutWaitsThatMuchVirtualTime() throws Exception {
        try (VirtualNetwork net = VirtualNetwork.create(4)) {
            EventLoop loop = new VirtualEventLoopGroup(net).next();
            Future<String> late = loop.schedule(() -> "late", 1, TimeUnit.SECONDS);
            assertFalse(late.await(100, TimeUnit.MILLISECONDS));
            assertEquals(TimeUnit.MILLISECONDS.toNanos(100), net.clock().nanoTime());
            assertTrue(late.await(2, TimeUnit.SECONDS));
            assertEquals(TimeUnit.SECONDS.toNanos(1), net.clock().nanoTime(), "returns as soon as it completes");
        }
    }

    @Test
    void promisesOfTheChannelAndOfTheExecutorCanBeWaitedOn() throws Exception {
        try (VirtualNetwork net = VirtualNetwork.create(5)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Channel ch = bind(net, group, addr("127.0.0.1", 1000), new Recorder(net.clock()));
            ChannelPromise cp = ch.newPromise();
            ch.eventLoop().schedule(() -> cp.setSuccess(), 10, TimeUnit.MILLISECONDS);
            cp.sync();
            assertEquals(TimeUnit.MILLISECONDS.toNanos(10), net.clock().nanoTime());

            Promise<String> ep = ch.eventLoop().newPromise();
            ch.eventLoop().schedule(() -> ep.setSuccess("done"), 10, TimeUnit.MILLISECONDS);
            assertEquals("done", ep.get());
            assertEquals(TimeUnit.MILLISECONDS.toNanos(20), net.clock().nanoTime());

            ch.eventLoop().newProgressivePromise().setSuccess(null).sync();
        }
    }

    @Test
    void unchangedBlockingBootstrapCodeWorks() throws Exception {
        try (VirtualNetwork net = VirtualNetwork.create(6)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Recorder rec = new Recorder(net.clock());
            Channel ch = new Bootstrap()
                    .group(group)
                    .channel(VirtualDatagramChannel.class)
                    .handler(rec)
                    .bind(addr("127.0.0.1", 1000))
                    .sync()
                    .channel();
            ch.writeAndFlush(io.nettyvirtual.testing.Nets.text("hi", addr("127.0.0.1", 1000)))
                    .sync();
            net.runUntilIdle();
            assertEquals("hi", rec.last().text);
            ch.close().sync();
            assertFalse(ch.isOpen());
        }
    }

    @Test
    void aWaitInsideTheSimulationFailsAtOnceWithAdvice() {
        try (VirtualNetwork net = VirtualNetwork.create(7)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            EventLoop loop = group.next();
            Promise<Void> never = loop.newPromise();
            AtomicReference<Throwable> seen = new AtomicReference<>();
            loop.execute(() -> {
                try {
                    group.terminationFuture().sync();
                } catch (Throwable t) {
                    seen.set(t);
                }
                try {
                    never.await();
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
        }
    }

    @Test
    void aWaitOnAFutureNothingCanCompleteFailsAtOnceNamingTheSeed() {
        try (VirtualNetwork net = VirtualNetwork.create(8)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Channel ch = bind(net, group, addr("127.0.0.1", 1000), new Recorder(net.clock()));
            long start = System.nanoTime();
            IllegalStateException e = assertThrows(
                    IllegalStateException.class, () -> ch.newPromise().sync());
            assertTrue(e.getMessage().contains("seed 8"), e.getMessage());
            assertThrows(
                    IllegalStateException.class, () -> group.next().newPromise().get());
            assertTrue(
                    System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(400),
                    "nothing can wake a simulation only the driving thread touches: no wall-time wait");
        }
    }

    @Test
    void aFutureCompletedByAnotherThreadThatHandsWorkToTheNetworkIsWaitedFor() throws Exception {
        try (VirtualNetwork net = VirtualNetwork.create(9)) {
            EventLoop loop = new VirtualEventLoopGroup(net).next();
            Thread helper = new Thread(() -> loop.execute(() -> {}));
            helper.start();
            helper.join();
            net.runUntilIdle();
            // Another thread has handed work to the network: an idle wait now gives it time to hand more.
            Promise<String> p = loop.newPromise();
            Thread t = new Thread(() -> loop.execute(() -> p.setSuccess("from outside")));
            t.start();
            assertEquals("from outside", p.get());
            t.join();
        }
    }
}
