package io.nettyvirtual.channel;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import io.netty.util.concurrent.AbstractEventExecutorGroup;
import io.netty.util.concurrent.DefaultPromise;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.Ticker;
import io.nettyvirtual.network.VirtualNetwork;
import io.nettyvirtual.time.TimeMode;
import io.nettyvirtual.time.TimedEvent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
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
    private final Promise<?> terminationFuture = new DefaultPromise<Void>(GlobalEventExecutor.INSTANCE);
    private final AtomicInteger next = new AtomicInteger();
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
        this.loops = new VirtualEventLoop[nLoops];
        int groupId = GROUP_IDS.incrementAndGet();
        AtomicInteger remaining = new AtomicInteger(nLoops);
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
            loop.terminationFuture().addListener(f -> {
                if (remaining.decrementAndGet() == 0) {
                    terminationFuture.trySuccess(null);
                }
            });
        }
        List<EventExecutor> list = new ArrayList<>(nLoops);
        Collections.addAll(list, loops);
        readonly = Collections.unmodifiableList(list);
        network.track(this);
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
                    loop.run(0);
                }
            } finally {
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

    @Override
    public ChannelFuture register(Channel channel) {
        EventLoop loop = next();
        return loop.register(new VirtualChannelPromise(channel, loop));
    }

    @Override
    public ChannelFuture register(ChannelPromise promise) {
        return next().register(promise);
    }

    @Deprecated
    @Override
    public ChannelFuture register(Channel channel, ChannelPromise promise) {
        return next().register(channel, promise);
    }

    @Override
    public boolean isShuttingDown() {
        return shuttingDown;
    }

    /**
     * Shuts the group down once {@code quietPeriod} of simulation time has passed; the loops then run their pending
     * tasks and close their channels. In deterministic mode drive the simulation to let it happen, e.g.
     * {@code network.runUntil(group.shutdownGracefully())}.
     */
    @Override
    public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
        if (quietPeriod < 0) {
            throw new IllegalArgumentException("quietPeriod: " + quietPeriod + " (expected >= 0)");
        }
        if (timeout < quietPeriod) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected >= quietPeriod (" + quietPeriod + "))");
        }
        if (shuttingDown) {
            return terminationFuture;
        }
        shuttingDown = true;
        long quiet = unit.toNanos(quietPeriod);
        if (quiet == 0 || network.simulation().isClosed()) {
            shutdownLoops();
        } else {
            network.simulation().schedule(new TimedEvent() {
                @Override
                protected void fire() {
                    shutdownLoops();
                }
            }, network.clock().nanoTime() + quiet);
        }
        return terminationFuture;
    }

    private void shutdownLoops() {
        for (VirtualEventLoop loop : loops) {
            loop.stop();
        }
    }

    @Override
    public Future<?> terminationFuture() {
        return terminationFuture;
    }

    @Deprecated
    @Override
    public void shutdown() {
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
