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
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.BlockingOperationException;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.testing.Recorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Waits on a channel's close future: from the driving thread of a deterministic network they drive the network
 * until the channel closes; inside the simulation they fail at once with advice; none hangs. Listeners of the close
 * future run as they do on Netty's own.
 */
class CloseFutureWaitTest {
    private static final Duration NEVER_HANG = Duration.ofSeconds(20);

    @Test
    void closeFutureSyncDrivesTheNetworkUntilTheChannelCloses() {
        assertTimeoutPreemptively(NEVER_HANG, () -> {
            try (VirtualNetwork net = VirtualNetwork.create(29)) {
                VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
                Channel ch = bind(net, group, addr("127.0.0.1", 1000), new Recorder(net.clock()));
                List<String> order = new ArrayList<>();
                ChannelFuture closeFuture = ch.closeFuture();
                assertSame(closeFuture, ch.closeFuture());
                closeFuture.addListener(f -> order.add("first"));
                ch.closeFuture().addListener(f -> order.add("second " + f.isSuccess()));
                ch.eventLoop().schedule(() -> ch.close(), 10, TimeUnit.MILLISECONDS);
                assertSame(closeFuture, ch.closeFuture().sync());
                assertEquals(TimeUnit.MILLISECONDS.toNanos(10), net.clock().nanoTime());
                assertFalse(ch.isOpen());
                assertTrue(closeFuture.isSuccess());
                assertEquals(List.of("first", "second true"), order);
                assertTrue(ch.closeFuture().await(1, TimeUnit.SECONDS), "done: returns at once");
                assertEquals(TimeUnit.MILLISECONDS.toNanos(10), net.clock().nanoTime());
            }
        });
    }

    @Test
    void closeFutureAwaitWithATimeoutWaitsThatMuchVirtualTime() throws Exception {
        try (VirtualNetwork net = VirtualNetwork.create(30)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Channel ch = bind(net, group, addr("127.0.0.1", 1000), new Recorder(net.clock()));
            ch.eventLoop().schedule(() -> ch.close(), 1, TimeUnit.SECONDS);
            assertFalse(ch.closeFuture().awaitUninterruptibly(300, TimeUnit.MILLISECONDS));
            assertEquals(TimeUnit.MILLISECONDS.toNanos(300), net.clock().nanoTime());
            assertTrue(ch.closeFuture().await(5000));
            assertEquals(TimeUnit.SECONDS.toNanos(1), net.clock().nanoTime());
        }
    }

    @Test
    void closeFutureOfAChannelNothingClosesFailsAtOnceNamingTheSeed() {
        assertTimeoutPreemptively(NEVER_HANG, () -> {
            try (VirtualNetwork net = VirtualNetwork.create(31)) {
                VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
                Channel ch = bind(net, group, addr("127.0.0.1", 1000), new Recorder(net.clock()));
                IllegalStateException e = assertThrows(
                        IllegalStateException.class, () -> ch.closeFuture().syncUninterruptibly());
                assertTrue(e.getMessage().contains("seed 31"), e.getMessage());
                assertTrue(ch.isOpen());
            }
        });
    }

    @Test
    void closeFutureWaitInsideAHandlerFailsAtOnceWithAdvice() {
        assertTimeoutPreemptively(NEVER_HANG, () -> {
            try (VirtualNetwork net = VirtualNetwork.create(32)) {
                VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
                AtomicReference<Throwable> seen = new AtomicReference<>();
                Channel ch = bind(net, group, addr("127.0.0.1", 1000), new ChannelInboundHandlerAdapter() {
                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                        try {
                            ctx.channel().closeFuture().sync();
                        } catch (Throwable t) {
                            seen.set(t);
                        }
                    }
                });
                // in a task: a handler the driving thread calls directly, outside a run, may drive the network
                ch.eventLoop().execute(() -> ch.pipeline().fireUserEventTriggered("wait"));
                net.runUntilIdle();
                assertInstanceOf(BlockingOperationException.class, seen.get());
                assertTrue(
                        seen.get().getMessage().contains("runUntil"), seen.get().getMessage());
                assertTrue(
                        seen.get().getMessage().contains("add a listener"),
                        seen.get().getMessage());
                assertTrue(ch.isOpen());
            }
        });
    }
}
