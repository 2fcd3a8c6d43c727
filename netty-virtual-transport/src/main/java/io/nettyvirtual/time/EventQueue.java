package io.nettyvirtual.time;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The schedule of a simulation: {@link TimedEvent}s in (deadline, scheduling order), as a radix timer wheel.
 *
 * <p>Deadlines are nanoseconds and, in a simulation, almost never earlier than the last one taken out, which a
 * comparison heap cannot exploit: with 100,000 pending timers it spent about 250 ns per event on unpredictable
 * compares and cache misses. The wheel has 8 levels of 256 slots, one per byte of the deadline. An entry sits at
 * the level of the highest byte in which its deadline differs from the wheel's {@code base}, in the slot named by
 * that byte; level 0 holds exact deadlines. Taking the least entry is a bitmap scan; when level 0 is empty, the
 * first occupied slot of the lowest occupied level is cascaded: the base moves to that slot's start and its entries
 * move down (each entry moves at most once per level, in practice two or three times in all). Slots are FIFO, and
 * entries with one deadline always share a slot, so equal deadlines come out in scheduling order, as before.
 *
 * <p>Entries due before the base (scheduled after a cascade moved the base past them, or in the past) go to a
 * small {@link EventHeap}, and so does everything while the schedule is small (the wheel empty and the heap under
 * {@value #SMALL} entries: a few links, where cascading through the levels costs more than a tiny heap); the
 * first entry is the lesser of the heap's top and the wheel's. Cancelling and rescheduling are lazy: an entry
 * is live while its event is scheduled with the entry's sequence number; stale entries are dropped when they come
 * first, or all at once by a rebuild when they outnumber live ones.
 *
 * <p>Guarded by the simulation's lock, except {@link #headDeadline()}, which the driving thread reads without it.
 */
final class EventQueue {
    /** What {@link #headDeadline()} returns when nothing is scheduled. */
    static final long NONE = Long.MAX_VALUE;

    private static final int LEVELS = 8;
    private static final int SLOTS = 256;
    private static final int WORDS = SLOTS / 64;
    private static final VarHandle HEAD;

    static {
        try {
            HEAD = MethodHandles.lookup().findVarHandle(EventQueue.class, "head", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A FIFO of entries. */
    private static final class Slot {
        TimedEvent[] refs = new TimedEvent[4];
        long[] deadlines = new long[4];
        long[] seqs = new long[4];
        int first;
        int end;

        boolean isEmpty() {
            return first == end;
        }

        void add(TimedEvent e, long d, long s) {
            if (end == refs.length) {
                int n = end - first;
                if (first >= refs.length >>> 1) {
                    System.arraycopy(refs, first, refs, 0, n);
                    System.arraycopy(deadlines, first, deadlines, 0, n);
                    System.arraycopy(seqs, first, seqs, 0, n);
                    Arrays.fill(refs, n, end, null);
                } else {
                    int cap = refs.length << 1;
                    refs = Arrays.copyOfRange(refs, first, first + cap);
                    deadlines = Arrays.copyOfRange(deadlines, first, first + cap);
                    seqs = Arrays.copyOfRange(seqs, first, first + cap);
                }
                first = 0;
                end = n;
            }
            refs[end] = e;
            deadlines[end] = d;
            seqs[end] = s;
            end++;
        }

        void removeFirst() {
            refs[first++] = null;
            if (first == end) {
                first = 0;
                end = 0;
            }
        }
    }

    private final Slot[] slots = new Slot[LEVELS * SLOTS];
    private final long[] occupied = new long[LEVELS * WORDS];
    private final EventHeap early = new EventHeap();
    /** Entries go to the heap rather than the wheel while the wheel is empty and the heap holds fewer than this. */
    private static final int SMALL = 32;

    private int levels; // bit k: level k has an occupied slot
    private int wheelFront = -1; // after settle(): level-0 slot holding the wheel's least live entry, or -1
    private boolean headInHeap; // after settle(): the least entry of all is the heap's top
    private long base;
    private int entries; // on the wheel and in the early heap, live or stale
    private int live;
    private long nextSeq;
    @SuppressWarnings("unused") // through HEAD
    private long head = NONE;

    /** Scheduled events. */
    int size() {
        return live;
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
        if (e.scheduled) {
            live--; // its old entry goes stale
        }
        long s = nextSeq++;
        e.deadline = deadline;
        e.seq = s;
        e.scheduled = true;
        live++;
        entries++;
        insert(e, deadline, s);
        settle();
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

    /** The event due first, or null. */
    TimedEvent peek() {
        if (headInHeap) {
            return early.topEvent();
        }
        return wheelFront < 0 ? null : slots[wheelFront].refs[slots[wheelFront].first];
    }

    /** Removes and returns the event due first, or null. */
    TimedEvent poll() {
        TimedEvent e;
        if (headInHeap) {
            e = early.topEvent();
            early.pop();
        } else {
            if (wheelFront < 0) {
                return null;
            }
            Slot slot = slots[wheelFront];
            e = slot.refs[slot.first];
            slot.removeFirst();
            if (slot.isEmpty()) {
                clearBit(0, wheelFront);
            }
        }
        entries--;
        e.scheduled = false;
        live--;
        settle();
        return e;
    }

    private static boolean isLive(TimedEvent e, long seq) {
        return e.scheduled && e.seq == seq;
    }

    private void insert(TimedEvent e, long d, long s) {
        if (d < base || levels == 0 && early.size() < SMALL) {
            // Before the wheel's base; or a small schedule (a few links), where a heap of a handful of entries
            // beats cascading through the levels.
            early.push(e, d, s);
        } else {
            insertWheel(e, d, s);
        }
    }

    /** Puts an entry due at or after the base on the wheel. */
    private void insertWheel(TimedEvent e, long d, long s) {
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
        slot.add(e, d, s);
    }

    private void clearBit(int level, int i) {
        int w = level * WORDS + (i >>> 6);
        occupied[w] &= ~(1L << i);
        if (occupied[level * WORDS] == 0 && occupied[level * WORDS + 1] == 0 && occupied[level * WORDS + 2] == 0
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
     * level 0 holds the wheel's least entry, rebuilds when mostly stale, and publishes the head deadline.
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
            if (!isLive(slot.refs[slot.first], slot.seqs[slot.first])) {
                slot.removeFirst();
                entries--;
                if (slot.isEmpty()) {
                    clearBit(0, s);
                }
                continue;
            }
            wheelFront = s;
            break;
        }
        while (early.size() > 0 && !isLive(early.topEvent(), early.topSeq())) {
            early.pop();
            entries--;
        }
        long headDeadline = NONE;
        headInHeap = early.size() > 0;
        if (headInHeap) {
            headDeadline = early.topDeadline();
        }
        if (wheelFront >= 0) {
            Slot slot = slots[wheelFront];
            long d = slot.deadlines[slot.first];
            if (!headInHeap || EventHeap.less(d, slot.seqs[slot.first], headDeadline, early.topSeq())) {
                headInHeap = false;
                headDeadline = d;
            }
        }
        HEAD.setRelease(this, headDeadline);
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
        TimedEvent[] refs = slot.refs;
        long[] deadlines = slot.deadlines;
        long[] seqs = slot.seqs;
        int from = slot.first;
        int to = slot.end;
        for (int j = from; j < to; j++) {
            insertWheel(refs[j], deadlines[j], seqs[j]);
        }
        Arrays.fill(refs, from, to, null);
        slot.first = 0;
        slot.end = 0;
    }

    /** Keeps the live entries only: sorted by (deadline, sequence) and inserted again, which keeps their order. */
    private void rebuild() {
        TimedEvent[] es = new TimedEvent[live];
        long[][] keys = new long[live][];
        int n = 0;
        for (int i = 0; i < early.size(); i++) {
            if (isLive(early.event(i), early.seq(i))) {
                es[n] = early.event(i);
                keys[n] = new long[]{early.deadline(i), early.seq(i), n};
                n++;
            }
        }
        early.clear();
        for (int index = 0; index < slots.length; index++) {
            Slot slot = slots[index];
            if (slot == null || slot.isEmpty()) {
                continue;
            }
            for (int j = slot.first; j < slot.end; j++) {
                if (isLive(slot.refs[j], slot.seqs[j])) {
                    es[n] = slot.refs[j];
                    keys[n] = new long[]{slot.deadlines[j], slot.seqs[j], n};
                    n++;
                }
            }
            slots[index] = null;
        }
        Arrays.fill(occupied, 0);
        levels = 0;
        Arrays.sort(keys, 0, n, (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        entries = n;
        for (int j = 0; j < n; j++) {
            insert(es[(int) keys[j][2]], keys[j][0], keys[j][1]);
        }
    }
}
