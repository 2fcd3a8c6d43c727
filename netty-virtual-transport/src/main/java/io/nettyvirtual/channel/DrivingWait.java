package io.nettyvirtual.channel;

import io.netty.util.concurrent.Future;
import io.nettyvirtual.engine.Simulation;
import java.util.concurrent.TimeUnit;

/**
 * How the promises of this transport serve a wait: on the thread that drives a deterministic network, outside the
 * simulation, waiting drives the network until the future completes (so {@code group.shutdownGracefully().sync()}
 * or {@code bootstrap.bind(a).sync()} just work); inside the simulation it fails at once with advice; elsewhere the
 * caller blocks as usual. See {@link Simulation#awaitByDriving}.
 */
final class DrivingWait {
    private DrivingWait() {}

    /** Whether the wait was served by driving (the caller then returns); false: block as usual. */
    static boolean drive(Future<?> future, Simulation simulation) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException(future.toString());
        }
        return driveUninterruptibly(future, simulation, Long.MAX_VALUE);
    }

    /** As {@link #drive(Future, Simulation)}, with a timeout in virtual time. */
    static boolean drive(Future<?> future, Simulation simulation, long timeout, TimeUnit unit)
            throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException(future.toString());
        }
        return driveUninterruptibly(future, simulation, unit.toNanos(timeout));
    }

    static boolean driveUninterruptibly(Future<?> future, Simulation simulation, long timeoutNanos) {
        return simulation != null && simulation.awaitByDriving(future, timeoutNanos);
    }
}
