package io.nettyvirtual.time;

import static io.nettyvirtual.testing.Nets.addr;
import static io.nettyvirtual.testing.Nets.bind;
import static io.nettyvirtual.testing.Nets.sized;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.ScheduledFuture;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.channel.VirtualEventLoopGroup;
import io.nettyvirtual.network.Host;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.testing.Recorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Netty's timers on a virtual loop run on the simulation clock. */
class TimersTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void idleStateHandlerFiresExactlyAtItsTimeout() {
        try (VirtualNetwork net = VirtualNetwork.create(21)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Host a = net.newHost("a", "10.0.0.1");
            Host b = net.newHost("b", "10.0.0.2");
            net.newWire(a, b, LinkConfig.delayed(Duration.ofMillis(250)));
            List<Long> idleAt = new ArrayList<>();
            Recorder rec = new Recorder(net.clock());
            Channel sender = bind(net, group, addr("10.0.0.1", 1), new Recorder(net.clock()));
            bind(net, group, addr("10.0.0.2", 2), new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new IdleStateHandler(30, 0, 0), rec, new ChannelInboundHandlerAdapter() {
                        @Override
                        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                            if (evt instanceof IdleStateEvent) {
                                idleAt.add(net.clock().nanoTime());
                            }
                        }
                    });
                }
            });

            net.runFor(Duration.ofSeconds(10));
            sender.writeAndFlush(sized(10, addr("10.0.0.2", 2))); // read at 10.25 s
            net.runUntil(() -> idleAt.size() == 1);

            assertEquals(10 * SECOND + SECOND / 4, rec.last().nanos);
            assertEquals(rec.last().nanos + 30 * SECOND, idleAt.get(0), "idle exactly 30 s after the last read");
        }
    }

    @Test
    void readTimeoutHandlerClosesAtItsVirtualDeadline() {
        try (VirtualNetwork net = VirtualNetwork.create(22)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            AtomicLong timedOutAt = new AtomicLong(-1);
            Channel ch = bind(net, group, addr("127.0.0.1", 5000), new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new ReadTimeoutHandler(5), new ChannelInboundHandlerAdapter() {
                        @Override
                        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                            if (cause instanceof ReadTimeoutException) {
                                timedOutAt.set(net.clock().nanoTime());
                            }
                        }
                    });
                }
            });
            net.runUntil(ch.closeFuture());
            assertEquals(5 * SECOND, timedOutAt.get());
        }
    }

    @Test
    void anHourOfVirtualTrafficFinishes() {
        try (VirtualNetwork net = VirtualNetwork.create(23)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Host a = net.newHost("a", "10.0.0.1");
            Host b = net.newHost("b", "10.0.0.2");
            net.newWire(a, b, LinkConfig.delayed(Duration.ofMillis(40)).bytesPerSecond(125_000));
            Recorder rec = new Recorder(net.clock());
            Channel sender = bind(net, group, addr("10.0.0.1", 1), new Recorder(net.clock()));
            bind(net, group, addr("10.0.0.2", 2), rec);
            // One 1,250-byte datagram every second for an hour: a telemetry stream.
            ScheduledFuture<?> tick = sender.eventLoop()
                    .scheduleAtFixedRate(
                            () -> sender.writeAndFlush(sized(1250, addr("10.0.0.2", 2))), 0, 1, TimeUnit.SECONDS);
            net.runFor(Duration.ofHours(1));
            tick.cancel(false);
            net.runUntilIdle();

            // Ticks at 0, 1, ..., 3600 s: runFor includes what is due at its last instant.
            assertEquals(3601, rec.count());
            // The last was sent at 3600 s: 10 ms of serialization and 40 ms of delay.
            assertEquals(3600 * SECOND + 50_000_000L, rec.last().nanos);
        }
    }

    @Test
    void clockIsAlsoAScheduledExecutorService() throws Exception {
        try (VirtualNetwork net = VirtualNetwork.create(24)) {
            ScheduledExecutorService ses = net.scheduler();
            AtomicLong ranAt = new AtomicLong();
            java.util.concurrent.ScheduledFuture<?> f =
                    ses.schedule(() -> ranAt.set(net.clock().nanoTime()), 90, TimeUnit.SECONDS);
            net.runUntil(() -> f.isDone());
            assertEquals(90 * SECOND, ranAt.get());
            assertTrue(f.isDone() && !f.isCancelled());
        }
    }

    @Test
    void groupShutdownWaitsItsQuietPeriodInVirtualTime() {
        try (VirtualNetwork net = VirtualNetwork.create(25)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net, 2);
            Channel ch = bind(net, group, addr("127.0.0.1", 5001), new Recorder(net.clock()));
            net.runUntil(group.shutdownGracefully(2, 15, TimeUnit.SECONDS));
            assertTrue(group.isTerminated());
            assertEquals(2 * SECOND, net.clock().nanoTime());
            assertTrue(!ch.isOpen());
        }
    }
}
