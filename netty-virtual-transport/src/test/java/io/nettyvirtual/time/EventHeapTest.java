package io.nettyvirtual.time;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The event heap against a sorted-set model: order, ties in scheduling order, moves and cancels. */
class EventHeapTest {

    static final class E extends TimedEvent {
        final int id;

        E(int id) {
            this.id = id;
        }

        @Override
        protected void fire() {
        }

        @Override
        public String toString() {
            return "E" + id + "@" + deadline;
        }
    }

    /** Model entry: (deadline, order of scheduling). */
    record M(long deadline, long order, E e) {
    }

    @Test
    void tiesFireInSchedulingOrder() {
        EventHeap h = new EventHeap();
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
        assertEquals(EventHeap.NONE, h.headDeadline());
    }

    @Test
    void matchesAModelUnderRandomAddsMovesCancelsAndPolls() {
        SplittableRandom r = new SplittableRandom(1);
        EventHeap h = new EventHeap();
        TreeSet<M> model = new TreeSet<>(Comparator.comparingLong(M::deadline).thenComparingLong(M::order));
        E[] es = new E[2000];
        M[] current = new M[es.length];
        for (int i = 0; i < es.length; i++) {
            es[i] = new E(i);
        }
        long order = 0;
        for (int step = 0; step < 200_000; step++) {
            int op = r.nextInt(10);
            E e = es[r.nextInt(es.length)];
            if (op < 5) { // add or move
                long d = r.nextLong(1000);
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
                }
            }
            assertEquals(model.size(), h.size());
            assertEquals(model.isEmpty() ? EventHeap.NONE : model.first().deadline(), h.headDeadline());
            assertSame(model.isEmpty() ? null : model.first().e(), h.peek());
        }
        for (E e : es) {
            assertEquals(current[e.id] != null, e.isScheduled());
        }
    }

    @Test
    void cancellingEverythingLeavesNothing() {
        EventHeap h = new EventHeap();
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
