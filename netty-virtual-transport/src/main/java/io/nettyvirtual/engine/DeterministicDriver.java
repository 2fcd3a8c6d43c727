package io.nettyvirtual.engine;

import io.nettyvirtual.time.TimeMode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@link TimeMode#DETERMINISTIC}: the thread that built the simulation runs every loop, round-robin in creation
 * order, inside {@code run*} calls, fires the network's events and jumps the clock to the least deadline of the
 * schedule and of each loop's timers. Nothing else runs simulation work, so a run is replayed exactly from its
 * seed.
 */
final class DeterministicDriver extends Driver {
    /** How long a run that waits for a future waits for another thread, once the simulation is idle. */
    private static final long EXTERNAL_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final Thread driver;
    /** Depth of run calls on the driving thread: above 0, the thread is inside the simulation. */
    private int driving;
    /** Locked: another thread handed work over since the driving thread last looked. */
    private boolean externalWakeup;
    /** Locked: a thread other than the driving one has ever handed work over (a task, an event, a wake-up). */
    private boolean foreignWork;

    DeterministicDriver(Simulation sim, Thread driver) {
        super(sim);
        this.driver = driver;
    }

    @Override
    void eventScheduled(TimedEvent event) {
        if (Thread.currentThread() != driver) {
            handedOver();
        }
    }

    @Override
    void loopRegistered(LoopRegistration r) {}

    @Override
    void loopExited(LoopRegistration r) {
        sim.progress.signalAll();
    }

    @Override
    void park(LoopRegistration r, long deadline) {
        // a deterministic loop never blocks: it runs only when the driving thread runs it
    }

    @Override
    void wakeup(LoopRegistration r) {
        if (Thread.currentThread() == driver) {
            return;
        }
        sim.lock.lock();
        try {
            handedOver();
        } finally {
            sim.lock.unlock();
        }
    }

    /** Locked: another thread handed work over; a run waiting for a future looks again. */
    private void handedOver() {
        externalWakeup = true;
        foreignWork = true;
        sim.progress.signalAll();
    }

    @Override
    boolean inStep() {
        return driving > 0 && Thread.currentThread() == driver;
    }

    @Override
    boolean run(BooleanSupplier condition, long deadline, boolean forFuture) {
        if (Thread.currentThread() != driver) {
            throw new IllegalStateException("a deterministic simulation is driven only by the thread that built it ("
                    + driver.getName() + "), not " + Thread.currentThread().getName());
        }
        if (driving > 0) {
            throw new IllegalStateException("run*() called from inside the simulation (a handler or task): "
                    + "schedule work on the event loop instead");
        }
        driving++;
        try {
            for (; ; ) {
                runReady();
                if (condition.getAsBoolean()) {
                    return true;
                }
                long next = nextDeadline();
                if (next == -1) {
                    if (forFuture) {
                        // Idle: the future cannot complete, unless another thread completes it.
                        if (awaitExternalWork()) {
                            continue;
                        }
                        return condition.getAsBoolean();
                    }
                    if (deadline != Long.MAX_VALUE) {
                        sim.simulationClock().advanceTo(deadline);
                        runReady();
                    }
                    return condition.getAsBoolean();
                }
                if (next > deadline) {
                    sim.simulationClock().advanceTo(deadline);
                    runReady();
                    return condition.getAsBoolean();
                }
                sim.simulationClock().advanceTo(next);
            }
        } finally {
            driving--;
        }
    }

    /**
     * Fires due events and runs the loops until a pass in which no loop ran anything. A pass that only fired events
     * needs no second pass: events due now are all fired (including those they schedule for now) before the loops
     * run, and loops that then run nothing create no new work. This saves a whole pass, a {@code runNow()} on every
     * loop, per step of virtual time.
     */
    private void runReady() {
        List<LoopRegistration> loops = sim.loops;
        boolean any;
        do {
            fireDueEvents();
            any = false;
            for (int i = 0; i < loops.size(); i++) {
                if (loops.get(i).loop.runReady() > 0) {
                    any = true;
                }
            }
            for (int i = loops.size() - 1; i >= 0; i--) {
                if (loops.get(i).loop.isTerminated()) {
                    loops.remove(i);
                }
            }
        } while (any);
    }

    private void fireDueEvents() {
        EventQueue events = sim.events;
        SimulationClock clock = sim.simulationClock();
        if (events.headDeadline() > clock.nanoTime()) {
            return; // nothing due: no need for the lock
        }
        sim.lock.lock();
        try {
            long now = clock.nanoTime();
            TimedEvent e;
            while ((e = events.peek()) != null && e.deadline <= now) {
                events.poll();
                e.fire();
            }
        } finally {
            sim.lock.unlock();
        }
    }

    private long nextDeadline() {
        long head = sim.events.headDeadline();
        long next = head == EventQueue.NONE ? -1 : head;
        List<LoopRegistration> loops = sim.loops;
        for (int i = 0; i < loops.size(); i++) {
            long d = loops.get(i).loop.nextDeadline();
            if (d != -1 && (next == -1 || d < next)) {
                next = d;
            }
        }
        return next == -1 ? -1 : Math.max(next, sim.clock().nanoTime());
    }

    /**
     * The simulation is idle while a run waits for a future: waits for another thread to hand work over, if one
     * ever did (up to {@link #EXTERNAL_WAIT_NANOS}); returns whether one did.
     */
    private boolean awaitExternalWork() {
        sim.lock.lock();
        try {
            if (!externalWakeup && !foreignWork) {
                return false; // only the driving thread ever handed work over, and it is here: nothing can wake it
            }
            long wait = EXTERNAL_WAIT_NANOS;
            while (!externalWakeup && wait > 0) {
                wait = sim.progress.awaitNanos(wait);
            }
            boolean woke = externalWakeup;
            externalWakeup = false;
            return woke;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            sim.lock.unlock();
        }
    }

    @Override
    void sleep(long nanos) {
        if (driving > 0 || Thread.currentThread() != driver) {
            throw new IllegalStateException("sleep() on a deterministic simulation's clock from inside the "
                    + "simulation would stop its clock: use EventLoop.schedule(...) instead");
        }
        sim.runFor(Duration.ofNanos(nanos));
    }

    @Override
    void runDown(List<LoopRegistration> snapshot) {
        for (int i = 0; i < 1000 && !allTerminated(snapshot); i++) {
            driving++;
            try {
                runReady();
            } finally {
                driving--;
            }
        }
    }

    @Override
    void closed() {
        sim.progress.signalAll();
    }
}
