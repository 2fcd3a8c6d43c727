package io.nettyvirtual.channel;

import io.netty.util.concurrent.DefaultPromise;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.internal.PlatformDependent;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A task scheduled on a {@link VirtualEventLoop}: the timer in the loop's {@link io.nettyvirtual.engine.TimerWheel}
 * and the {@link ScheduledFuture} returned to the caller, in one object.
 *
 * <p>Netty's {@code ScheduledFutureTask} is a full {@code DefaultPromise}; most timers (idle and retransmission
 * timeouts) are never listened to or waited on, only cancelled or left to run. This one keeps its state in one
 * field and creates a {@link DefaultPromise} only when someone adds a listener or blocks on it; from then on the
 * promise mirrors the state (whichever of completing and creating comes second completes the promise). Listeners
 * are called with this future, on the loop, as Netty calls them.
 *
 * <p>The task runs on the loop's thread; {@link #cancel} works from any thread.
 */
final class VirtualScheduledFuture<V> implements ScheduledFuture<V> {
    // Over 400 lines because Netty's ScheduledFuture (a Future, a Delayed, listeners, sync and await) is most of
    // it, each method delegating to the lazy promise; the timer itself is the first third.

    private static final int PENDING = 0;
    /** A one-shot task that has started: no longer cancellable. */
    private static final int RUNNING = 1;

    private static final int SUCCESS = 2;
    private static final int FAILED = 3;
    private static final int CANCELLED = 4;
    /** The period of a one-shot {@link Callable} (fixed delays are {@code -delay}, never this). */
    private static final long CALLABLE = Long.MIN_VALUE;

    private static final VarHandle STATE;
    private static final VarHandle PROMISE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(VirtualScheduledFuture.class, "state", int.class);
            PROMISE = l.findVarHandle(VirtualScheduledFuture.class, "promise", Promise.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final VirtualEventLoop loop;
    /**
     * The task (a {@link Runnable}, or a {@link Callable} if {@code period == CALLABLE}) until it completes; then
     * the value (SUCCESS) or the cause (FAILED), written before {@link #state}. One field for both keeps the
     * object at 48 bytes: with 100,000 timers pending, every byte of a timer is memory traffic.
     */
    private Object task;
    /** 0: once; {@link #CALLABLE}: once, a callable; > 0: at a fixed rate; < 0: with a fixed delay of -period. */
    private final long period;
    /** The deadline it was scheduled for (kept after it ran, for {@link #getDelay}). */
    private long at;

    private volatile int state;
    private volatile Promise<V> promise;
    /** Its handle in the loop's timers while scheduled (or since it last was), else -1; loop thread only. */
    int handle = -1;

    VirtualScheduledFuture(VirtualEventLoop loop, Object task, boolean callable, long deadline, long period) {
        this.loop = loop;
        this.task = task;
        this.at = deadline;
        this.period = callable ? CALLABLE : period;
    }

    /** On the loop: puts this timer in the loop's timers at {@link #at}. */
    void arm() {
        handle = loop.timers.add(this, task, at);
    }

    /** Adds this timer to the loop's timers (on the loop), or runs it now if it is due (handed over late). */
    void handOver() {
        if (state == CANCELLED) {
            return;
        }
        if (at - loop.ticker().nanoTime() <= 0) {
            fire(task); // as Netty runs a task handed over past its deadline at once
        } else {
            arm();
        }
    }

    /**
     * Runs the task; called by the loop when the timer is due. Never throws: a failure fails the future.
     *
     * <p>A one-shot task completes with a release store, not a fenced one, and then reads the promise field. That
     * read may see the field as it was before the store, but not as it was before the compare-and-set that started
     * the task: a thread that set the promise later finds the task running and waits for its outcome itself (see
     * {@link #promise()}); one that set it earlier is seen here.
     */
    void fire(Object task) {
        // Load the task's class before the compare-and-set (which waits for every load before it): with many
        // timers pending, this timer and its task are both cache misses, now taken together.
        Runnable runnable = period == CALLABLE ? null : (Runnable) task;
        if (period == 0 || period == CALLABLE) {
            if (!STATE.compareAndSet(this, PENDING, RUNNING)) {
                return; // cancelled
            }
            Object result;
            int end;
            try {
                result = runnable != null ? runTask(runnable) : runTask(task);
                end = SUCCESS;
            } catch (Throwable t) {
                result = t;
                end = FAILED;
            }
            this.task = result;
            STATE.setRelease(this, end);
            Promise<V> p = promise;
            if (p != null) {
                mirror(p);
            }
            return;
        }
        if (state != PENDING) {
            return;
        }
        try {
            if (runnable != null) {
                runnable.run();
            } else {
                runTask(task);
            }
        } catch (Throwable t) {
            this.task = t; // the periodic task ends here, failed or (if cancelled meanwhile) cancelled
            if (STATE.compareAndSet(this, PENDING, FAILED)) {
                notifyPromise();
            }
            return;
        }
        if (!loop.isShutdown()) {
            long next = period > 0 ? at + period : loop.ticker().nanoTime() - period;
            if (next < 0 || next >= Long.MAX_VALUE - 1) {
                return; // the next run would be past the end of the clock: it never comes
            }
            at = next;
            if (state == PENDING) {
                arm();
            }
        }
    }

    private static Object runTask(Runnable task) {
        task.run();
        return null;
    }

    private static Object runTask(Object callable) throws Exception {
        return ((Callable<?>) callable).call();
    }

    /** Cancels without removing (the loop clears its timers itself); used when the loop shuts down. */
    void cancelWithoutRemove() {
        if (STATE.compareAndSet(this, PENDING, CANCELLED)) {
            task = null;
            notifyPromise();
        }
    }

    private void notifyPromise() {
        Promise<V> p = promise; // read after the compare-and-set of state: see promise()
        if (p != null) {
            mirror(p);
        }
    }

    /**
     * The promise that listeners and waiters use, created on first use. Every change of state but the end of a
     * one-shot task is a compare-and-set followed by a read of the promise field, and the promise field is set
     * by a compare-and-set before the state is read here, so at least one of the two threads sees both and
     * completes the promise (both may: completing is idempotent). The end of a one-shot task is a release store:
     * a thread that finds the task running waits for its end (the loop read the promise field before it started
     * the task, possibly before this thread set it).
     */
    private Promise<V> promise() {
        Promise<V> p = promise;
        if (p == null) {
            p = new Lazy<>(loop);
            if (!PROMISE.compareAndSet(this, null, p)) {
                p = promise;
            }
        }
        if (state == RUNNING && !loop.inEventLoop()) {
            // The task started before the promise existed (or the loop may not have seen it), and its end is
            // published without a fence: wait for it here, it is running now. On the loop itself (the task asking
            // for its own promise) the loop reads the promise again once the task returns.
            int spins = 0;
            while (state == RUNNING) {
                if (++spins < 100) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        }
        mirror(p);
        return p;
    }

    @SuppressWarnings("unchecked")
    private void mirror(Promise<V> p) {
        switch (state) {
            case SUCCESS:
                p.trySuccess((V) task);
                break;
            case FAILED:
                p.tryFailure((Throwable) task);
                break;
            case CANCELLED:
                p.cancel(false);
                break;
            default:
                break;
        }
    }

    /** The promise, with the relays handed to it per listener, so that removing a listener finds its relay. */
    private static final class Lazy<V> extends VirtualPromise<V> {
        List<Relay<V>> relays;

        Lazy(VirtualEventLoop loop) {
            super(loop, loop.network().simulation());
        }
    }

    /** Calls a listener with the scheduled future, as Netty does, rather than with the promise behind it. */
    private static final class Relay<V> implements GenericFutureListener<Future<V>> {
        final VirtualScheduledFuture<V> future;
        final GenericFutureListener<? extends Future<? super V>> listener;

        Relay(VirtualScheduledFuture<V> future, GenericFutureListener<? extends Future<? super V>> listener) {
            this.future = future;
            this.listener = listener;
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        @Override
        public void operationComplete(Future<V> ignored) throws Exception {
            ((GenericFutureListener) listener).operationComplete(future);
        }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (!STATE.compareAndSet(this, PENDING, CANCELLED)) {
            return false;
        }
        task = null;
        notifyPromise();
        if (loop.inEventLoop()) {
            removeCancelled();
        } else {
            loop.removeLater(this);
        }
        return true;
    }

    /** On the loop: drops this cancelled timer from the loop's timers. */
    void removeCancelled() {
        if (loop.timers.remove(handle, this)) {
            handle = -1;
        }
    }

    @Override
    public boolean isCancelled() {
        return state == CANCELLED;
    }

    @Override
    public boolean isDone() {
        return state >= SUCCESS;
    }

    @Override
    public boolean isSuccess() {
        return state == SUCCESS;
    }

    @Override
    public boolean isCancellable() {
        return state == PENDING;
    }

    @Override
    public Throwable cause() {
        switch (state) {
            case FAILED:
                return (Throwable) task;
            case CANCELLED:
                return new CancellationException();
            default:
                return null;
        }
    }

    @SuppressWarnings("unchecked")
    @Override
    public V getNow() {
        return state == SUCCESS ? (V) task : null;
    }

    @Override
    public long getDelay(TimeUnit unit) {
        return unit.convert(Math.max(0, at - loop.ticker().nanoTime()), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed o) {
        if (this == o) {
            return 0;
        }
        if (o instanceof VirtualScheduledFuture) {
            long d = at - ((VirtualScheduledFuture<?>) o).at;
            return d < 0 ? -1 : d > 0 ? 1 : Integer.compare(System.identityHashCode(this), System.identityHashCode(o));
        }
        return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public Future<V> addListener(GenericFutureListener<? extends Future<? super V>> listener) {
        if (listener == null) {
            throw new NullPointerException("listener");
        }
        Relay<V> relay = new Relay<>(this, listener);
        Lazy<V> p = (Lazy<V>) promise();
        synchronized (p) {
            if (p.relays == null) {
                p.relays = new ArrayList<>(2);
            }
            p.relays.add(relay);
        }
        p.addListener(relay);
        return this;
    }

    @SafeVarargs
    @Override
    public final Future<V> addListeners(GenericFutureListener<? extends Future<? super V>>... listeners) {
        for (GenericFutureListener<? extends Future<? super V>> l : listeners) {
            if (l == null) {
                break;
            }
            addListener(l);
        }
        return this;
    }

    @Override
    public Future<V> removeListener(GenericFutureListener<? extends Future<? super V>> listener) {
        if (listener == null) {
            throw new NullPointerException("listener");
        }
        Lazy<V> p = (Lazy<V>) promise;
        if (p == null) {
            return this; // never added
        }
        Relay<V> relay = null;
        synchronized (p) {
            if (p.relays != null) {
                for (int i = 0; i < p.relays.size(); i++) {
                    if (p.relays.get(i).listener == listener) {
                        relay = p.relays.remove(i);
                        break;
                    }
                }
            }
        }
        if (relay != null) {
            p.removeListener(relay);
        }
        return this;
    }

    @SafeVarargs
    @Override
    public final Future<V> removeListeners(GenericFutureListener<? extends Future<? super V>>... listeners) {
        for (GenericFutureListener<? extends Future<? super V>> l : listeners) {
            if (l == null) {
                break;
            }
            removeListener(l);
        }
        return this;
    }

    @Override
    public Future<V> sync() throws InterruptedException {
        await();
        rethrowIfFailed();
        return this;
    }

    @Override
    public Future<V> syncUninterruptibly() {
        awaitUninterruptibly();
        rethrowIfFailed();
        return this;
    }

    private void rethrowIfFailed() {
        Throwable cause = cause();
        if (cause != null) {
            PlatformDependent.throwException(cause);
        }
    }

    @Override
    public Future<V> await() throws InterruptedException {
        if (!isDone()) {
            promise().await();
        }
        return this;
    }

    @Override
    public Future<V> awaitUninterruptibly() {
        if (!isDone()) {
            promise().awaitUninterruptibly();
        }
        return this;
    }

    @Override
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return isDone() || promise().await(timeout, unit);
    }

    @Override
    public boolean await(long timeoutMillis) throws InterruptedException {
        return isDone() || promise().await(timeoutMillis);
    }

    @Override
    public boolean awaitUninterruptibly(long timeout, TimeUnit unit) {
        return isDone() || promise().awaitUninterruptibly(timeout, unit);
    }

    @Override
    public boolean awaitUninterruptibly(long timeoutMillis) {
        return isDone() || promise().awaitUninterruptibly(timeoutMillis);
    }

    @Override
    public V get() throws InterruptedException, ExecutionException {
        await();
        return report();
    }

    @Override
    public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        if (!await(timeout, unit)) {
            throw new TimeoutException();
        }
        return report();
    }

    @SuppressWarnings("unchecked")
    private V report() throws ExecutionException {
        switch (state) {
            case SUCCESS:
                return (V) task;
            case CANCELLED:
                throw new CancellationException();
            default:
                throw new ExecutionException((Throwable) task);
        }
    }

    @Override
    public String toString() {
        String s;
        switch (state) {
            case PENDING:
                s = "pending";
                break;
            case RUNNING:
                s = "running";
                break;
            case SUCCESS:
                s = "success: " + task;
                break;
            case FAILED:
                s = "failure: " + task;
                break;
            default:
                s = "cancelled";
                break;
        }
        return "VirtualScheduledFuture@" + Integer.toHexString(hashCode()) + "(" + s + ", deadline: " + at
                + ", period: " + period + ")";
    }
}
