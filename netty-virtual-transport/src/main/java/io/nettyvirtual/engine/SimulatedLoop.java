package io.nettyvirtual.engine;

/**
 * An event loop that a {@link Simulation} drives: the contract between the clock and the transport's event loops.
 * Implemented by the transport; users do not implement it.
 */
public interface SimulatedLoop {
    /** Runs ready I/O and tasks without blocking, on the owning thread; returns how many ran. */
    int runReady();

    /** The deadline of the next scheduled task, or -1; called on the owning thread. */
    long nextDeadline();

    /** Stops the loop now: pending tasks run, then it terminates. */
    void stop();

    /** Whether the loop has terminated. */
    boolean isTerminated();

    /**
     * Queues {@code task} to run on the loop's own thread, after the tasks already queued.
     *
     * @throws java.util.concurrent.RejectedExecutionException if the loop has shut down
     */
    void execute(Runnable task);
}
