package io.nettyvirtual.engine;

/**
 * Something that happens at a point of simulation time: a packet reaching the end of a wire, a queue finishing
 * the serialization of a packet. Network elements own their events and reschedule them, so the per-packet path
 * allocates no event objects. Events due at the same instant fire in the order they were scheduled.
 */
public abstract class TimedEvent {
    long deadline;
    /** Its handle in the simulation's {@link TimerWheel} while scheduled, else -1; guarded by the simulation's lock. */
    int handle = -1;

    /** Runs the event; called by the simulation with its lock held, at {@link #deadline()}. */
    protected abstract void fire();

    /** Whether the event is waiting in the simulation's schedule. */
    public final boolean isScheduled() {
        return handle >= 0;
    }

    /** The simulation time, in nanoseconds, at which the event fires (or last fired). */
    public final long deadline() {
        return deadline;
    }
}
