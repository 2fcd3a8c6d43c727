package io.nettyvirtual.engine;

import io.nettyvirtual.time.TimeMode;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * How time moves in one {@link TimeMode}: who runs the loops, who fires the network's events and when the clock
 * jumps. The {@link Simulation} holds the state (clock, schedule, loops, lock); its driver moves it. Methods marked
 * "locked" are called with the simulation's lock held.
 */
abstract class Driver {
    final Simulation sim;

    Driver(Simulation sim) {
        this.sim = sim;
    }

    /** Locked: {@code event} was just scheduled by the calling thread. */
    abstract void eventScheduled(TimedEvent event);

    /** Locked: {@code r} was just registered. */
    abstract void loopRegistered(LoopRegistration r);

    /** Locked: {@code r}'s thread exited and it was removed from the simulation. */
    abstract void loopExited(LoopRegistration r);

    /** Blocks the calling loop thread until it is woken or the clock reaches {@code deadline} (-1: none). */
    abstract void park(LoopRegistration r, long deadline);

    /** Wakes the loop of {@code r} if it is parked; if it is running, its next park returns at once. */
    abstract void wakeup(LoopRegistration r);

    /**
     * Runs (or waits for) the simulation until {@code condition} holds, the clock reaches {@code deadline} or nothing
     * is left to do; returns whether the condition holds. {@code forFuture}: the condition is a future's completion,
     * and {@code deadline} is a limit (the clock is not pulled to it when the simulation goes idle).
     */
    abstract boolean run(BooleanSupplier condition, long deadline, boolean forFuture);

    /** Waits until the clock reads now + {@code nanos}, letting the simulation run meanwhile. */
    abstract void sleep(long nanos) throws InterruptedException;

    /** Whether the calling thread is inside a step of the simulation (deterministic mode). */
    boolean inStep() {
        return false;
    }

    /** Lets the stopped loops of {@code snapshot} run until they have terminated (or it gives up). */
    abstract void runDown(List<LoopRegistration> snapshot);

    /** Locked: the simulation is now closed; release every waiter. */
    abstract void closed();

    static boolean allTerminated(List<LoopRegistration> loops) {
        for (LoopRegistration r : loops) {
            if (!r.loop.isTerminated()) {
                return false;
            }
        }
        return true;
    }
}
