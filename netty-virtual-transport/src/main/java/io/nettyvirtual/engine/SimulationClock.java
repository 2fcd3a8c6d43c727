package io.nettyvirtual.engine;

import io.nettyvirtual.time.TimeMode;
import io.nettyvirtual.time.VirtualClock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * The simulation's {@link VirtualClock}: the one implementation, moved only by the engine's drivers
 * ({@link #advanceTo}). In {@link TimeMode#REAL_TIME} it reads the wall clock instead.
 */
final class SimulationClock implements VirtualClock {
    private static final VarHandle NOW;

    static {
        try {
            NOW = MethodHandles.lookup().findVarHandle(SimulationClock.class, "now", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Simulation simulation;
    private final boolean wallClock;
    private final long origin;
    private volatile long now;
    private volatile ByteBuffer cell;

    SimulationClock(Simulation simulation, boolean wallClock) {
        this.simulation = simulation;
        this.wallClock = wallClock;
        this.origin = System.nanoTime();
    }

    @Override
    public long initialNanoTime() {
        return 0;
    }

    @Override
    public long nanoTime() {
        return wallClock ? System.nanoTime() - origin : now;
    }

    /** Milliseconds of simulation time since the network was built, as a double for printing. */
    public double millis() {
        return nanoTime() / 1_000_000.0;
    }

    /** Whether this clock is virtual (jumps between events) rather than the wall clock. */
    public boolean isVirtual() {
        return !wallClock;
    }

    /**
     * Waits until the simulation reaches {@code now + delay}. From a thread outside the simulation this lets the
     * simulation run meanwhile; from inside the simulation it fails, since it would stop the clock.
     */
    @Override
    public void sleep(long delay, TimeUnit unit) throws InterruptedException {
        simulation.sleep(unit.toNanos(delay));
    }

    /**
     * An 8-byte direct buffer in native byte order that always holds {@link #nanoTime()} of a virtual clock, for
     * native code that must read the simulation's time (the QUIC module answers quiche's clock from it).
     */
    public ByteBuffer timeCell() {
        ByteBuffer c = cell;
        if (c == null) {
            synchronized (this) {
                c = cell;
                if (c == null) {
                    c = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
                    c.putLong(0, now);
                    cell = c;
                }
            }
        }
        return c;
    }

    void advanceTo(long t) {
        if (wallClock || t <= now) {
            return;
        }
        // A release store: readers on other threads see the time and everything before it; no reader pairs it with
        // a later load of its own (a volatile store would add a fence that waits for the step's cache misses).
        NOW.setRelease(this, t);
        ByteBuffer c = cell;
        if (c != null) {
            c.putLong(0, t);
        }
    }

    @Override
    public String toString() {
        return String.format("%s(%.3f ms)", wallClock ? "WallClock" : "VirtualClock", millis());
    }
}
