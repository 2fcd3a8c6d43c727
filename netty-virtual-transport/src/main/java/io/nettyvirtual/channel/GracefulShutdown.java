package io.nettyvirtual.channel;

import io.netty.channel.ManualIoEventLoop;
import io.netty.util.concurrent.BlockingOperationException;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.Promise;
import io.nettyvirtual.engine.Simulation;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;

/**
 * What a {@link VirtualEventLoop} needs of {@link ManualIoEventLoop}'s private shutdown state to shut down on its
 * own in simulation time. Netty makes {@code shutdownGracefully} and {@code terminationFuture} final, waits the
 * quiet period by sleeping 100 ms of wall time per look (while a simulation's clock stands still) and completes a
 * termination future on its global executor that nothing here could drive. So the loop reads the quiet period, the
 * timeout, the shutdown's start and the last task's time, to run only tasks until Netty's next look would end the
 * shutdown and to have the clock jump to that instant; and it puts a {@link TerminationPromise} in place of Netty's
 * termination future, once, at construction, so that a wait on it drives a deterministic network.
 *
 * <p>Where those fields cannot be reached (a Netty whose {@code ManualIoEventLoop} differs), {@link #REACHABLE} is
 * false and the loop shuts down as Netty's does.
 */
final class GracefulShutdown {
    private static final VarHandle QUIET_PERIOD;
    private static final VarHandle TIMEOUT;
    private static final VarHandle START;
    private static final VarHandle LAST_EXECUTION;
    private static final Field TERMINATION_FUTURE;
    /** Whether Netty's shutdown state can be reached; all of the above are null otherwise. */
    static final boolean REACHABLE;

    static {
        VarHandle quiet = null;
        VarHandle timeout = null;
        VarHandle start = null;
        VarHandle last = null;
        Field termination = null;
        try {
            MethodHandles.Lookup netty = MethodHandles.privateLookupIn(ManualIoEventLoop.class, MethodHandles.lookup());
            quiet = netty.findVarHandle(ManualIoEventLoop.class, "gracefulShutdownQuietPeriod", long.class);
            timeout = netty.findVarHandle(ManualIoEventLoop.class, "gracefulShutdownTimeout", long.class);
            start = netty.findVarHandle(ManualIoEventLoop.class, "gracefulShutdownStartTime", long.class);
            last = netty.findVarHandle(ManualIoEventLoop.class, "lastExecutionTime", long.class);
            termination = ManualIoEventLoop.class.getDeclaredField("terminationFuture");
            if (termination.getType() != Promise.class) {
                throw new NoSuchFieldException("terminationFuture: " + termination.getType());
            }
            termination.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            quiet = null;
            timeout = null;
            start = null;
            last = null;
            termination = null;
        }
        QUIET_PERIOD = quiet;
        TIMEOUT = timeout;
        START = start;
        LAST_EXECUTION = last;
        TERMINATION_FUTURE = termination;
        REACHABLE = termination != null;
    }

    private GracefulShutdown() {}

    /**
     * Puts a termination future of this transport in place of Netty's; in the loop's constructor. Where the JVM
     * refuses to write a final field (a JDK that denies it), Netty's future stays: waits on it block as in Netty.
     */
    static void replaceTerminationFuture(VirtualEventLoop loop, Simulation simulation) {
        if (!REACHABLE) {
            return;
        }
        try {
            TERMINATION_FUTURE.set(loop, new TerminationPromise(loop, simulation));
        } catch (IllegalAccessException | RuntimeException refused) {
            // keep Netty's future
        }
    }

    /**
     * The instant at which Netty's next look ends a graceful shutdown that has begun: more than the quiet period
     * after the last task ran, or more than the timeout after the shutdown began. On the loop's thread.
     */
    static long deadline(ManualIoEventLoop loop) {
        long quiet = (long) QUIET_PERIOD.getVolatile(loop);
        long last = (long) LAST_EXECUTION.get(loop);
        long timeout = (long) TIMEOUT.getVolatile(loop);
        long start = (long) START.get(loop);
        return Math.min(saturatedAdd(last, saturatedAdd(quiet, 1)), saturatedAdd(start, saturatedAdd(timeout, 1)));
    }

    /**
     * At the first step of a graceful shutdown, on the loop's thread, before Netty records its start: Netty takes a
     * start time of 0 for "not started" and would restart the timeout at each look, so a shutdown begun at virtual
     * time 0 counts its timeout from -1 ns instead.
     */
    static void begin(ManualIoEventLoop loop, long now) {
        if (now == 0 && (long) START.get(loop) == 0) {
            START.set(loop, -1L);
        }
    }

    /** Ends the quiet period at once ("more than -1 ns without a task"): the network is closing. */
    static void endQuietPeriod(ManualIoEventLoop loop) {
        QUIET_PERIOD.setVolatile(loop, -1L);
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE - 1 : r;
    }

    /**
     * A loop's termination future: a wait on it from the driving thread drives the network; one on the loop's own
     * thread would wait for ever, so it fails at once. Its executor is Netty's global one, as for Netty's future, so
     * listeners run where they did.
     */
    private static final class TerminationPromise extends VirtualPromise<Void> {
        private final VirtualEventLoop loop;

        TerminationPromise(VirtualEventLoop loop, Simulation simulation) {
            super(GlobalEventExecutor.INSTANCE, simulation);
            this.loop = loop;
        }

        @Override
        protected void checkDeadLock() {
            if (loop.inEventLoop()) {
                throw new BlockingOperationException(this + ": waiting for an event loop's termination on the loop's "
                        + "own thread would wait for ever; add a listener to loop.terminationFuture() instead");
            }
            super.checkDeadLock();
        }
    }
}
