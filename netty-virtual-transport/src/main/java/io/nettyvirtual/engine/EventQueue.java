package io.nettyvirtual.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The schedule of a simulation: {@link TimedEvent}s in (deadline, scheduling order), in a {@link TimerWheel}. An
 * event scheduled again moves: its old entry goes stale and it queues behind everything scheduled before.
 *
 * <p>Guarded by the simulation's lock, except {@link #headDeadline()}, which the driving thread reads without it.
 */
final class EventQueue {
    /** What {@link #headDeadline()} returns when nothing is scheduled. */
    static final long NONE = TimerWheel.NONE;

    private static final VarHandle HEAD;

    static {
        try {
            HEAD = MethodHandles.lookup().findVarHandle(EventQueue.class, "head", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final TimerWheel<TimedEvent> wheel = new TimerWheel<>();

    @SuppressWarnings("unused") // through HEAD
    private long head = NONE;

    /** Scheduled events. */
    int size() {
        return wheel.size();
    }

    /**
     * The deadline of the event due first, or {@link #NONE}; safe to read without the lock (it may miss a
     * concurrent change, as a locked read a moment earlier would).
     */
    long headDeadline() {
        return (long) HEAD.getAcquire(this);
    }

    /** Schedules {@code e} at {@code deadline}; if it was scheduled already, it moves. */
    void add(TimedEvent e, long deadline) {
        if (e.handle >= 0) {
            wheel.remove(e.handle, e);
        }
        e.deadline = deadline;
        e.handle = wheel.add(e, null, deadline);
        publishHead();
    }

    /** Unschedules {@code e}; returns whether it was scheduled. */
    boolean remove(TimedEvent e) {
        if (e.handle < 0) {
            return false;
        }
        wheel.remove(e.handle, e);
        e.handle = -1;
        publishHead();
        return true;
    }

    /** The event due first, or null. */
    TimedEvent peek() {
        return wheel.peek();
    }

    /** Removes and returns the event due first, or null. */
    TimedEvent poll() {
        TimedEvent e = wheel.poll();
        if (e != null) {
            e.handle = -1;
            publishHead();
            // An invariant check that also loads the next event while this one fires: with many events pending it
            // is a cache miss, and the wheel itself reads only its handle table (the gain is in
            // docs/engine-notes.md).
            TimedEvent next = wheel.peek();
            if (next != null && next.handle < 0) {
                throw new AssertionError("scheduled event without a handle: " + next);
            }
        }
        return e;
    }

    private void publishHead() {
        HEAD.setRelease(this, wheel.headDeadline());
    }
}
