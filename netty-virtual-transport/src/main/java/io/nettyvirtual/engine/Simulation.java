package io.nettyvirtual.engine;

import io.netty.util.concurrent.BlockingOperationException;
import io.netty.util.concurrent.Future;
import io.nettyvirtual.time.TimeMode;
import io.nettyvirtual.time.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The engine under a virtual network: its clock, its one seeded random source, its schedule of network events, the
 * lock that guards the network's state and the event loops it drives. Users reach it through {@code VirtualNetwork};
 * network elements and event loops use the rest of this class. How time moves is its {@link Driver}'s business: one
 * per {@link TimeMode} ({@link DeterministicDriver}, {@link ClockThreadDriver}).
 *
 * <p><b>Rules.</b> Network events fire with {@link #lock()} held, in (deadline, scheduling order). In
 * {@link TimeMode#DETERMINISTIC} mode only the thread that built the simulation may drive it, and the clock moves
 * only inside {@code run*} calls. In {@link TimeMode#THREADED} mode a clock thread moves time when every loop is
 * idle, nothing is due and no watched thread is running. In {@link TimeMode#REAL_TIME} mode the clock thread fires
 * network events on the wall clock.
 */
public final class Simulation {
    // Over 400 lines because this is the engine's one public door (the network, the channel package and the QUIC
    // module call it): most of it is that API and its Javadoc; the mechanics of each time mode are in the drivers.

    /** The default virtual-time limit of {@link #runUntil(Future)}: one hour. */
    public static final Duration DEFAULT_RUN_UNTIL_LIMIT = Duration.ofHours(1);

    final ReentrantLock lock = new ReentrantLock();
    /** Signalled (with the lock held) whenever a waiting run should look again. */
    final Condition progress = lock.newCondition();

    final EventQueue events = new EventQueue();
    /** Registered loops in registration order (the deterministic driver's round-robin order); locked. */
    final List<LoopRegistration> loops = new ArrayList<>();

    private final TimeMode mode;
    private final long seed;
    private final SplittableRandom random;
    private final SimulationClock clock;
    private final List<Runnable> threadInitializers = new CopyOnWriteArrayList<>();
    private final List<Runnable> closeHooks = new CopyOnWriteArrayList<>();
    private final Thread driverThread;
    private final Driver driver;
    private volatile long runUntilLimitNanos = DEFAULT_RUN_UNTIL_LIMIT.toNanos();
    private volatile boolean closed;

    /**
     * Creates a simulation; the calling thread is its driving thread.
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
        this.clock = new SimulationClock(this, mode == TimeMode.REAL_TIME);
        this.driverThread = Thread.currentThread();
        if (mode == TimeMode.DETERMINISTIC) {
            this.driver = new DeterministicDriver(this, driverThread);
        } else {
            ClockThreadDriver d = new ClockThreadDriver(this, mode == TimeMode.REAL_TIME);
            this.driver = d;
            d.start();
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

    /** The simulation's clock, as the engine's drivers move it. */
    SimulationClock simulationClock() {
        return clock;
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
        if (driver instanceof ClockThreadDriver) {
            ((ClockThreadDriver) driver).watch(thread);
        }
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
        for (LoopRegistration r : loopsSnapshot()) {
            try {
                r.loop.execute(initializer);
            } catch (RejectedExecutionException ignored) {
                // shut down: it runs no more simulation work
            }
        }
    }

    /**
     * Runs {@code hook} when the simulation closes, on the closing thread, before the loops are stopped: the way
     * whoever made loops on this simulation (an event loop group) shuts them down without the engine knowing them.
     */
    public void addCloseHook(Runnable hook) {
        if (hook == null) {
            throw new NullPointerException("hook");
        }
        closeHooks.add(hook);
    }

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
        driver.eventScheduled(event);
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
            driver.loopRegistered(r);
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
                driver.loopExited(r);
            }
        } finally {
            lock.unlock();
        }
    }

    void park(LoopRegistration r, long deadline) {
        driver.park(r, deadline);
    }

    void wakeup(LoopRegistration r) {
        driver.wakeup(r);
    }

    /**
     * Runs the simulation until {@code future} completes and returns it, for at most the run-until limit of virtual
     * time ({@link #runUntilLimit(Duration)}, {@link #DEFAULT_RUN_UNTIL_LIMIT} unless changed). Deterministic mode:
     * runs on this thread and fails if the simulation goes idle first. It fails at once, unless a thread other than
     * the driving one has handed work to the simulation before (a task, an event or a wake-up): then it waits up to
     * 500 ms of wall time for more, since that thread may complete the future. Threaded and real-time modes: waits
     * for the future while the loops run.
     *
     * @throws IllegalStateException naming the time and the seed, if the simulation goes idle or reaches the limit
     *         before the future completes
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
        long deadline = saturatedAdd(clock.nanoTime(), checkDuration(limit, "limit"));
        if (!future.isDone()) {
            future.addListener(f -> signalProgress());
        }
        if (!run(future::isDone, deadline, true)) {
            if (deadline != Long.MAX_VALUE && clock.nanoTime() >= deadline) {
                throw new IllegalStateException(future + " did not complete within the run-until limit of "
                        + limit + " of virtual time: stopped at " + clock.millis() + " ms virtual (seed " + seed
                        + "); something keeps the simulation busy (a periodic timer?) without completing it");
            }
            throw new IllegalStateException("simulation went idle at " + clock.millis() + " ms virtual (seed " + seed
                    + ") before " + future + " completed: nothing is scheduled that could complete it");
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

    /** The virtual-time limit of {@link #runUntil(Future)}. */
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
        if (driver.inStep()) {
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
            run(future::isDone, saturatedAdd(clock.nanoTime(), Math.max(0, timeoutNanos)), false);
        }
        return true;
    }

    /**
     * Runs the simulation until {@code condition} holds or it goes idle; returns whether the condition holds.
     */
    public boolean runUntil(BooleanSupplier condition) {
        return run(condition, Long.MAX_VALUE, false);
    }

    /**
     * Runs the simulation until {@code condition} holds, waiting at most {@code timeout} of simulation time; returns
     * whether it holds.
     */
    public boolean runUntil(BooleanSupplier condition, Duration timeout) {
        return run(condition, saturatedAdd(clock.nanoTime(), checkDuration(timeout, "timeout")), false);
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
        run(() -> false, target, false);
    }

    /**
     * Runs the simulation until nothing is runnable or scheduled (in threaded mode: until every loop is idle with
     * nothing scheduled).
     */
    public void runUntilIdle() {
        run(() -> false, Long.MAX_VALUE, false);
    }

    private boolean run(BooleanSupplier condition, long deadline, boolean forFuture) {
        checkOpen();
        return driver.run(condition, deadline, forFuture);
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

    private void signalProgress() {
        lock.lock();
        try {
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void sleep(long nanos) throws InterruptedException {
        if (nanos > 0) {
            driver.sleep(nanos);
        }
    }

    /**
     * Stops every loop and the clock thread, and drops the network events still scheduled (they are owned by their
     * elements: nothing to release). Deterministic mode: must be called by the driving thread, outside the
     * simulation, which runs the loops until they terminate. Returns at once if already closed; a close whose loops
     * did not terminate is tried again by the next call.
     *
     * @throws IllegalStateException if called from a thread that may not close it, see {@link #checkCanClose()}
     * @throws TimeoutException if loops did not terminate
     */
    public void close() throws TimeoutException {
        checkCanClose();
        List<LoopRegistration> snapshot = loopsSnapshot();
        if (closed && snapshot.isEmpty()) {
            return;
        }
        for (Runnable hook : closeHooks) {
            hook.run();
        }
        for (LoopRegistration r : snapshot) {
            r.loop.stop();
        }
        driver.runDown(snapshot);
        lock.lock();
        try {
            closed = true;
            driver.closed();
            while (events.poll() != null) {
                // dropped, not fired
            }
        } finally {
            lock.unlock();
        }
        if (!Driver.allTerminated(snapshot)) {
            throw new TimeoutException("event loops did not terminate: " + snapshot.size());
        }
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
        if (driver.inStep()) {
            throw new IllegalStateException("close() called from inside the simulation (a handler or task, seed " + seed
                    + "): close the network after the run* call returns; nothing was closed");
        }
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return closed;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("simulation (seed " + seed + ") is closed");
        }
    }

    private List<LoopRegistration> loopsSnapshot() {
        lock.lock();
        try {
            return new ArrayList<>(loops);
        } finally {
            lock.unlock();
        }
    }
}
