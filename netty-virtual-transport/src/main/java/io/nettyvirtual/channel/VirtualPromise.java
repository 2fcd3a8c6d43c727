package io.nettyvirtual.channel;

import io.netty.util.concurrent.DefaultPromise;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import io.nettyvirtual.engine.Simulation;
import java.util.concurrent.TimeUnit;

/**
 * A promise of a virtual network (made by a virtual event loop's {@code newPromise()}, a group's termination
 * future): waiting on it from the thread that drives a deterministic network drives the network until it
 * completes, see {@link DrivingWait}.
 */
class VirtualPromise<V> extends DefaultPromise<V> {
    private final Simulation simulation;

    VirtualPromise(EventExecutor executor, Simulation simulation) {
        super(executor);
        this.simulation = simulation;
    }

    @Override
    public Promise<V> await() throws InterruptedException {
        if (isDone() || DrivingWait.drive(this, simulation)) {
            return this;
        }
        return super.await();
    }

    @Override
    public Promise<V> awaitUninterruptibly() {
        if (isDone() || DrivingWait.driveUninterruptibly(this, simulation, Long.MAX_VALUE)) {
            return this;
        }
        return super.awaitUninterruptibly();
    }

    @Override
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        if (isDone() || DrivingWait.drive(this, simulation, timeout, unit)) {
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
        if (isDone() || DrivingWait.driveUninterruptibly(this, simulation, unit.toNanos(timeout))) {
            return isDone();
        }
        return super.awaitUninterruptibly(timeout, unit);
    }

    @Override
    public boolean awaitUninterruptibly(long timeoutMillis) {
        return awaitUninterruptibly(timeoutMillis, TimeUnit.MILLISECONDS);
    }
}
