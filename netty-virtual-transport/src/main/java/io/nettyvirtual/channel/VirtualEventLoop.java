package io.nettyvirtual.channel;

import io.netty.channel.ManualIoEventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ProgressivePromise;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.Ticker;
import io.netty.util.internal.ThreadExecutorMap;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.engine.LoopRegistration;
import io.nettyvirtual.engine.SimulatedLoop;
import io.nettyvirtual.engine.TimerWheel;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One event loop of a {@link VirtualEventLoopGroup}: Netty's {@link ManualIoEventLoop} with the simulation's clock
 * as its ticker, so every task scheduled on it runs in simulation time. Driven by the simulation: by the driving
 * thread in deterministic mode, by a thread of its own otherwise.
 *
 * <p>{@code schedule*} does not use Netty's scheduled-task queue: a task becomes a {@link VirtualScheduledFuture}
 * (timer and future in one object, its promise created only if someone listens or waits) in the loop's own
 * {@link TimerWheel}, a radix timer wheel that only the loop's thread touches; other threads hand schedules and
 * cancellations over through the task queue, as Netty does. Where Netty fetches due scheduled tasks into the task
 * queue, this loop queues one task that runs the timers due at that moment in (deadline, scheduling order), so
 * timers and {@code execute}d tasks interleave as they do on Netty's loops; when the task queue is empty it runs
 * them at once, which is the same order without a trip through the queue. One difference from Netty: a periodic
 * task's next run is ordered among tasks due at the same instant by when it was re-armed (at the end of its
 * previous run), where Netty keeps the place of its first scheduling.
 *
 * <p>Its own graceful shutdown ({@code loop.shutdownGracefully()}, where the group's waits in the simulation and then
 * stops the loop) passes its quiet period in simulation time, and waits on its termination future drive a
 * deterministic network, see {@link GracefulShutdown}.
 */
final class VirtualEventLoop extends ManualIoEventLoop implements SimulatedLoop {
    private static final Runnable NO_OP = () -> {};

    private final VirtualNetwork network;
    final LoopRegistration registration;
    VirtualIoHandler ioHandler; // set by the handler's constructor, during super(...)
    /** This loop's timers; touched only on the loop's thread. */
    final TimerWheel<VirtualScheduledFuture<?>> timers = new TimerWheel<>();

    private final Ticker clock;
    private final Runnable runDueTimers = this::runDueTimers;
    private boolean dueTimersQueued;
    /** The loop's task queue, as Netty hands it to {@link #fetchFromScheduledTaskQueue}; null until then. */
    private Queue<Runnable> taskQueue;

    private boolean noFetch;
    private long dueAt;
    private final java.util.concurrent.atomic.AtomicBoolean terminationReported =
            new java.util.concurrent.atomic.AtomicBoolean();
    /** Whether Netty's shutdown step has run once (closed the channels, cancelled the timers); the loop's thread. */
    private boolean shutdownBegun;

    VirtualEventLoop(VirtualEventLoopGroup parent, Thread owner, VirtualNetwork network) {
        super(parent, owner, VirtualIoHandler.factory(), network.clock());
        this.network = network;
        this.clock = network.clock();
        GracefulShutdown.replaceTerminationFuture(this, network.simulation());
        this.registration = network.simulation().register(this);
    }

    VirtualNetwork network() {
        return network;
    }

    /**
     * Runs ready tasks and due timers. A loop that is not shutting down has no I/O to poll (its I/O handler only
     * waits), so this runs just the task queue, which costs a few loads when it is empty.
     */
    @Override
    public int runReady() {
        if (isShuttingDown()) {
            return runShuttingDown();
        }
        Queue<Runnable> queue = taskQueue;
        if (queue != null && queue.isEmpty()) {
            long now = clock.nanoTime();
            if (!timers.hasDue(now)) {
                return 0; // what runNonBlockingTasks would find: nothing (the common second look of a step)
            }
            // What runNow() would do, without passing through the task queue: fetch the due timers into the
            // empty queue, run them, then the tasks they queued (without fetching timers again, as Netty
            // fetches once per run: timers they schedule for now wait for the next run).
            timers.markDue();
            int ran;
            EventExecutor old = ThreadExecutorMap.setCurrentExecutor(this);
            try {
                ran = fireMarked(now);
            } finally {
                ThreadExecutorMap.setCurrentExecutor(old);
            }
            if (queue.isEmpty()) {
                return ran;
            }
            noFetch = true;
            try {
                return ran + runNonBlockingTasks(0);
            } finally {
                noFetch = false;
            }
        }
        return runNonBlockingTasks(0);
    }

    /**
     * Runs a loop that is shutting down. Netty's shutdown step ({@code runNow()}) closes the channels and cancels
     * the timers the first time; in a graceful shutdown's quiet period, where it would sleep 100 ms of wall time,
     * only the tasks run (which extends the quiet period, as in Netty), until the step can terminate the loop.
     */
    private int runShuttingDown() {
        int ran;
        if (!shutdownBegun
                || isShutdown()
                || !GracefulShutdown.REACHABLE
                || GracefulShutdown.deadline(this) <= clock.nanoTime()) {
            ran = runNow();
        } else {
            ran = runNonBlockingTasks(0);
        }
        reportTermination();
        return ran;
    }

    /**
     * One turn of a loop that has a thread of its own (the threaded modes): Netty's {@code run}, except in a graceful
     * shutdown's quiet period, where the thread parks (letting the clock move) until the next task or the instant
     * the shutdown can end, instead of Netty's sleeps of wall time while the clock stands still.
     */
    void runOnItsThread() {
        if (!isShuttingDown() || !GracefulShutdown.REACHABLE) {
            run(0);
        } else if (runShuttingDown() == 0 && !isTerminated()) {
            registration.park(nextDeadline());
        }
    }

    /**
     * Called by the I/O handler in each of Netty's shutdown steps, before Netty looks for tasks to decide whether
     * the quiet period goes on. The first time, in a graceful shutdown, it queues a no-op: the task Netty finds there
     * stands for the shutdown's own (Netty would otherwise sleep 100 ms of wall time) and starts the quiet period.
     */
    void preparingToDestroy() {
        if (shutdownBegun) {
            return;
        }
        shutdownBegun = true;
        if (!isShutdown() && GracefulShutdown.REACHABLE) {
            GracefulShutdown.begin(this, clock.nanoTime());
            execute(NO_OP);
        }
    }

    /**
     * Tells the group, once, that the loop has terminated. Called on the loop's thread as soon as it terminates, so
     * that the group's termination future completes on the thread that drives a deterministic network rather than
     * later on Netty's global executor (which a run would have to wait for); also by the loop's termination future.
     */
    void reportTermination() {
        if (isTerminated() && terminationReported.compareAndSet(false, true)) {
            ((VirtualEventLoopGroup) parent()).loopTerminated();
        }
    }

    /** A promise that a wait on from the driving thread of a deterministic network drives, see {@link DrivingWait}. */
    @Override
    public <V> Promise<V> newPromise() {
        return new VirtualPromise<>(this, network.simulation());
    }

    @Override
    public <V> ProgressivePromise<V> newProgressivePromise() {
        return new VirtualProgressivePromise<>(this, network.simulation());
    }

    @Override
    public Future<?> submit(Runnable task) {
        return submit(task, null);
    }

    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        Objects.requireNonNull(task, "task");
        return submitTask(
                new VirtualTask<>(this, network.simulation(), java.util.concurrent.Executors.callable(task, result)));
    }

    @Override
    public <T> Future<T> submit(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        return submitTask(new VirtualTask<>(this, network.simulation(), task));
    }

    private <T> Future<T> submitTask(VirtualTask<T> task) {
        execute(task);
        return task;
    }

    @Override
    public long nextDeadline() { // on the loop's thread
        long next = timers.nextDeadline();
        if (shutdownBegun && !isShutdown() && !isTerminated() && GracefulShutdown.REACHABLE) {
            long end = GracefulShutdown.deadline(this);
            return next == -1 ? end : Math.min(next, end);
        }
        return next;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(unit, "unit");
        return schedule(new VirtualScheduledFuture<Void>(this, command, false, deadline(delay, unit), 0));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        Objects.requireNonNull(callable, "callable");
        Objects.requireNonNull(unit, "unit");
        return schedule(new VirtualScheduledFuture<V>(this, callable, true, deadline(delay, unit), 0));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return schedulePeriodic(command, initialDelay, "period", period, unit, 1);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return schedulePeriodic(command, initialDelay, "delay", delay, unit, -1);
    }

    /** A periodic timer: {@code sign} 1 for a fixed rate, -1 for a fixed delay (the future's period encoding). */
    private ScheduledFuture<?> schedulePeriodic(
            Runnable command, long initialDelay, String name, long period, TimeUnit unit, int sign) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(unit, "unit");
        if (initialDelay < 0) {
            throw new IllegalArgumentException(String.format("initialDelay: %d (expected: >= 0)", initialDelay));
        }
        if (period <= 0) {
            throw new IllegalArgumentException(String.format("%s: %d (expected: > 0)", name, period));
        }
        return schedule(new VirtualScheduledFuture<Void>(
                this, command, false, deadline(initialDelay, unit), sign * unit.toNanos(period)));
    }

    /** Now plus {@code delay} (negative counts as 0), saturated short of {@code Long.MAX_VALUE}. */
    private long deadline(long delay, TimeUnit unit) {
        long d = clock.nanoTime() + unit.toNanos(Math.max(0, delay));
        return d < 0 || d == Long.MAX_VALUE ? Long.MAX_VALUE - 1 : d;
    }

    private <V> ScheduledFuture<V> schedule(VirtualScheduledFuture<V> f) {
        if (inEventLoop()) {
            f.arm();
        } else {
            execute(f::handOver);
        }
        return f;
    }

    /** From another thread: drops a cancelled timer on the loop (if the loop is gone, so are its timers). */
    void removeLater(VirtualScheduledFuture<?> f) {
        try {
            execute(f::removeCancelled);
        } catch (RejectedExecutionException ignored) {
            // terminated: nothing left to remove it from
        }
    }

    /**
     * Called where Netty moves due scheduled tasks into the task queue (at the start of each run of the queue):
     * queues one task that runs the timers due now, behind the tasks already queued.
     */
    @Override
    protected boolean fetchFromScheduledTaskQueue(Queue<Runnable> taskQueue) {
        super.fetchFromScheduledTaskQueue(taskQueue); // Netty's own queue stays empty: nothing schedules there
        if (this.taskQueue != taskQueue) {
            this.taskQueue = taskQueue; // once: a reference store costs a GC barrier
        }
        long now = clock.nanoTime();
        if (!noFetch && timers.hasDue(now)) {
            timers.markDue();
            dueAt = now;
            if (!dueTimersQueued) {
                dueTimersQueued = true;
                taskQueue.offer(runDueTimers);
            }
        }
        return true;
    }

    private void runDueTimers() {
        dueTimersQueued = false;
        fireMarked(dueAt);
    }

    /** Runs the timers marked due at {@code now}, in order; returns how many ran. */
    private int fireMarked(long now) {
        int ran = 0;
        Object task;
        while ((task = timers.markedDueTask(now)) != null) {
            timers.poll().fire(task);
            ran++;
        }
        return ran;
    }

    @Override
    protected boolean canBlock() {
        return !timers.hasDue(clock.nanoTime());
    }

    @Override
    protected long delayNanos(long currentTimeNanos, long scheduledPurgeInterval) {
        long next = timers.nextDeadline();
        return next == -1 ? scheduledPurgeInterval : Math.max(0, next - currentTimeNanos);
    }

    @Override
    protected void cancelScheduledTasks() {
        VirtualScheduledFuture<?> f;
        while ((f = timers.poll()) != null) {
            f.cancelWithoutRemove();
        }
        super.cancelScheduledTasks();
    }

    /**
     * Closes this loop's channels, lets what their closing set in motion run, then shuts the loop down without a
     * quiet period (the quiet period of {@link VirtualEventLoopGroup#shutdownGracefully} is waited in simulation
     * time before this is called).
     *
     * <p>Closing a channel queues tasks on its loop (channelInactive, deregistration) and handlers queue more: the
     * QUIC codec closes its connections and their streams from there. Once {@code shutdown()} is called the loop
     * refuses every new task, so they run first. Netty's graceful shutdown would run them too, but it waits for a
     * quiet period on the loop's clock, which does not move while a deterministic simulation is closing.
     */
    @SuppressWarnings("deprecation")
    @Override
    public void stop() {
        if (isShuttingDown()) {
            cutQuietPeriod();
            return;
        }
        if (inEventLoop()) {
            ioHandler.closeAll();
            while (runNonBlockingTasks(0) > 0) {
                // tasks queued by the closes, and the tasks those queue
            }
            shutdown();
        } else {
            try {
                execute(this::stop);
            } catch (RejectedExecutionException ignored) {
                // already terminated
            }
        }
    }

    /**
     * Ends the quiet period of a graceful shutdown of this loop alone (the network is closing): Netty's next
     * shutdown step then terminates the loop, as {@code shutdown()} would have if the shutdown were not graceful.
     */
    private void cutQuietPeriod() {
        if (!GracefulShutdown.REACHABLE || isShutdown()) {
            return;
        }
        if (inEventLoop()) {
            GracefulShutdown.endQuietPeriod(this);
        } else {
            try {
                execute(this::cutQuietPeriod);
            } catch (RejectedExecutionException ignored) {
                // terminated meanwhile
            }
        }
    }
}
