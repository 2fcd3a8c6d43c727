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

/** The timer wheel against a sorted-set model: order, ties, cancels, handle reuse and the due mark. */
class TimerWheelTest {

    /** A timer as its owners keep one: with the handle the wheel gave it. */
    static final class Tm {
        int handle = -1;
    }

    private static Tm timer() {
        return new Tm();
    }

    private static void add(TimerWheel<Tm> t, Tm f, Object task, long deadline) {
        f.handle = t.add(f, task, deadline);
    }

    private static boolean remove(TimerWheel<Tm> t, Tm f) {
        return t.remove(f.handle, f);
    }

    /** Model entry: (deadline, order of scheduling). */
    record M(long deadline, long order, Tm f, Object task) {}

    @Test
    void tiesComeOutInSchedulingOrderWithTheirTasks() {
        TimerWheel<Tm> t = new TimerWheel<>();
        List<Tm> fs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Tm f = timer();
            fs.add(f);
            add(t, f, "task" + i, 5);
        }
        assertNull(t.markedDueTask(5), "nothing marked due yet");
        t.markDue();
        for (int i = 0; i < 100; i++) {
            assertNull(t.markedDueTask(4), "not due before 5");
            assertEquals("task" + i, t.markedDueTask(5));
            assertSame(fs.get(i), t.peek());
            assertSame(fs.get(i), t.poll());
        }
        assertNull(t.poll());
        assertEquals(-1, t.nextDeadline());
    }

    @Test
    void matchesAModelWithDeadlinesAcrossEveryLevel() {
        checkAgainstModel(2, 0, Long.MAX_VALUE / 2, false, 2000);
    }

    @Test
    void matchesAModelWhenTimeMovesForwardAsInASimulation() {
        for (long seed = 3; seed < 6; seed++) {
            checkAgainstModel(seed, 0, 0, true, 2000);
        }
    }

    @Test
    void matchesAModelWithDeadlinesInThePast() {
        for (long seed = 6; seed < 9; seed++) {
            checkAgainstModel(seed, -1000, 1000, true, 2000);
        }
    }

    @Test
    void matchesAModelAroundTheSmallScheduleThreshold() {
        checkAgainstModel(9, 0, 0, true, 40);
        checkAgainstModel(10, -100, 100_000, true, 40);
    }

    /**
     * Random adds (of timers not scheduled), removes and polls; a removed timer's handle must not be reused while
     * its stale entry is still in the wheel, so timers are rescheduled right after being removed.
     */
    private static void checkAgainstModel(long seed, long lo, long hi, boolean monotone, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        TimerWheel<Tm> t = new TimerWheel<>();
        TreeSet<M> model = new TreeSet<>(Comparator.comparingLong(M::deadline).thenComparingLong(M::order));
        M[] current = new M[n];
        List<Tm> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            fs.add(timer());
        }
        long order = 0;
        long now = 0;
        for (int step = 0; step < 200_000; step++) {
            int op = r.nextInt(10);
            int id = r.nextInt(n);
            if (op < 5) { // add, or remove then add again (a fresh future, as schedule() makes)
                if (current[id] != null) {
                    assertTrue(remove(t, current[id].f()));
                    assertFalse(remove(t, current[id].f()));
                    model.remove(current[id]);
                    fs.set(id, timer());
                }
                long d;
                if (!monotone) {
                    d = lo + r.nextLong(hi - lo);
                } else if (hi > lo) {
                    d = now + lo + r.nextLong(hi - lo);
                } else {
                    int scale = r.nextInt(6);
                    d = scale == 0 ? now : now + r.nextLong(1L << (scale * 8 + r.nextInt(8)));
                }
                Integer task = id;
                add(t, fs.get(id), task, d);
                current[id] = new M(d, order++, fs.get(id), task);
                model.add(current[id]);
            } else if (op < 7) { // cancel
                boolean was = current[id] != null;
                assertEquals(was, remove(t, fs.get(id)));
                if (was) {
                    model.remove(current[id]);
                    current[id] = null;
                    fs.set(id, timer());
                }
            } else if (op < 8) { // the due mark: only what is due now and was scheduled before the mark
                long at = model.isEmpty() ? now : model.first().deadline();
                t.markDue();
                long mark = order;
                Object task;
                while ((task = t.markedDueTask(at)) != null) {
                    M m = model.pollFirst();
                    assertTrue(m.deadline() <= at && m.order() < mark);
                    assertSame(m.task(), task);
                    assertSame(m.f(), t.poll());
                    current[(Integer) m.task()] = null;
                    fs.set((Integer) m.task(), timer());
                }
                assertTrue(model.isEmpty()
                        || model.first().deadline() > at
                        || model.first().order() >= mark);
                now = Math.max(now, at);
            } else { // poll
                M m = model.pollFirst();
                Tm got = t.poll();
                if (m == null) {
                    assertNull(t.peek());
                    assertNull(got);
                } else {
                    assertSame(m.f(), got, "step " + step);
                    current[(Integer) m.task()] = null;
                    fs.set((Integer) m.task(), timer());
                    now = Math.max(now, m.deadline());
                }
            }
            assertEquals(model.size(), t.size());
            assertEquals(model.isEmpty() ? -1 : model.first().deadline(), t.nextDeadline());
        }
        while (!model.isEmpty()) {
            assertEquals(model.first().deadline(), t.nextDeadline());
            assertSame(model.pollFirst().f(), t.poll());
            assertEquals(model.size(), t.size());
        }
        assertNull(t.poll());
    }

    @Test
    void cancellingEverythingLeavesNothingAndHandlesAreReused() {
        TimerWheel<Tm> t = new TimerWheel<>();
        for (int round = 0; round < 3; round++) {
            List<Tm> fs = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                Tm f = timer();
                fs.add(f);
                add(t, f, null, 10_000 - i);
            }
            for (Tm f : fs) {
                assertTrue(remove(t, f));
                assertFalse(remove(t, f));
            }
            assertEquals(0, t.size());
            assertEquals(-1, t.nextDeadline());
            assertNull(t.poll());
        }
    }
}
