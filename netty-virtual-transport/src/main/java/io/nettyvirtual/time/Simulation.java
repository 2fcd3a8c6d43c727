package io.nettyvirtual.time;

import io.netty.util.concurrent.BlockingOperationException;
import io.netty.util.concurrent.Future;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The engine under a virtual network: its clock, its one seeded random source, its schedule of network events and
 * the event loops it drives. Users reach it through {@code VirtualNetwork}; network elements and event loops use
 * the rest of this class.
 *
 * <p><b>Rules.</b> Network events fire with {@link #lock()} held, in (deadline, scheduling order). In
 * {@link TimeMode#DETERMINISTIC} mode only the thread that built the simulation may drive it, and the clock moves
 * only inside {@code run*} calls. In {@link TimeMode#THREADED} mode a clock thread moves time when every loop is
 * idle, nothing is due and no watched thread is running. In {@link TimeMode#REAL_TIME} mode the clock thread fires
 * network events on the wall clock.
 */
public final class Simulation {
    private static final long EXTERNAL_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** The default virtual-time limit of {@link #runUntil(Future)}: one hour. */
    public static final Duration DEFAULT_RUN_UNTIL_LIMIT = Duration.ofHours(1);
    private static final long DEFAULT_RUN_UNTIL_LIMIT_NANOS = DEFAULT_RUN_UNTIL_LIMIT.toNanos();
    /**
     * Threaded mode: how long (wall time) the clock waits, after the loops went idle, before it moves, so that a
     * watched thread the loops have just woken (by completing the future it waits on) is seen running. Such a thread
     * keeps the Java state WAITING, and for a few microseconds even the kernel's state 'S', until it is scheduled;
     * had the clock jumped in that window, a test handed the result of one step could find an idle timeout fired
     * before its next step. Once the kernel marks the thread runnable, the clock holds as long as it stays so.
     */
    private static final long SETTLE_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    final ReentrantLock lock = new ReentrantLock();
    private final Condition clockThreadWake = lock.newCondition();
    private final Condition progress = lock.newCondition();
    private final TimeMode mode;
    private final long seed;
    private final SplittableRandom random;
    private final VirtualClock clock;
    private final EventQueue events = new EventQueue();
    private final List<LoopRegistration> loops = new ArrayList<>();
    private final List<Thread> watched = new CopyOnWriteArrayList<>();
    private final List<Runnable> threadInitializers = new CopyOnWriteArrayList<>();
    private final Thread driverThread;
    /** Linux: the driving thread's /proc stat file, see {@link #osThreadStat()}. */
    private final Path driverTaskStat;
    private final TimedEvent wakeMarker = new TimedEvent() {
        @Override
        protected void fire() {
        }
    };

    private Thread clockThread;
    private int busy;
    private boolean quiescent;
    /** Threaded mode: a loop ran since the clock last waited {@link #SETTLE_NANOS}; guarded by the lock. */
    private boolean loopsRanSinceSettled;
    private boolean externalWakeup;
    /** Deterministic mode: a thread other than the driving one has handed work over (a task, an event, a wake-up). */
    private boolean foreignWork;
    private int driving;
    private volatile long runUntilLimitNanos = DEFAULT_RUN_UNTIL_LIMIT_NANOS;
    private volatile boolean closed;

    /**
     * Creates a simulation.
     *
     * @param mode how time moves
     * @param seed the seed of the simulation's only random source
     */
    public Simulation(TimeMode mode, long seed) {
        if (mode == null) {
            throw new NullPointerException("mode");
        }
        this.mode = mode;
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.clock = new VirtualClock(this, mode == TimeMode.REAL_TIME);
        this.driverThread = Thread.currentThread();
        this.driverTaskStat = mode == TimeMode.THREADED ? osThreadStat() : null;
        if (mode == TimeMode.THREADED) {
            watched.add(driverThread);
        }
        if (mode != TimeMode.DETERMINISTIC) {
            clockThread = new Thread(this::clockThreadLoop, "netty-virtual-clock");
            clockThread.setDaemon(true);
            clockThread.start();
        }
    }

    /** How time moves in this simulation. */
    public TimeMode mode() {
        return mode;
    }

    /** The seed of this simulation's random source: print it with a failure to replay the run. */
    public long seed() {
        return seed;
    }

    /** The simulation's clock. */
    public VirtualClock clock() {
        return clock;
    }

    /** Current simulation time in nanoseconds. */
    public long nanoTime() {
        return clock.nanoTime();
    }

    /** The lock that guards the network's state; held while network events fire. */
    public ReentrantLock lock() {
        return lock;
    }

    /** The simulation's random source; use it only with {@link #lock()} held. */
    public SplittableRandom random() {
        return random;
    }

    /** The thread that drives a deterministic simulation (the thread that built it). */
    public Thread driverThread() {
        return driverThread;
    }

    /**
     * Watches a thread outside the simulation (threaded mode): virtual time does not move while it is running,
     * only while it is blocked or waiting. The thread that built the simulation is watched from the start.
     */
    public void watch(Thread thread) {
        if (!watched.contains(thread)) {
            watched.add(thread);
        }
    }

    /** Stops watching a thread; with no watched thread, virtual time moves whenever the loops are idle. */
    public void unwatch(Thread thread) {
        watched.remove(thread);
    }

    /**
     * Runs {@code initializer} on every thread that executes simulation work: now on the existing ones, and on new
     * ones as they start. Used to bind thread-local clocks (for example, the QUIC codec's native clock).
     *
     * <p>In deterministic mode that is the driving thread, which must be the caller; the initializer runs before
     * this method returns. In the threaded modes it is each event loop's thread: loops that already run get it as a
     * task queued behind their pending ones (so before any task submitted after this call), later loops run it
     * first thing. A loop that starts while it is being added may run it twice, so it should be idempotent.
     */
    public void addThreadInitializer(Runnable initializer) {
        if (mode == TimeMode.DETERMINISTIC) {
            if (Thread.currentThread() != driverThread) {
                throw new IllegalStateException("a deterministic simulation's initializers must be added from its "
                        + "driving thread " + driverThread.getName());
            }
            threadInitializers.add(initializer);
            initializer.run();
            return;
        }
        threadInitializers.add(initializer);
        List<LoopRegistration> running;
        lock.lock();
        try {
            running = new ArrayList<>(loops);
        } finally {
            lock.unlock();
        }
        for (LoopRegistration r : running) {
            try {
                r.loop.execute(initializer);
            } catch (RejectedExecutionException ignored) {
                // shut down: it runs no more simulation work
            }
        }
    }

    // ---------------------------------------------------------------- events

    /** Schedules (or reschedules) {@code event} at simulation time {@code deadline}. */
    public void schedule(TimedEvent event, long deadline) {
        if (lock.isHeldByCurrentThread()) {
            // The common case: an event or a network element rescheduling from inside the simulation.
            scheduleLocked(event, deadline);
            return;
        }
        lock.lock();
        try {
            scheduleLocked(event, deadline);
        } finally {
            lock.unlock();
        }
    }

    private void scheduleLocked(TimedEvent event, long deadline) {
        events.add(event, deadline);
        if (mode != TimeMode.DETERMINISTIC && events.peek() == event) {
            clockThreadWake.signal();
        } else if (mode == TimeMode.DETERMINISTIC && Thread.currentThread() != driverThread) {
            externalWakeup = true;
            foreignWork = true;
            progress.signalAll();
        }
    }

    /** Cancels {@code event} if it is scheduled. */
    public void cancel(TimedEvent event) {
        lock.lock();
        try {
            events.remove(event);
        } finally {
            lock.unlock();
        }
    }

    private boolean fireDueEvents() {
        if (events.headDeadline() > clock.nanoTime()) {
            return false; // nothing due: no need for the lock
        }
        boolean fired = false;
        lock.lock();
        try {
            long now = clock.nanoTime();
            TimedEvent e;
            while ((e = events.peek()) != null && e.deadline <= now) {
                events.poll();
                e.fire();
                fired = true;
            }
        } finally {
            lock.unlock();
        }
        return fired;
    }

    // ---------------------------------------------------------------- loops

    /**
     * Registers an event loop. In the threaded modes the caller then starts the loop's own thread, which calls
     * {@link #initializeThread()} first and {@link #loopThreadExited} last; in deterministic mode the driving thread
     * runs the loop inside {@code run*} calls.
     */
    public LoopRegistration register(SimulatedLoop loop) {
        checkOpen();
        LoopRegistration r = new LoopRegistration(this, loop);
        lock.lock();
        try {
            loops.add(r);
            if (mode != TimeMode.DETERMINISTIC) {
                busy++;
            }
        } finally {
            lock.unlock();
        }
        return r;
    }

    /** Runs the thread initializers on the calling loop thread; loop threads call it first. */
    public void initializeThread() {
        for (Runnable r : threadInitializers) {
            r.run();
        }
    }

    /** Called by a loop thread after its loop terminated. */
    public void loopThreadExited(LoopRegistration r) {
        lock.lock();
        try {
            if (loops.remove(r)) {
                if (!r.idle) {
                    busy--;
                }
                clockThreadWake.signal();
                progress.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    void park(LoopRegistration r, long deadline) {
        if (mode == TimeMode.DETERMINISTIC) {
            return;
        }
        lock.lock();
        try {
            if (r.woken || closed) {
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
                if (mode == TimeMode.REAL_TIME && deadline != -1) {
                    long rem = deadline - clock.nanoTime();
                    if (rem <= 0) {
                        r.idle = false;
                        busy++;
                        break;
                    }
                    r.wake.awaitNanos(rem);
                } else {
                    r.wake.awaitUninterruptibly();
                }
                if (closed && r.idle) {
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
            lock.unlock();
        }
    }

    void wakeup(LoopRegistration r) {
        lock.lock();
        try {
            if (mode == TimeMode.DETERMINISTIC) {
                if (Thread.currentThread() != driverThread) {
                    externalWakeup = true;
                    foreignWork = true;
                    progress.signalAll();
                }
                return;
            }
            if (r.idle) {
                r.idle = false;
                busy++;
                quiescent = false;
                r.wake.signal();
            } else {
                r.woken = true;
            }
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- the clock thread (threaded, real time)

    private void clockThreadLoop() {
        initializeThread();
        lock.lock();
        try {
            while (!closed) {
                long now = clock.nanoTime();
                TimedEvent e = events.peek();
                if (e != null && e.deadline <= now) {
                    events.poll();
                    try {
                        e.fire();
                    } catch (Throwable t) {
                        Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), t);
                    }
                    continue;
                }
                if (mode == TimeMode.REAL_TIME) {
                    progress.signalAll();
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
                if (watchedThreadRunning()) {
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
                    progress.signalAll();
                    clockThreadWake.await();
                    continue;
                }
                if (loopsRanSinceSettled && !watched.isEmpty()) {
                    // Give a watched thread that the loops have just woken time to be seen running (see SETTLE_NANOS).
                    loopsRanSinceSettled = false;
                    clockThreadWake.awaitNanos(SETTLE_NANOS);
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
                progress.signalAll();
            }
        } catch (InterruptedException ignored) {
            // closing
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether a watched thread is running, or about to: RUNNABLE; queued for the simulation's lock (it is handing
     * work to a loop, which would wake it); or, for the building thread on Linux, runnable in the kernel's view.
     * Called by the clock thread with the lock held.
     */
    private boolean watchedThreadRunning() {
        for (Thread t : watched) {
            Thread.State state = t.getState();
            if (state == Thread.State.RUNNABLE || lock.hasQueuedThread(t)) {
                return true;
            }
            if (t == driverThread && driverTaskStat != null && state != Thread.State.TERMINATED
                    && osRunnable(driverTaskStat)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The kernel's view of the building thread ({@code /proc/self/task/<tid>/stat}), or null where there is none.
     * A thread woken from a wait keeps the Java state WAITING (or BLOCKED) until it is scheduled and runs, which on
     * a loaded machine can take milliseconds; had the clock moved in that window, a test that had just been handed
     * the result of one step could find a timer (an idle timeout) fired before its next step. The kernel marks the
     * thread runnable within microseconds of the wake-up (measured: a thread notified from Object.wait still reads
     * 'S' right after the notifier leaves the monitor, 'R' some 10 us later; {@link #SETTLE_NANOS} covers that) and
     * keeps it so until it has run, however long the scheduler makes it wait.
     */
    private static Path osThreadStat() {
        try {
            Path task = Files.readSymbolicLink(Paths.get("/proc/thread-self")); // "<pid>/task/<tid>"
            Path stat = Paths.get("/proc").resolve(task).resolve("stat");
            return osRunnable(stat) ? stat : null; // the calling thread is running: the file is readable
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Whether the thread whose stat file this is is running or runnable ('R' after its name). */
    private static boolean osRunnable(Path stat) {
        try {
            byte[] b = Files.readAllBytes(stat);
            for (int i = b.length - 1; i > 0; i--) {
                if (b[i] == ')') {
                    return i + 2 < b.length && b[i + 2] == 'R';
                }
            }
        } catch (IOException | RuntimeException e) {
            // the thread is gone
        }
        return false;
    }

    // ---------------------------------------------------------------- driving

    /**
     * Runs the simulation until {@code future} completes and returns it, for at most the run-until limit of virtual
     * time ({@link #runUntilLimit(Duration)}, {@link #DEFAULT_RUN_UNTIL_LIMIT} unless changed). Deterministic mode:
     * runs on this thread and fails with {@link IllegalStateException} (naming the time and the seed) if the
     * simulation goes idle first. It fails at once, unless a thread other than the driving one has handed work to the
     * simulation before (a task, an event or a wake-up): then it waits up to 500 ms of wall time for more, since that
     * thread may complete the future. Threaded and real-time modes: waits for the future while the loops run.
     *
     * @throws IllegalStateException if the simulation goes idle or reaches the limit before the future completes
     */
    public <V> Future<V> runUntil(Future<V> future) {
        return runUntil(future, Duration.ofNanos(runUntilLimitNanos));
    }

    /**
     * Runs the simulation until {@code future} completes and returns it, as {@link #runUntil(Future)}, for at most
     * {@code limit} of virtual time.
     *
     * @throws IllegalStateException if the simulation goes idle or reaches the limit before the future completes
     */
    public <V> Future<V> runUntil(Future<V> future, Duration limit) {
        if (future == null) {
            throw new NullPointerException("future");
        }
        long limitNanos = checkDuration(limit, "limit");
        long start = clock.nanoTime();
        long deadline = saturatedAdd(start, limitNanos);
        if (!future.isDone()) {
            future.addListener(f -> signalProgress());
        }
        if (!runUntil(future::isDone, deadline, true)) {
            if (deadline != Long.MAX_VALUE && clock.nanoTime() >= deadline) {
                throw new IllegalStateException(future + " did not complete within the run-until limit of "
                        + limit + " of virtual time: stopped at " + clock.millis() + " ms virtual (seed " + seed
                        + "); something keeps the simulation busy (a periodic timer?) without completing it");
            }
            throw new IllegalStateException("simulation went idle at " + clock.millis() + " ms virtual (seed "
                    + seed + ") before " + future + " completed: nothing is scheduled that could complete it");
        }
        return future;
    }

    /**
     * Sets the virtual-time limit of {@link #runUntil(Future)}: a run that has not seen the future complete after that
     * much virtual time fails (naming the time and the seed) rather than running for ever while a periodic timer
     * keeps the simulation busy.
     *
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    public void runUntilLimit(Duration limit) {
        long nanos = checkDuration(limit, "limit");
        if (nanos == 0) {
            throw new IllegalArgumentException("limit: " + limit + " (expected > 0)");
        }
        runUntilLimitNanos = nanos;
    }

    /** The default virtual-time limit of {@link #runUntil(Future)}. */
    public Duration runUntilLimit() {
        return Duration.ofNanos(runUntilLimitNanos);
    }

    /**
     * Serves a wait ({@code sync()}, {@code await()}, {@code get()}) on a future of this simulation by the calling
     * thread. On the thread that drives a deterministic simulation, between {@code run*} calls, the wait drives the
     * simulation until the future completes (as {@link #runUntil(Future)}), or until {@code timeoutNanos} of virtual
     * time passed, and this returns {@code true}. Inside the simulation (a handler or task running on the driving
     * thread) a wait would stop the clock for good: it fails at once. Elsewhere (threaded modes, other threads) this
     * returns {@code false}: the caller blocks as usual while the simulation runs.
     *
     * @param timeoutNanos the longest wait in virtual time, or {@code Long.MAX_VALUE} for none
     * @throws BlockingOperationException inside the simulation
     * @throws IllegalStateException if the simulation goes idle, reaches its run-until limit or is closed before
     *         the future completes (waits without a timeout)
     */
    public boolean awaitByDriving(Future<?> future, long timeoutNanos) {
        if (mode != TimeMode.DETERMINISTIC || Thread.currentThread() != driverThread || future.isDone()) {
            return false;
        }
        if (driving > 0) {
            throw new BlockingOperationException(future + ": blocking on a simulation future from the thread that "
                    + "drives the simulation, inside a handler or task, would stop its clock; add a listener to the "
                    + "future instead, or call network.runUntil(future) from outside the simulation");
        }
        if (closed) {
            throw new IllegalStateException("cannot wait for " + future + ": the simulation (seed " + seed
                    + ") is closed, nothing can complete it");
        }
        if (timeoutNanos == Long.MAX_VALUE) {
            runUntil(future);
        } else {
            runUntil(future::isDone, saturatedAdd(clock.nanoTime(), Math.max(0, timeoutNanos)), false);
        }
        return true;
    }

    /**
     * Runs the simulation until {@code condition} holds or it goes idle; returns whether the condition holds.
     */
    public boolean runUntil(BooleanSupplier condition) {
        return runUntil(condition, Long.MAX_VALUE, false);
    }

    /**
     * Runs the simulation until {@code condition} holds, waiting at most {@code timeout} of simulation time; returns
     * whether it holds.
     */
    public boolean runUntil(BooleanSupplier condition, Duration timeout) {
        long deadline = saturatedAdd(clock.nanoTime(), checkDuration(timeout, "timeout"));
        return runUntil(condition, deadline, false);
    }

    /**
     * Runs the simulation for {@code duration} of simulation time; afterwards the clock reads exactly now + duration.
     *
     * @throws IllegalArgumentException if now + duration is beyond the clock's range ({@code Long.MAX_VALUE} ns,
     *         about 292 years)
     */
    public void runFor(Duration duration) {
        long now = clock.nanoTime();
        long target = saturatedAdd(now, checkDuration(duration, "duration"));
        if (target >= Long.MAX_VALUE - 1) {
            throw new IllegalArgumentException("duration: " + duration + " from " + now + " ns virtual ends beyond "
                    + "the clock's range (" + Long.MAX_VALUE + " ns, about 292 years)");
        }
        runUntil(() -> false, target, false);
    }

    /**
     * Runs the simulation until nothing is runnable or scheduled (in threaded mode: until every loop is idle with
     * nothing scheduled).
     */
    public void runUntilIdle() {
        runUntil(() -> false, Long.MAX_VALUE, false);
    }

    private static long checkDuration(Duration d, String name) {
        if (d == null) {
            throw new NullPointerException(name);
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + ": " + d + " (expected >= 0)");
        }
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    private boolean runUntil(BooleanSupplier condition, long deadline, boolean waitForExternal) {
        checkOpen();
        if (mode == TimeMode.DETERMINISTIC) {
            return runDeterministic(condition, deadline, waitForExternal);
        }
        if (waitForExternal) {
            // A limit, not a deadline: the clock must not be pulled to it when the loops are idle.
            return awaitThreaded(condition, Long.MAX_VALUE, deadline);
        }
        return awaitThreaded(condition, deadline, Long.MAX_VALUE);
    }

    private boolean runDeterministic(BooleanSupplier condition, long deadline, boolean waitForExternal) {
        if (Thread.currentThread() != driverThread) {
            throw new IllegalStateException("a deterministic simulation is driven only by the thread that built it ("
                    + driverThread.getName() + "), not " + Thread.currentThread().getName());
        }
        if (driving > 0) {
            throw new IllegalStateException("run*() called from inside the simulation (a handler or task): "
                    + "schedule work on the event loop instead");
        }
        driving++;
        try {
            for (;;) {
                runReady();
                if (condition.getAsBoolean()) {
                    return true;
                }
                long next = nextDeadline();
                if (next == -1) {
                    if (waitForExternal) {
                        // Waiting for a future: idle means it cannot complete, unless another thread completes it.
                        if (awaitExternalWork()) {
                            continue;
                        }
                        return condition.getAsBoolean();
                    }
                    if (deadline != Long.MAX_VALUE) {
                        clock.advanceTo(deadline);
                        runReady();
                    }
                    return condition.getAsBoolean();
                }
                if (next > deadline) {
                    clock.advanceTo(deadline);
                    runReady();
                    return condition.getAsBoolean();
                }
                clock.advanceTo(next);
            }
        } finally {
            driving--;
        }
    }

    /** Whether the driving thread is inside a {@code run*} call (deterministic mode). */
    public boolean isDriving() {
        return driving > 0;
    }

    /**
     * Fires due events and runs the loops until a pass in which no loop ran anything. A pass that only fired events
     * needs no second pass: events due now are all fired (including those they schedule for now) before the loops
     * run, and loops that then run nothing create no new work. This saves a whole pass, a {@code runNow()} on every
     * loop, per step of virtual time.
     */
    private void runReady() {
        boolean any;
        do {
            fireDueEvents();
            any = false;
            for (int i = 0; i < loops.size(); i++) {
                LoopRegistration r = loops.get(i);
                if (r.loop.runReady() > 0) {
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

    private long nextDeadline() {
        long head = events.headDeadline();
        long next = head == EventQueue.NONE ? -1 : head;
        for (int i = 0; i < loops.size(); i++) {
            long d = loops.get(i).loop.nextDeadline();
            if (d != -1 && (next == -1 || d < next)) {
                next = d;
            }
        }
        return next == -1 ? -1 : Math.max(next, clock.nanoTime());
    }

    private boolean awaitExternalWork() {
        lock.lock();
        try {
            if (!externalWakeup && !foreignWork) {
                return false; // only the driving thread ever handed work over, and it is here: nothing can wake us
            }
            long wait = EXTERNAL_WAIT_NANOS;
            while (!externalWakeup && wait > 0) {
                wait = progress.awaitNanos(wait);
            }
            boolean woke = externalWakeup;
            externalWakeup = false;
            return woke;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    private boolean awaitThreaded(BooleanSupplier condition, long deadline, long limit) {
        lock.lock();
        try {
            if (deadline != Long.MAX_VALUE) {
                events.add(wakeMarker, deadline);
                clockThreadWake.signal();
            }
            for (;;) {
                if (condition.getAsBoolean()) {
                    return true;
                }
                if (clock.nanoTime() >= deadline || clock.nanoTime() >= limit) {
                    return condition.getAsBoolean();
                }
                if (closed || quiescent && busy == 0 && events.size() == 0 && deadline == Long.MAX_VALUE) {
                    return condition.getAsBoolean();
                }
                progress.awaitNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return condition.getAsBoolean();
        } finally {
            if (deadline != Long.MAX_VALUE) {
                events.remove(wakeMarker);
            }
            lock.unlock();
        }
    }

    private void signalProgress() {
        lock.lock();
        try {
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void sleep(long nanos) throws InterruptedException {
        if (nanos <= 0) {
            return;
        }
        if (mode == TimeMode.DETERMINISTIC) {
            if (driving > 0 || Thread.currentThread() != driverThread) {
                throw new IllegalStateException("sleep() on a deterministic simulation's clock from inside the "
                        + "simulation would stop its clock: use EventLoop.schedule(...) instead");
            }
            runFor(Duration.ofNanos(nanos));
            return;
        }
        long target = saturatedAdd(clock.nanoTime(), nanos);
        TimedEvent marker = new TimedEvent() {
            @Override
            protected void fire() {
            }
        };
        lock.lock();
        try {
            events.add(marker, target);
            clockThreadWake.signal();
            while (clock.nanoTime() < target && !closed) {
                progress.await(5, TimeUnit.MILLISECONDS);
            }
        } finally {
            events.remove(marker);
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- closing

    /**
     * Stops every loop and the clock thread. Deterministic mode: must be called by the driving thread, which runs
     * the loops until they terminate. Idempotent.
     */
    public void close() throws TimeoutException {
        checkCanClose();
        lock.lock();
        try {
            if (closed && loops.isEmpty()) {
                return;
            }
        } finally {
            lock.unlock();
        }
        List<LoopRegistration> snapshot;
        lock.lock();
        try {
            snapshot = new ArrayList<>(loops);
        } finally {
            lock.unlock();
        }
        for (LoopRegistration r : snapshot) {
            r.loop.stop();
        }
        if (mode == TimeMode.DETERMINISTIC) {
            if (Thread.currentThread() == driverThread && driving == 0) {
                for (int i = 0; i < 1000 && !allTerminated(snapshot); i++) {
                    driving++;
                    try {
                        runReady();
                    } finally {
                        driving--;
                    }
                }
            }
        } else {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!allTerminated(snapshot) && System.nanoTime() < until) {
                lock.lock();
                try {
                    progress.await(1, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } finally {
                    lock.unlock();
                }
            }
        }
        lock.lock();
        try {
            closed = true;
            clockThreadWake.signalAll();
            progress.signalAll();
            for (LoopRegistration r : loops) {
                r.wake.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (!allTerminated(snapshot)) {
            throw new TimeoutException("event loops did not terminate: " + snapshot.size());
        }
    }

    private static boolean allTerminated(List<LoopRegistration> loops) {
        for (LoopRegistration r : loops) {
            if (!r.loop.isTerminated()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Fails unless the calling thread may close this simulation: in deterministic mode only the driving thread,
     * outside the simulation, runs its loops, so only it can run them down.
     *
     * @throws IllegalStateException naming the driving thread otherwise
     */
    public void checkCanClose() {
        if (mode != TimeMode.DETERMINISTIC) {
            return;
        }
        if (Thread.currentThread() != driverThread) {
            throw new IllegalStateException("a deterministic network (seed " + seed + ") is closed by its driving "
                    + "thread " + driverThread.getName() + ", which runs its event loops, not by "
                    + Thread.currentThread().getName() + "; nothing was closed");
        }
        if (driving > 0) {
            throw new IllegalStateException("close() called from inside the simulation (a handler or task, seed "
                    + seed + "): close the network after the run* call returns; nothing was closed");
        }
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return closed;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("simulation is closed");
        }
    }

    /** Drains every scheduled network event without firing it; used when closing the network. */
    public List<TimedEvent> drainEvents() {
        lock.lock();
        try {
            List<TimedEvent> out = new ArrayList<>(events.size());
            TimedEvent e;
            while ((e = events.poll()) != null) {
                out.add(e);
            }
            return out;
        } finally {
            lock.unlock();
        }
    }
}
