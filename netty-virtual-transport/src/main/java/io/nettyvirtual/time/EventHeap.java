package io.nettyvirtual.time;

import java.util.Arrays;

/**
 * A min-heap of (event, deadline, sequence number) entries, for the events an {@link EventQueue} cannot put on its
 * wheel (those due before the wheel's base). 4-ary, with the keys inline in one {@code long[]} ({@code [2i]}
 * deadline, {@code [2i + 1]} sequence number), so the four children of a node are compared within one cache line
 * and sifting never touches an event object. It knows nothing of liveness: the queue drops stale entries.
 */
final class EventHeap {
    private TimedEvent[] refs = new TimedEvent[16];
    private long[] keys = new long[32];
    private int size;

    int size() {
        return size;
    }

    TimedEvent topEvent() {
        return refs[0];
    }

    long topDeadline() {
        return keys[0];
    }

    long topSeq() {
        return keys[1];
    }

    /** The i-th entry in storage order, for rebuilding. */
    TimedEvent event(int i) {
        return refs[i];
    }

    long deadline(int i) {
        return keys[2 * i];
    }

    long seq(int i) {
        return keys[2 * i + 1];
    }

    void clear() {
        Arrays.fill(refs, 0, size, null);
        size = 0;
    }

    void push(TimedEvent e, long d, long s) {
        if (size == refs.length) {
            refs = Arrays.copyOf(refs, size << 1);
            keys = Arrays.copyOf(keys, size << 2);
        }
        siftUp(size++, e, d, s);
    }

    void pop() {
        int last = --size;
        TimedEvent e = refs[last];
        long d = keys[2 * last];
        long s = keys[2 * last + 1];
        refs[last] = null;
        if (last > 0) {
            siftDown(0, e, d, s);
        }
    }

    static boolean less(long d1, long s1, long d2, long s2) {
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
