package io.nettyvirtual.channel;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import io.netty.util.concurrent.AbstractEventExecutorGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.Ticker;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.engine.TimedEvent;
import io.nettyvirtual.time.TimeMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link io.netty.channel.EventLoopGroup} of a {@link VirtualNetwork}: use it with
 * {@link VirtualDatagramChannel} in a {@code Bootstrap}. Its loops schedule on the network's clock. Channels are
 * assigned to loops round-robin, in a deterministic order.
 *
 * <pre>{@code
 * VirtualNetwork net = VirtualNetwork.create(42);
 * EventLoopGroup group = new VirtualEventLoopGroup(net);
 * Channel ch = new Bootstrap().group(group).channel(VirtualDatagramChannel.class)
 *         .handler(myHandler).bind(new InetSocketAddress("127.0.0.1", 0)).channel();
 * }</pre>
 *
 * <p>{@link #shutdownGracefully(long, long, TimeUnit)} waits its quiet period in simulation time.
 */
public final class VirtualEventLoopGroup extends AbstractEventExecutorGroup implements IoEventLoopGroup {
    private static final AtomicInteger GROUP_IDS = new AtomicInteger();

    private final VirtualNetwork network;
    private final VirtualEventLoop[] loops;
    private final List<EventExecutor> readonly;
    private final Promise<?> terminationFuture;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger running;
    private volatile boolean shuttingDown;

    /** A group of one loop on {@code network}. */
    public VirtualEventLoopGroup(VirtualNetwork network) {
        this(network, 1);
    }

    /** A group of {@code nLoops} loops on {@code network}. */
    public VirtualEventLoopGroup(VirtualNetwork network, int nLoops) {
        if (network == null) {
            throw new NullPointerException("network");
        }
        if (nLoops <= 0) {
            throw new IllegalArgumentException("nLoops: " + nLoops + " (expected > 0)");
        }
        this.network = network;
        this.terminationFuture = new VirtualPromise<Void>(GlobalEventExecutor.INSTANCE, network.simulation());
        this.loops = new VirtualEventLoop[nLoops];
        this.running = new AtomicInteger(nLoops);
        int groupId = GROUP_IDS.incrementAndGet();
        for (int i = 0; i < nLoops; i++) {
            VirtualEventLoop loop;
            if (network.mode() == TimeMode.DETERMINISTIC) {
                loop = new VirtualEventLoop(this, network.simulation().driverThread(), network);
            } else {
                LoopThread t = new LoopThread("netty-virtual-" + groupId + "-" + i);
                loop = new VirtualEventLoop(this, t, network);
                t.loop = loop;
                t.start();
            }
            loops[i] = loop;
            VirtualEventLoop l = loop;
            loop.terminationFuture().addListener(f -> l.reportTermination());
        }
        List<EventExecutor> list = new ArrayList<>(nLoops);
        Collections.addAll(list, loops);
        readonly = Collections.unmodifiableList(list);
        network.simulation().addCloseHook(this::stopLoops);
    }

    private final class LoopThread extends Thread {
        VirtualEventLoop loop;

        LoopThread(String name) {
            super(name);
            setDaemon(true);
        }

        @Override
        public void run() {
            network.simulation().initializeThread();
            try {
                while (!loop.isTerminated()) {
                    loop.runOnItsThread();
                }
            } finally {
                loop.reportTermination();
                network.simulation().loopThreadExited(loop.registration);
            }
        }
    }

    /** The network this group's loops belong to. */
    public VirtualNetwork network() {
        return network;
    }

    @Override
    public Ticker ticker() {
        return network.clock();
    }

    @Override
    public IoEventLoop next() {
        return loops[Math.floorMod(next.getAndIncrement(), loops.length)];
    }

    @Override
    public Iterator<EventExecutor> iterator() {
        return readonly.iterator();
    }

    /**
     * Registers {@code channel} with the next loop. On a closed network, or a group that is shutting down, the
     * returned future fails (saying so) instead of the call throwing, as {@code Bootstrap} expects.
     */
    @Override
    public ChannelFuture register(Channel channel) {
        if (channel == null) {
            throw new NullPointerException("channel");
        }
        if (refusal() != null) {
            ChannelPromise failed = new DefaultChannelPromise(channel, GlobalEventExecutor.INSTANCE);
            refused(failed);
            return failed;
        }
        EventLoop loop = next();
        return loop.register(new VirtualChannelPromise(channel, loop));
    }

    @Override
    public ChannelFuture register(ChannelPromise promise) {
        if (promise == null) {
            throw new NullPointerException("promise");
        }
        return refused(promise) ? promise : next().register(promise);
    }

    @Deprecated
    @Override
    public ChannelFuture register(Channel channel, ChannelPromise promise) {
        if (promise == null) {
            throw new NullPointerException("promise");
        }
        return refused(promise) ? promise : next().register(channel, promise);
    }

    /** Fails {@code promise} if no channel can be registered any more; returns whether it did. */
    private boolean refused(ChannelPromise promise) {
        String why = refusal();
        if (why == null) {
            return false;
        }
        promise.tryFailure(new RejectedExecutionException("cannot register " + promise.channel() + ": " + why));
        return true;
    }

    private String refusal() {
        return network.isClosed() ? network + " is closed" : isShutdown() ? this + " is shut down" : null;
    }

    @Override
    public String toString() {
        return "VirtualEventLoopGroup(" + loops.length + (loops.length == 1 ? " loop" : " loops") + ", " + network
                + ")";
    }

    @Override
    public boolean isShuttingDown() {
        return shuttingDown;
    }

    /**
     * Shuts the group down once {@code quietPeriod} of simulation time has passed; the loops then run their pending
     * tasks and close their channels. In deterministic mode the simulation must run for it to happen: waiting on the
     * returned future from the driving thread ({@code group.shutdownGracefully().sync()}, e.g. in a {@code finally})
     * drives it, as {@code network.runUntil(group.shutdownGracefully())} does.
     */
    @Override
    public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
        if (quietPeriod < 0) {
            throw new IllegalArgumentException("quietPeriod: " + quietPeriod + " (expected >= 0)");
        }
        if (timeout < quietPeriod) {
            throw new IllegalArgumentException(
                    "timeout: " + timeout + " (expected >= quietPeriod (" + quietPeriod + "))");
        }
        if (shuttingDown) {
            return terminationFuture;
        }
        shuttingDown = true;
        long quiet = unit.toNanos(quietPeriod);
        if (quiet == 0 || network.simulation().isClosed()) {
            shutdownLoops();
        } else {
            network.simulation()
                    .schedule(
                            new TimedEvent() {
                                @Override
                                protected void fire() {
                                    shutdownLoops();
                                }
                            },
                            saturatedDeadline(network.clock().nanoTime(), quiet));
        }
        return terminationFuture;
    }

    private static long saturatedDeadline(long now, long delay) {
        long d = now + delay;
        return d < 0 || d == Long.MAX_VALUE ? Long.MAX_VALUE - 1 : d;
    }

    private void shutdownLoops() {
        for (VirtualEventLoop loop : loops) {
            loop.stop();
        }
    }

    /** Called once per loop, when it has terminated. */
    void loopTerminated() {
        if (running.decrementAndGet() == 0) {
            terminationFuture.trySuccess(null);
        }
    }

    /**
     * Completes when every loop has terminated. Waiting on it ({@code sync()}, {@code await()}) from the thread that
     * drives a deterministic network drives the network until then, as {@code network.runUntil(future)} does.
     */
    @Override
    public Future<?> terminationFuture() {
        return terminationFuture;
    }

    @Deprecated
    @Override
    public void shutdown() {
        stopLoops();
    }

    /** Stops the loops without a quiet period; also what closing the network does. */
    private void stopLoops() {
        shuttingDown = true;
        shutdownLoops();
    }

    @Override
    public boolean isShutdown() {
        for (VirtualEventLoop l : loops) {
            if (!l.isShutdown()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean isTerminated() {
        for (VirtualEventLoop l : loops) {
            if (!l.isTerminated()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminationFuture.await(timeout, unit);
    }
}
