package io.nettyvirtual.engine;

import java.util.concurrent.locks.Condition;

/**
 * A loop's seat in a {@link Simulation}: how its I/O handler waits for work in simulation time and how others
 * wake it. Held by the transport's I/O handler; users do not use it.
 */
public final class LoopRegistration {
    final Simulation simulation;
    final SimulatedLoop loop;
    final Condition wake;
    boolean idle;
    boolean woken;
    long deadline = -1;

    LoopRegistration(Simulation simulation, SimulatedLoop loop) {
        this.simulation = simulation;
        this.loop = loop;
        this.wake = simulation.lock.newCondition();
    }

    /**
     * Blocks the calling loop thread until it is woken or the clock reaches {@code deadline} ({@code -1}: no
     * deadline). Only in the threaded modes; a deterministic loop never blocks.
     */
    public void park(long deadline) {
        simulation.park(this, deadline);
    }

    /** Wakes the loop if it is parked; if it is running, its next park returns at once. */
    public void wakeup() {
        simulation.wakeup(this);
    }
}
