package io.nettyvirtual.channel;

import io.netty.util.concurrent.DefaultProgressivePromise;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ProgressivePromise;
import io.nettyvirtual.engine.Simulation;
import java.util.concurrent.TimeUnit;

/** A progressive promise of a virtual event loop; waits on it drive as a {@link VirtualPromise}'s do. */
final class VirtualProgressivePromise<V> extends DefaultProgressivePromise<V> {
    private final Simulation simulation;

    VirtualProgressivePromise(EventExecutor executor, Simulation simulation) {
        super(executor);
        this.simulation = simulation;
    }

    @Override
    public ProgressivePromise<V> await() throws InterruptedException {
        if (isDone() || DrivingWait.drive(this, simulation)) {
            return this;
        }
        return super.await();
    }

    @Override
    public ProgressivePromise<V> awaitUninterruptibly() {
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
    public boolean awaitUninterruptibly(long timeout, TimeUnit unit) {
        if (isDone() || DrivingWait.driveUninterruptibly(this, simulation, unit.toNanos(timeout))) {
            return isDone();
        }
        return super.awaitUninterruptibly(timeout, unit);
    }
}
