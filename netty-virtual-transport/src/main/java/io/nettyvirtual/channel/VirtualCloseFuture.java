package io.nettyvirtual.channel;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.AbstractFuture;
import io.netty.util.concurrent.BlockingOperationException;
import io.netty.util.concurrent.GenericFutureListener;
import io.netty.util.internal.PlatformDependent;
import io.nettyvirtual.engine.Simulation;
import java.util.concurrent.TimeUnit;

/**
 * A virtual channel's {@code closeFuture()}: a view of Netty's own close future (which the channel completes and
 * which holds every listener, so listeners run in the order and on the thread they would without it) whose waits
 * drive a deterministic network from its driving thread, see {@link DrivingWait}. A wait on the thread of the
 * channel's event loop fails at once with advice, since the channel cannot close while its loop waits.
 */
final class VirtualCloseFuture extends AbstractFuture<Void> implements ChannelFuture {
    private final Channel channel;
    private final ChannelFuture closed;

    VirtualCloseFuture(Channel channel, ChannelFuture closed) {
        this.channel = channel;
        this.closed = closed;
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public boolean isVoid() {
        return false;
    }

    /** The simulation of the channel's loop, or null while the channel is not registered with a virtual loop. */
    private Simulation simulation() {
        if (!channel.isRegistered()) {
            return null;
        }
        EventLoop loop = channel.eventLoop();
        return loop instanceof VirtualEventLoop
                ? ((VirtualEventLoop) loop).network().simulation()
                : null;
    }

    private void checkDeadLock() {
        if (channel.isRegistered() && channel.eventLoop().inEventLoop()) {
            throw new BlockingOperationException(this + ": blocking on a channel's close future from the thread of "
                    + "its event loop would stop the simulation's clock; add a listener to the future instead, or "
                    + "call network.runUntil(channel.closeFuture()) from outside the simulation");
        }
    }

    @Override
    public ChannelFuture await() throws InterruptedException {
        if (isDone() || DrivingWait.drive(this, simulation())) {
            return this;
        }
        checkDeadLock();
        closed.await();
        return this;
    }

    @Override
    public ChannelFuture awaitUninterruptibly() {
        if (isDone() || DrivingWait.driveUninterruptibly(this, simulation(), Long.MAX_VALUE)) {
            return this;
        }
        checkDeadLock();
        closed.awaitUninterruptibly();
        return this;
    }

    @Override
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        if (isDone() || DrivingWait.drive(this, simulation(), timeout, unit)) {
            return isDone();
        }
        checkDeadLock();
        return closed.await(timeout, unit);
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
        checkDeadLock();
        return closed.awaitUninterruptibly(timeout, unit);
    }

    @Override
    public boolean awaitUninterruptibly(long timeoutMillis) {
        return awaitUninterruptibly(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public ChannelFuture sync() throws InterruptedException {
        await();
        rethrowIfFailed();
        return this;
    }

    @Override
    public ChannelFuture syncUninterruptibly() {
        awaitUninterruptibly();
        rethrowIfFailed();
        return this;
    }

    private void rethrowIfFailed() {
        Throwable cause = cause();
        if (cause != null) {
            PlatformDependent.throwException(cause);
        }
    }

    @Override
    public ChannelFuture addListener(
            GenericFutureListener<? extends io.netty.util.concurrent.Future<? super Void>> listener) {
        closed.addListener(listener);
        return this;
    }

    @SafeVarargs
    @Override
    public final ChannelFuture addListeners(
            GenericFutureListener<? extends io.netty.util.concurrent.Future<? super Void>>... listeners) {
        closed.addListeners(listeners);
        return this;
    }

    @Override
    public ChannelFuture removeListener(
            GenericFutureListener<? extends io.netty.util.concurrent.Future<? super Void>> listener) {
        closed.removeListener(listener);
        return this;
    }

    @SafeVarargs
    @Override
    public final ChannelFuture removeListeners(
            GenericFutureListener<? extends io.netty.util.concurrent.Future<? super Void>>... listeners) {
        closed.removeListeners(listeners);
        return this;
    }

    @Override
    public boolean isSuccess() {
        return closed.isSuccess();
    }

    @Override
    public boolean isCancellable() {
        return closed.isCancellable();
    }

    @Override
    public Throwable cause() {
        return closed.cause();
    }

    @Override
    public Void getNow() {
        return closed.getNow();
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return closed.cancel(mayInterruptIfRunning);
    }

    @Override
    public boolean isCancelled() {
        return closed.isCancelled();
    }

    @Override
    public boolean isDone() {
        return closed.isDone();
    }

    @Override
    public String toString() {
        return channel + ".closeFuture()" + (isDone() ? "(closed)" : "(open)");
    }
}
