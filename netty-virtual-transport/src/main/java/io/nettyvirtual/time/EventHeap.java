package io.nettyvirtual.time;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The schedule of a simulation: a min-heap of {@link TimedEvent}s ordered by (deadline, scheduling order).
 *
 * <p>Laid out for large schedules (100,000 pending timers and more), where a heap of plain object references
 * spends its time on cache misses, two per level, reading each child's deadline from its object:
 * <ul>
 *   <li>4-ary: half the levels of a binary heap;</li>
 *   <li>the keys live inline in one {@code long[]} ({@code [2i]} deadline, {@code [2i + 1]} sequence number), so
 *       the four children of a node are compared within one 64-byte line and sifting never touches an event
 *       object;</li>
 *   <li>cancelling and rescheduling are lazy: an entry is live while its event is scheduled and carries the entry's
 *       sequence number, otherwise it is stale and dropped when it reaches the top (or by a compaction once stale
 *       entries outnumber live ones). The top entry is always live.</li>
 * </ul>
 * Guarded by the simulation's lock, except {@link #headDeadline()}, which the driving thread reads without it.
 */
final class EventHeap {
    /** What {@link #headDeadline()} returns when nothing is scheduled. */
    static final long NONE = Long.MAX_VALUE;

    private static final VarHandle HEAD;

    static {
        try {
            HEAD = MethodHandles.lookup().findVarHandle(EventHeap.class, "head", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private TimedEvent[] refs = new TimedEvent[64];
    private long[] keys = new long[128];
    private int size;
    private int live;
    private long nextSeq;
    @SuppressWarnings("unused") // through HEAD
    private long head = NONE;

    /** Scheduled events. */
    int size() {
        return live;
    }

    /** The event due first, or null. */
    TimedEvent peek() {
        return size == 0 ? null : refs[0];
    }

    /**
     * The deadline of the event due first, or {@link #NONE}; safe to read without the lock (it may be stale by
     * one concurrent change, as a locked read would be a moment later).
     */
    long headDeadline() {
        return (long) HEAD.getAcquire(this);
    }

    /** Schedules {@code e} at {@code deadline}; if it was scheduled already, it moves. */
    void add(TimedEvent e, long deadline) {
        if (e.scheduled) {
            live--; // its old entry goes stale
        }
        long seq = nextSeq++;
        e.deadline = deadline;
        e.seq = seq;
        e.scheduled = true;
        live++;
        if (size == refs.length) {
            refs = Arrays.copyOf(refs, size << 1);
            keys = Arrays.copyOf(keys, size << 2);
        }
        siftUp(size++, e, deadline, seq);
        settle();
    }

    /** Removes and returns the event due first, or null. */
    TimedEvent poll() {
        if (size == 0) {
            return null;
        }
        TimedEvent top = refs[0];
        top.scheduled = false;
        live--;
        removeTop();
        settle();
        return top;
    }

    /** Unschedules {@code e}; returns whether it was scheduled. */
    boolean remove(TimedEvent e) {
        if (!e.scheduled) {
            return false;
        }
        e.scheduled = false;
        live--;
        settle();
        return true;
    }

    /** Drops stale entries from the top, compacts when mostly stale, and publishes the head deadline. */
    private void settle() {
        while (size > 0 && !isLive(0)) {
            removeTop();
        }
        if (size > 64 && size > 2 * live) {
            compact();
        }
        HEAD.setRelease(this, size == 0 ? NONE : keys[0]);
    }

    private boolean isLive(int i) {
        TimedEvent e = refs[i];
        return e.scheduled && e.seq == keys[2 * i + 1];
    }

    private void removeTop() {
        int last = --size;
        TimedEvent e = refs[last];
        long d = keys[2 * last];
        long s = keys[2 * last + 1];
        refs[last] = null;
        if (last > 0) {
            siftDown(0, e, d, s);
        }
    }

    /** Keeps the live entries only and rebuilds the heap bottom-up: O(size). */
    private void compact() {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (isLive(i)) {
                refs[n] = refs[i];
                keys[2 * n] = keys[2 * i];
                keys[2 * n + 1] = keys[2 * i + 1];
                n++;
            }
        }
        Arrays.fill(refs, n, size, null);
        size = n;
        for (int i = (n - 2) >>> 2; n > 1 && i >= 0; i--) {
            siftDown(i, refs[i], keys[2 * i], keys[2 * i + 1]);
        }
    }

    private static boolean less(long d1, long s1, long d2, long s2) {
        return d1 < d2 || d1 == d2 && s1 < s2;
    }

    private void siftUp(int i, TimedEvent e, long d, long s) {
        final TimedEvent[] refs = this.refs;
        final long[] keys = this.keys;
        while (i > 0) {
            int parent = (i - 1) >>> 2;
            long pd = keys[2 * parent];
            long ps = keys[2 * parent + 1];
            if (!less(d, s, pd, ps)) {
                break;
            }
            refs[i] = refs[parent];
            keys[2 * i] = pd;
            keys[2 * i + 1] = ps;
            i = parent;
        }
        refs[i] = e;
        keys[2 * i] = d;
        keys[2 * i + 1] = s;
    }

    private void siftDown(int i, TimedEvent e, long d, long s) {
        final TimedEvent[] refs = this.refs;
        final long[] keys = this.keys;
        final int n = size;
        for (;;) {
            int first = (i << 2) + 1;
            if (first >= n) {
                break;
            }
            int min = first;
            long md = keys[2 * first];
            long ms = keys[2 * first + 1];
            int end = Math.min(first + 4, n);
            for (int c = first + 1; c < end; c++) {
                long cd = keys[2 * c];
                long cs = keys[2 * c + 1];
                if (less(cd, cs, md, ms)) {
                    min = c;
                    md = cd;
                    ms = cs;
                }
            }
            if (!less(md, ms, d, s)) {
                break;
            }
            refs[i] = refs[min];
            keys[2 * i] = md;
            keys[2 * i + 1] = ms;
            i = min;
        }
        refs[i] = e;
        keys[2 * i] = d;
        keys[2 * i + 1] = s;
    }
}
