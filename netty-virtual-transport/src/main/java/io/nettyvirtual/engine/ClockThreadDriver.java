package io.nettyvirtual.engine;

import io.nettyvirtual.time.TimeMode;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.function.BooleanSupplier;

/**
 * {@link TimeMode#THREADED} and {@link TimeMode#REAL_TIME}: every loop runs on a thread of its own and parks here
 * when it has nothing to do; a clock thread ({@code netty-virtual-clock}) fires the network's events. In threaded
 * mode it moves virtual time to the next deadline when every loop is idle, nothing is due and no watched thread is
 * running ({@link ThreadWatcher}); in real-time mode the clock is the wall clock and the thread fires events on it.
 */
final class ClockThreadDriver extends Driver {
    private final boolean realTime;
    private final ThreadWatcher watcher;
    private final Condition clockThreadWake;
    private final Thread clockThread;
    private final TimedEvent wakeMarker = new Marker();

    /** Locked: loops that are not parked. */
    private int busy;
    /** Locked: the clock thread found nothing to do: every loop idle, nothing scheduled. */
    private boolean quiescent;
    /** Locked: a loop ran since the clock last waited {@link ThreadWatcher#SETTLE_NANOS}. */
    private boolean loopsRanSinceSettled;

    /** Called on the building thread. */
    ClockThreadDriver(Simulation sim, boolean realTime) {
        super(sim);
        this.realTime = realTime;
        this.watcher = realTime ? null : new ThreadWatcher(Thread.currentThread());
        this.clockThreadWake = sim.lock.newCondition();
        this.clockThread = new Thread(this::clockThreadLoop, "netty-virtual-clock");
        clockThread.setDaemon(true);
    }

    void start() {
        clockThread.start();
    }

    /** Watches {@code thread} (threaded mode): virtual time does not move while it is running. */
    void watch(Thread thread) {
        if (watcher != null) {
            watcher.watch(thread);
        }
    }

    @Override
    void eventScheduled(TimedEvent event) {
        if (sim.events.peek() == event) {
            clockThreadWake.signal();
        }
    }

    @Override
    void loopRegistered(LoopRegistration r) {
        busy++;
    }

    @Override
    void loopExited(LoopRegistration r) {
        if (!r.idle) {
            busy--;
        }
        clockThreadWake.signal();
        sim.progress.signalAll();
    }

    @Override
    void park(LoopRegistration r, long deadline) {
        sim.lock.lock();
        try {
            if (r.woken || sim.isClosed()) {
                r.woken = false;
                return;
            }
            r.idle = true;
            r.deadline = deadline;
            loopsRanSinceSettled = true;
            if (--busy == 0) {
                clockThreadWake.signal();
            }
            while (r.idle) {
                if (realTime && deadline != -1) {
                    long rem = deadline - sim.clock().nanoTime();
                    if (rem <= 0) {
                        r.idle = false;
                        busy++;
                        break;
                    }
                    r.wake.awaitNanos(rem);
                } else {
                    r.wake.awaitUninterruptibly();
                }
                if (sim.isClosed() && r.idle) {
                    r.idle = false;
                    busy++;
                }
            }
            r.woken = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (r.idle) {
                r.idle = false;
                busy++;
            }
        } finally {
            sim.lock.unlock();
        }
    }

    @Override
    void wakeup(LoopRegistration r) {
        sim.lock.lock();
        try {
            if (r.idle) {
                r.idle = false;
                busy++;
                quiescent = false;
                r.wake.signal();
            } else {
                r.woken = true;
            }
        } finally {
            sim.lock.unlock();
        }
    }

    private void clockThreadLoop() {
        sim.initializeThread();
        EventQueue events = sim.events;
        SimulationClock clock = sim.simulationClock();
        List<LoopRegistration> loops = sim.loops;
        sim.lock.lock();
        try {
            while (!sim.isClosed()) {
                long now = clock.nanoTime();
                TimedEvent e = events.peek();
                if (e != null && e.deadline <= now) {
                    events.poll();
                    try {
                        e.fire();
                    } catch (Throwable t) {
                        Thread.currentThread()
                                .getUncaughtExceptionHandler()
                                .uncaughtException(Thread.currentThread(), t);
                    }
                    continue;
                }
                if (realTime) {
                    sim.progress.signalAll();
                    if (e == null) {
                        clockThreadWake.await();
                    } else {
                        clockThreadWake.awaitNanos(e.deadline - now);
                    }
                    continue;
                }
                if (busy > 0) {
                    quiescent = false;
                    clockThreadWake.await();
                    continue;
                }
                if (watcher.anyRunning(sim.lock)) {
                    clockThreadWake.awaitNanos(20_000);
                    continue;
                }
                long next = e == null ? -1 : e.deadline;
                for (int i = 0; i < loops.size(); i++) {
                    LoopRegistration r = loops.get(i);
                    if (r.idle && r.deadline != -1 && (next == -1 || r.deadline < next)) {
                        next = r.deadline;
                    }
                }
                if (next == -1) {
                    quiescent = true;
                    sim.progress.signalAll();
                    clockThreadWake.await();
                    continue;
                }
                if (loopsRanSinceSettled && !watcher.isEmpty()) {
                    // Give a watched thread that the loops have just woken time to be seen running.
                    loopsRanSinceSettled = false;
                    clockThreadWake.awaitNanos(ThreadWatcher.SETTLE_NANOS);
                    continue;
                }
                clock.advanceTo(next);
                now = clock.nanoTime();
                for (int i = 0; i < loops.size(); i++) {
                    LoopRegistration r = loops.get(i);
                    if (r.idle && r.deadline != -1 && r.deadline <= now) {
                        r.idle = false;
                        busy++;
                        r.wake.signal();
                    }
                }
                sim.progress.signalAll();
            }
        } catch (InterruptedException ignored) {
            // closing
        } finally {
            sim.lock.unlock();
        }
    }

    /**
     * Waits while the loops run until {@code condition} holds, the clock reaches {@code deadline} (a marker event
     * makes the clock stop there) or the simulation is quiescent; for a future, {@code deadline} is a limit only.
     */
    @Override
    boolean run(BooleanSupplier condition, long deadline, boolean forFuture) {
        long until = forFuture ? Long.MAX_VALUE : deadline;
        long limit = forFuture ? deadline : Long.MAX_VALUE;
        EventQueue events = sim.events;
        SimulationClock clock = sim.simulationClock();
        sim.lock.lock();
        try {
            if (until != Long.MAX_VALUE) {
                events.add(wakeMarker, until);
                clockThreadWake.signal();
            }
            for (; ; ) {
                if (condition.getAsBoolean()) {
                    return true;
                }
                if (clock.nanoTime() >= until || clock.nanoTime() >= limit) {
                    return condition.getAsBoolean();
                }
                if (sim.isClosed() || quiescent && busy == 0 && events.size() == 0 && until == Long.MAX_VALUE) {
                    return condition.getAsBoolean();
                }
                sim.progress.awaitNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return condition.getAsBoolean();
        } finally {
            if (until != Long.MAX_VALUE) {
                events.remove(wakeMarker);
            }
            sim.lock.unlock();
        }
    }

    @Override
    void sleep(long nanos) throws InterruptedException {
        long target = Simulation.saturatedAdd(sim.clock().nanoTime(), nanos);
        TimedEvent marker = new Marker();
        sim.lock.lock();
        try {
            sim.events.add(marker, target);
            clockThreadWake.signal();
            while (sim.clock().nanoTime() < target && !sim.isClosed()) {
                sim.progress.await(5, TimeUnit.MILLISECONDS);
            }
        } finally {
            sim.events.remove(marker);
            sim.lock.unlock();
        }
    }

    @Override
    void runDown(List<LoopRegistration> snapshot) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!allTerminated(snapshot) && System.nanoTime() < until) {
            sim.lock.lock();
            try {
                sim.progress.await(1, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                sim.lock.unlock();
            }
        }
    }

    @Override
    void closed() {
        clockThreadWake.signalAll();
        sim.progress.signalAll();
        for (LoopRegistration r : sim.loops) {
            r.wake.signalAll();
        }
    }

    /** An event that only stops the clock at its deadline. */
    private static final class Marker extends TimedEvent {
        @Override
        protected void fire() {}
    }
}
