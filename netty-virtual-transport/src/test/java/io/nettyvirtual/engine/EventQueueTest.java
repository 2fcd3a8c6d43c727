package io.nettyvirtual.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The event queue against a sorted-set model: order, ties in scheduling order, moves and cancels. */
class EventQueueTest {

    static final class E extends TimedEvent {
        final int id;

        E(int id) {
            this.id = id;
        }

        @Override
        protected void fire() {}

        @Override
        public String toString() {
            return "E" + id + "@" + deadline;
        }
    }

    /** Model entry: (deadline, order of scheduling). */
    record M(long deadline, long order, E e) {}

    @Test
    void tiesFireInSchedulingOrder() {
        EventQueue h = new EventQueue();
        List<E> es = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            E e = new E(i);
            es.add(e);
            h.add(e, 5);
        }
        for (int i = 0; i < 100; i++) {
            assertSame(es.get(i), h.poll());
        }
        assertNull(h.poll());
        assertEquals(EventQueue.NONE, h.headDeadline());
    }

    @Test
    void matchesAModelWithSmallDeadlines() {
        checkAgainstModel(1, 0, 1000, false);
    }

    @Test
    void matchesAModelWithDeadlinesAcrossEveryLevel() {
        checkAgainstModel(2, 0, Long.MAX_VALUE / 2, false);
    }

    @Test
    void matchesAModelWhenTimeMovesForwardAsInASimulation() {
        // Deadlines at or after the last one taken out, from ns to hours ahead, with many ties: the wheel's case.
        for (long seed = 3; seed < 6; seed++) {
            checkAgainstModel(seed, 0, 0, true);
        }
    }

    @Test
    void matchesAModelWithDeadlinesInThePast() {
        for (long seed = 6; seed < 9; seed++) {
            checkAgainstModel(seed, -1000, 1000, true);
        }
    }

    @Test
    void matchesAModelAroundTheSmallScheduleThreshold() {
        // A few dozen events: the schedule keeps crossing between the heap alone and heap plus wheel.
        checkAgainstModel(9, 0, 0, true, 40);
        checkAgainstModel(10, -100, 100_000, true, 40);
    }

    private static void checkAgainstModel(long seed, long lo, long hi, boolean monotone) {
        checkAgainstModel(seed, lo, hi, monotone, 2000);
    }

    private static void checkAgainstModel(long seed, long lo, long hi, boolean monotone, int events) {
        SplittableRandom r = new SplittableRandom(seed);
        EventQueue h = new EventQueue();
        TreeSet<M> model = new TreeSet<>(Comparator.comparingLong(M::deadline).thenComparingLong(M::order));
        E[] es = new E[events];
        M[] current = new M[es.length];
        for (int i = 0; i < es.length; i++) {
            es[i] = new E(i);
        }
        long order = 0;
        long now = 0;
        for (int step = 0; step < 200_000; step++) {
            int op = r.nextInt(10);
            E e = es[r.nextInt(es.length)];
            if (op < 5) { // add or move
                long d;
                if (!monotone) {
                    d = lo + r.nextLong(hi - lo);
                } else if (hi > lo) {
                    d = now + lo + r.nextLong(hi - lo);
                } else {
                    int scale = r.nextInt(6);
                    d = scale == 0 ? now : now + r.nextLong(1L << (scale * 8 + r.nextInt(8)));
                }
                h.add(e, d);
                if (current[e.id] != null) {
                    model.remove(current[e.id]);
                }
                current[e.id] = new M(d, order++, e);
                model.add(current[e.id]);
            } else if (op < 7) { // cancel
                boolean was = current[e.id] != null;
                assertEquals(was, h.remove(e));
                if (was) {
                    model.remove(current[e.id]);
                    current[e.id] = null;
                }
            } else { // poll
                M m = model.pollFirst();
                E got = (E) h.poll();
                if (m == null) {
                    assertNull(got);
                } else {
                    assertSame(m.e(), got, "step " + step);
                    assertEquals(m.deadline(), got.deadline());
                    current[got.id] = null;
                    now = Math.max(now, m.deadline());
                }
            }
            assertEquals(model.size(), h.size());
            assertEquals(model.isEmpty() ? EventQueue.NONE : model.first().deadline(), h.headDeadline());
            assertSame(model.isEmpty() ? null : model.first().e(), h.peek());
        }
        for (E e : es) {
            assertEquals(current[e.id] != null, e.isScheduled());
        }
        while (!model.isEmpty()) {
            assertSame(model.first().e(), h.peek());
            assertEquals(model.first().deadline(), h.headDeadline());
            assertSame(model.pollFirst().e(), h.poll());
            assertEquals(model.size(), h.size());
        }
        assertNull(h.poll());
    }

    @Test
    void cancellingEverythingLeavesNothing() {
        EventQueue h = new EventQueue();
        List<E> es = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            E e = new E(i);
            es.add(e);
            h.add(e, 10_000 - i);
        }
        for (E e : es) {
            assertTrue(h.remove(e));
            assertFalse(h.remove(e));
        }
        assertEquals(0, h.size());
        assertNull(h.peek());
        assertNull(h.poll());
    }
}
