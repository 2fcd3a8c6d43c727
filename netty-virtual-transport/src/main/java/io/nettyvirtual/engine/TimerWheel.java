package io.nettyvirtual.engine;

import java.util.Arrays;

/**
 * Timers in (deadline, scheduling order): the schedule under a simulation's network events and under each virtual
 * event loop's {@code schedule*}. Used by the transport; users schedule through {@code EventLoop.schedule} and
 * {@link Simulation#schedule}. Not thread-safe: its owner guards it (the simulation's lock, or the loop's thread).
 *
 * <p>Deadlines are nanoseconds and, in a simulation, almost never earlier than the last one taken out, which a
 * comparison heap cannot exploit: with many pending timers it spends its time on unpredictable compares and cache
 * misses (figures in {@code docs/engine-notes.md}). This is a radix timer wheel: 8 levels of 256 FIFO slots, one per byte of the deadline.
 * An entry sits at the level of the highest byte in which its deadline differs from the wheel's {@code base}, in the
 * slot named by that byte; level 0 holds exact deadlines. Taking the least entry is a bitmap scan; when level 0 is
 * empty, the first occupied slot of the lowest occupied level is cascaded: the base moves to that slot's start and
 * its entries move down (each at most once per level, in practice two or three times in all). Slots are FIFO and
 * entries with one deadline always share a slot, so equal deadlines come out in scheduling order. Entries due
 * before the base (scheduled after a cascade moved the base past them, or in the past) go to a small 4-ary heap,
 * and so does everything while the schedule is small (the wheel empty and the heap under 32 entries:
 * a few links, where cascading through the levels costs more than a tiny heap); the first entry is the lesser of
 * the heap's top and the wheel's.
 *
 * <p>The wheel moves no references, which matters at 100,000 pending timers. Each scheduled timer takes a
 * <i>handle</i>, an index into a table of timers reused as timers leave, and the wheel's entries are (deadline,
 * sequence number, handle) triples in {@code long[]}s. Cascading an entry down a level then copies three longs, with
 * no GC write barrier and no pointer to chase. Cancelling is lazy: the handle's table entry is cleared and its
 * entry in the wheel goes stale, to be dropped when it comes first, or with all others by a sorted rebuild when
 * stale entries outnumber live ones; whether an entry is live is read from the table (and not at all while nothing
 * was cancelled), so the only timer an event touches is the one it runs.
 *
 * @param <T> the timers: {@link TimedEvent}s, or the loops' scheduled futures
 */
public final class TimerWheel<T> {
    // Over 400 lines because it is one data structure: the wheel, its small heap and the handle table share
    // their arrays on the hot path; split apart, each would have to expose them.

    /** What {@link #headDeadline()} returns when nothing is scheduled. */
    public static final long NONE = Long.MAX_VALUE;

    private static final int LEVELS = 8;
    private static final int SLOTS = 256;
    private static final int WORDS = SLOTS / 64;
    /** Entries go to the heap rather than the wheel while the wheel is empty and the heap holds fewer than this. */
    private static final int SMALL = 32;

    /** A FIFO of (deadline, seq, handle) triples. */
    private static final class Slot {
        long[] e = new long[3 * 4];
        int first; // in triples
        int end;

        boolean isEmpty() {
            return first == end;
        }

        void add(long d, long s, long h) {
            if (3 * end == e.length) {
                int n = end - first;
                if (first >= end >>> 1) {
                    System.arraycopy(e, 3 * first, e, 0, 3 * n);
                } else {
                    e = Arrays.copyOfRange(e, 3 * first, 3 * first + 2 * e.length);
                }
                first = 0;
                end = n;
            }
            int i = 3 * end++;
            e[i] = d;
            e[i + 1] = s;
            e[i + 2] = h;
        }

        void removeFirst() {
            if (++first == end) {
                first = 0;
                end = 0;
            }
        }
    }

    /** A 4-ary min-heap of (deadline, seq, handle) triples, keys inline. */
    private static final class Heap {
        long[] e = new long[3 * 16];
        int size;

        void push(long d, long s, long h) {
            if (3 * size == e.length) {
                e = Arrays.copyOf(e, e.length << 1);
            }
            int i = size++;
            long[] a = e;
            while (i > 0) {
                int p = (i - 1) >>> 2;
                if (!less(d, s, a[3 * p], a[3 * p + 1])) {
                    break;
                }
                a[3 * i] = a[3 * p];
                a[3 * i + 1] = a[3 * p + 1];
                a[3 * i + 2] = a[3 * p + 2];
                i = p;
            }
            a[3 * i] = d;
            a[3 * i + 1] = s;
            a[3 * i + 2] = h;
        }

        void pop() {
            int last = --size;
            if (last == 0) {
                return;
            }
            long[] a = e;
            long d = a[3 * last];
            long s = a[3 * last + 1];
            long h = a[3 * last + 2];
            int i = 0;
            for (; ; ) {
                int c0 = (i << 2) + 1;
                if (c0 >= last) {
                    break;
                }
                int min = c0;
                long md = a[3 * c0];
                long ms = a[3 * c0 + 1];
                int cend = Math.min(c0 + 4, last);
                for (int c = c0 + 1; c < cend; c++) {
                    long cd = a[3 * c];
                    long cs = a[3 * c + 1];
                    if (less(cd, cs, md, ms)) {
                        min = c;
                        md = cd;
                        ms = cs;
                    }
                }
                if (!less(md, ms, d, s)) {
                    break;
                }
                a[3 * i] = md;
                a[3 * i + 1] = ms;
                a[3 * i + 2] = a[3 * min + 2];
                i = min;
            }
            a[3 * i] = d;
            a[3 * i + 1] = s;
            a[3 * i + 2] = h;
        }
    }

    static boolean less(long d1, long s1, long d2, long s2) {
        return d1 < d2 || d1 == d2 && s1 < s2;
    }

    private final Slot[] slots = new Slot[LEVELS * SLOTS];
    private final long[] occupied = new long[LEVELS * WORDS];
    private final Heap early = new Heap();

    /**
     * The handle table: the timer holding each handle, and its task (read beside the timer rather than through it,
     * see {@link #markedDueTask}); null once the timer left. A handle whose timer was removed (cancelled) is not
     * reused until its stale entry is dropped, so an entry is live exactly when its handle holds a timer.
     */
    private Object[] timers = new Object[16];

    private Object[] tasks = new Object[16];
    private int[] free = new int[16];
    private int nFree;
    private int nHandles;

    private int levels; // bit k: level k has an occupied slot
    private int wheelFront = -1; // after settle(): level-0 slot holding the wheel's least live entry, or -1
    private boolean headInHeap; // after settle(): the least entry of all is the heap's top
    private long base;
    private int entries; // on the wheel and in the heap, live or stale
    private int live;
    private long nextSeq;
    private long dueBefore;
    private long head = NONE;

    private long headSeq = -1;
    private int headHandle = -1;

    /** Scheduled timers. */
    public int size() {
        return live;
    }

    /** The deadline of the timer due first, or {@link #NONE}. */
    public long headDeadline() {
        return head;
    }

    /** The deadline of the timer due first, or {@code -1} if none is scheduled. */
    public long nextDeadline() {
        long d = head;
        return d == NONE ? -1 : d;
    }

    /** Whether a timer is due at {@code now}. */
    public boolean hasDue(long now) {
        return head <= now;
    }

    /**
     * Schedules {@code timer} (not scheduled now) at {@code deadline}, after every timer scheduled before; returns
     * its handle, which {@link #remove} takes.
     *
     * @param task what the owner runs when the timer is due, handed back by {@link #markedDueTask}; null only for
     *             an owner that does not call that method (it cannot tell a null task from none due)
     */
    public int add(T timer, Object task, long deadline) {
        if (timer == null) {
            throw new NullPointerException("timer");
        }
        int h = nFree > 0 ? free[--nFree] : newHandle();
        long s = nextSeq++;
        timers[h] = timer;
        tasks[h] = task;
        live++;
        entries++;
        if (deadline < base || levels == 0 && early.size < SMALL) {
            early.push(deadline, s, h);
        } else {
            insertWheel(deadline, s, h);
        }
        if (deadline < head) {
            settle(); // the new first entry (one with the head's deadline comes after it)
        }
        return h;
    }

    private int newHandle() {
        int h = nHandles++;
        if (h == timers.length) {
            timers = Arrays.copyOf(timers, 2 * h);
            tasks = Arrays.copyOf(tasks, 2 * h);
            free = Arrays.copyOf(free, 2 * h);
        }
        return h;
    }

    /** The timer holding {@code h} leaves; its entry goes stale (the caller drops it or it is dropped later). */
    private void vacate(int h) {
        timers[h] = null;
        tasks[h] = null;
        live--;
    }

    /** Drops a stale entry: its handle can be reused. */
    private void dropped(long h) {
        free[nFree++] = (int) h;
        entries--;
    }

    /**
     * Unschedules {@code timer}, which {@link #add} gave {@code handle}; returns whether it was scheduled (false if
     * it had been polled or removed since, even if its handle now holds another timer). Its entry goes stale and is
     * dropped later.
     */
    public boolean remove(int handle, T timer) {
        int h = handle;
        if (h < 0 || h >= nHandles || timers[h] != timer) {
            return false;
        }
        vacate(h);
        if (h == headHandle) {
            settle();
        }
        return true;
    }

    /**
     * Marks the timers due at {@code now} as the ones {@link #markedDueTask} hands out next: those scheduled
     * later, even for {@code now}, wait for the next mark (as Netty fetches due tasks once per run of its task
     * queue).
     */
    public void markDue() {
        dueBefore = nextSeq;
    }

    /**
     * The task of the first timer due at {@code now} that was scheduled before the last mark, or null; {@link #poll}
     * then takes that timer out. Read from the handle table, not through the timer, so that loading the timer (to
     * start it) and loading the task (to run it) are two independent loads: with many timers pending both miss the
     * cache, and the processor then waits for the two at once. (Returned rather than kept in a field for the
     * caller: a reference stored into this long-lived object costs G1 a fenced card check.)
     */
    public Object markedDueTask(long now) {
        if (head > now || headSeq >= dueBefore) {
            return null;
        }
        return tasks[headHandle];
    }

    /** The timer due first, or null; it stays scheduled. */
    @SuppressWarnings("unchecked")
    public T peek() {
        return head == NONE ? null : (T) timers[headHandle];
    }

    /** Removes and returns the timer due first, or null. */
    @SuppressWarnings("unchecked")
    public T poll() {
        if (head == NONE) {
            return null;
        }
        if (headInHeap) {
            early.pop();
        } else {
            Slot slot = slots[wheelFront];
            slot.removeFirst();
            if (slot.isEmpty()) {
                clearBit(0, wheelFront);
            }
        }
        int h = headHandle;
        T timer = (T) timers[h];
        vacate(h); // the owner may still hold the handle: remove() checks that the handle holds the same timer
        dropped(h);
        settle();
        return timer;
    }

    private boolean isLive(long h) {
        return timers[(int) h] != null;
    }

    /** Puts an entry due at or after the base on the wheel. */
    private void insertWheel(long d, long s, long h) {
        long diff = d ^ base;
        int level = diff == 0 ? 0 : (63 - Long.numberOfLeadingZeros(diff)) >>> 3;
        int i = (int) (d >>> (level << 3)) & (SLOTS - 1);
        int index = level * SLOTS + i;
        Slot slot = slots[index];
        if (slot == null) {
            slot = new Slot();
            slots[index] = slot;
        }
        if (slot.isEmpty()) {
            occupied[level * WORDS + (i >>> 6)] |= 1L << i;
            levels |= 1 << level;
        }
        slot.add(d, s, h);
    }

    private void clearBit(int level, int i) {
        int w = level * WORDS + (i >>> 6);
        occupied[w] &= ~(1L << i);
        if (occupied[level * WORDS] == 0
                && occupied[level * WORDS + 1] == 0
                && occupied[level * WORDS + 2] == 0
                && occupied[level * WORDS + 3] == 0) {
            levels &= ~(1 << level);
        }
    }

    /** The lowest occupied slot of {@code level}, as an index into {@link #slots}, or -1. */
    private int firstSlot(int level) {
        if ((levels & (1 << level)) == 0) {
            return -1;
        }
        for (int w = 0; w < WORDS; w++) {
            long bits = occupied[level * WORDS + w];
            if (bits != 0) {
                return level * SLOTS + (w << 6) + Long.numberOfTrailingZeros(bits);
            }
        }
        return -1;
    }

    /**
     * Finds the first live entry: drops stale entries from the heap's top and the wheel's front, cascades until
     * level 0 holds the wheel's least entry, rebuilds when mostly stale, and caches the head.
     */
    private void settle() {
        if (entries > 64 && entries > 2 * live) {
            rebuild();
        }
        wheelFront = -1;
        while (levels != 0) {
            if ((levels & 1) == 0) {
                cascade(Integer.numberOfTrailingZeros(levels));
                continue;
            }
            int s = firstSlot(0);
            Slot slot = slots[s];
            int j = 3 * slot.first;
            if (entries != live && !isLive(slot.e[j + 2])) {
                dropped(slot.e[j + 2]);
                slot.removeFirst();
                if (slot.isEmpty()) {
                    clearBit(0, s);
                }
                continue;
            }
            wheelFront = s;
            break;
        }
        long[] ea = early.e;
        while (early.size > 0 && entries != live && !isLive(ea[2])) {
            dropped(ea[2]);
            early.pop();
        }
        long headDeadline = NONE;
        long hs = -1;
        int hh = -1;
        headInHeap = early.size > 0;
        if (headInHeap) {
            headDeadline = ea[0];
            hs = ea[1];
            hh = (int) ea[2];
        }
        if (wheelFront >= 0) {
            Slot slot = slots[wheelFront];
            int j = 3 * slot.first;
            long d = slot.e[j];
            if (!headInHeap || less(d, slot.e[j + 1], headDeadline, ea[1])) {
                headInHeap = false;
                headDeadline = d;
                hs = slot.e[j + 1];
                hh = (int) slot.e[j + 2];
            }
        }
        head = headDeadline;
        headSeq = hs;
        headHandle = hh;
    }

    /**
     * Moves the base to the start of the first occupied slot of {@code level} (levels below are empty) and
     * redistributes that slot's entries, in their order, onto the levels below.
     */
    private void cascade(int level) {
        int index = firstSlot(level);
        int i = index - level * SLOTS;
        int shift = level << 3;
        long high = level == LEVELS - 1 ? 0 : base >>> (shift + 8) << (shift + 8);
        base = high | (long) i << shift;
        Slot slot = slots[index];
        clearBit(level, i);
        // Re-inserting never targets this slot: its entries now differ from the base only below this level.
        long[] e = slot.e;
        int to = 3 * slot.end;
        if (entries == live) {
            // nothing cancelled: no need to look each entry up in the handle table
            for (int j = 3 * slot.first; j < to; j += 3) {
                insertWheel(e[j], e[j + 1], e[j + 2]);
            }
        } else {
            for (int j = 3 * slot.first; j < to; j += 3) {
                if (isLive(e[j + 2])) {
                    insertWheel(e[j], e[j + 1], e[j + 2]);
                } else {
                    dropped(e[j + 2]);
                }
            }
        }
        slot.first = 0;
        slot.end = 0;
    }

    /** Keeps the live entries only: sorted by (deadline, sequence) and inserted again, which keeps their order. */
    private void rebuild() {
        long[] all = new long[3 * live];
        int n = 0;
        long[] ea = early.e;
        for (int k = 0; k < early.size; k++) {
            if (isLive(ea[3 * k + 2])) {
                System.arraycopy(ea, 3 * k, all, 3 * n++, 3);
            } else {
                free[nFree++] = (int) ea[3 * k + 2];
            }
        }
        early.size = 0;
        for (int index = 0; index < slots.length; index++) {
            Slot slot = slots[index];
            if (slot == null || slot.isEmpty()) {
                continue;
            }
            long[] e = slot.e;
            for (int j = 3 * slot.first; j < 3 * slot.end; j += 3) {
                if (isLive(e[j + 2])) {
                    System.arraycopy(e, j, all, 3 * n++, 3);
                } else {
                    free[nFree++] = (int) e[j + 2];
                }
            }
            slots[index] = null;
        }
        Arrays.fill(occupied, 0);
        levels = 0;
        Integer[] order = new Integer[n];
        for (int k = 0; k < n; k++) {
            order[k] = k;
        }
        Arrays.sort(order, (a, b) -> {
            long da = all[3 * a];
            long db = all[3 * b];
            return da != db ? Long.compare(da, db) : Long.compare(all[3 * a + 1], all[3 * b + 1]);
        });
        entries = n;
        for (int k = 0; k < n; k++) {
            int o = 3 * order[k];
            long d = all[o];
            if (d < base || levels == 0 && early.size < SMALL) {
                early.push(d, all[o + 1], all[o + 2]);
            } else {
                insertWheel(d, all[o + 1], all[o + 2]);
            }
        }
    }
}
