package io.nettyvirtual.bench;

/**
 * The suite's goals (issues 4 and 18), in one place. A ratio's goal holds against every real comparator; the
 * report prints the absolute figures beside it, since a ratio moves with the machine's real side.
 */
final class Goals {
    /** Issue 18, decision 1: the flood at 64 B (shared buffers), against NIO loopback. */
    static final Goal FLOOD_64_NIO = Goal.atLeast("flood 64 B shared, virtual / NIO loopback", 10, "x");
    /** The same against the fastest epoll variant measured. */
    static final Goal FLOOD_64_EPOLL = Goal.atLeast("flood 64 B shared, virtual / fastest epoll", 10, "x");
    /** Issue 18, decision 1: the flood at 8 KB judged on own buffers (a new buffer per datagram, as codecs write). */
    static final Goal FLOOD_8K_NIO = Goal.atLeast("flood 8 KB own, virtual / NIO loopback", 10, "x");
    /** The same against the fastest epoll variant measured. */
    static final Goal FLOOD_8K_EPOLL = Goal.atLeast("flood 8 KB own, virtual / fastest epoll", 10, "x");
    /** Issue 18, decision 3: the simulation's event queue at 100,000 pending (the schedule row is information). */
    static final Goal QUEUE_100K = Goal.atLeast("timer events/s, 100,000 pending (simulation event queue)", 5, " M/s");
    /** Issue 4: a saturating flow at 10 Mbit/s, virtual seconds per wall second. */
    static final Goal VIRTUAL_TIME_10M = Goal.atLeast("virtual s per wall s at 10 Mbit/s", 500, "");
    /** Issue 4: 100,000 channels on one switch under 1 GiB of heap. */
    static final Goal SCALE_100K = Goal.under("100,000 channels, heap after setup and traffic", 1, " GiB");
    /** Issue 18, decision 2: QUIC 10 MiB at steady state against the same transfer on the wall clock. */
    static final Goal QUIC_STEADY =
            Goal.atLeast("QUIC 10 MiB exact wire, steady state: real-time run / virtual", 60, "x");
    /** Issue 18, decision 2: the same on the first run in a fresh JVM. */
    static final Goal QUIC_FIRST = Goal.atLeast("QUIC 10 MiB exact wire, first run: real-time run / virtual", 25, "x");
    /** Issue 18, the first run: the paced flow's first run against ns-3's run of the same scenario. */
    static final Goal PACED_FIRST_NS3 = Goal.atLeast("paced flow 60 s, first run: ns-3 run / virtual", 2, "x");

    private Goals() {}
}
