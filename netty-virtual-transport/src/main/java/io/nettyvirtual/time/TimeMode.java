package io.nettyvirtual.time;

/**
 * How a simulation's clock moves. Chosen once, when the network is built.
 */
public enum TimeMode {
    /**
     * One thread drives every event loop and the network. Virtual time jumps to the next due event whenever
     * nothing is runnable, and the same program with the same seed produces the same events in the same order.
     * Use {@code runUntil(future)}, {@code runFor(duration)} or {@code runUntilIdle()} to make progress; blocking
     * on a simulation future from the driving thread fails at once.
     */
    DETERMINISTIC,

    /**
     * Every event loop has a thread of its own, so unchanged bootstrap code ({@code bind(...).sync()}, latches,
     * {@code get()} with a timeout) works. Virtual time jumps ahead only when every loop is idle, no network event is
     * due, and every watched thread (by default the thread that built the network) is blocked or waiting: a test
     * thread that is busy between two steps holds the clock, so no timeout fires because the test thread was slow.
     * Event order across loops depends on thread scheduling, so runs are not replayable event for event.
     */
    THREADED,

    /**
     * The same topology and channels on the wall clock: delays and timers take real time. For code whose own clock
     * cannot follow a virtual one.
     */
    REAL_TIME
}
