package io.nettyvirtual.channel;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelPromise;
import io.netty.util.concurrent.BlockingOperationException;
import io.netty.util.concurrent.EventExecutor;
import io.nettyvirtual.engine.Simulation;
import java.util.concurrent.TimeUnit;

/**
 * A channel promise of a virtual channel: waiting on it from the thread that drives a deterministic network drives
 * the network until it completes (see {@link DrivingWait}); a wait on an event loop's own thread fails at once with
 * advice instead of Netty's generic message.
 */
final class VirtualChannelPromise extends DefaultChannelPromise {
    VirtualChannelPromise(Channel channel) {
        super(channel);
    }

    VirtualChannelPromise(Channel channel, EventExecutor executor) {
        super(channel, executor);
    }

    private Simulation simulation() {
        EventExecutor e;
        try {
            e = executor();
        } catch (IllegalStateException notRegistered) {
            return null; // no loop yet: nothing could drive it; block (or fail) as Netty does
        }
        return e instanceof VirtualEventLoop ? ((VirtualEventLoop) e).network().simulation() : null;
    }

    @Override
    public ChannelPromise await() throws InterruptedException {
        if (isDone() || DrivingWait.drive(this, simulation())) {
            return this;
        }
        return super.await();
    }

    @Override
    public ChannelPromise awaitUninterruptibly() {
        if (isDone() || DrivingWait.driveUninterruptibly(this, simulation(), Long.MAX_VALUE)) {
            return this;
        }
        return super.awaitUninterruptibly();
    }

    @Override
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        if (isDone() || DrivingWait.drive(this, simulation(), timeout, unit)) {
            return isDone();
        }
        return super.await(timeout, unit);
    }

    @Override
    public boolean await(long timeoutMillis) throws InterruptedException {
        return await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean awaitUninterruptibly(long timeout, TimeUnit unit) {
        if (isDone() || DrivingWait.driveUninterruptibly(this, simulation(), unit.toNanos(timeout))) {
            return isDone();
        }
        return super.awaitUninterruptibly(timeout, unit);
    }

    @Override
    public boolean awaitUninterruptibly(long timeoutMillis) {
        return awaitUninterruptibly(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void checkDeadLock() {
        EventExecutor e = executor();
        if (e != null && e.inEventLoop()) {
            throw new BlockingOperationException(this + ": blocking on a simulation future from the thread of its "
                    + "event loop would stop the simulation's clock; add a listener to the future instead");
        }
    }
}
