package io.nettyvirtual.network.link;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * A rate limit that changes over time ({@link LinkConfig#rateTrace(RateTrace)}), as a list of (time, rate) pairs the
 * way Mahimahi replays recorded cellular traces: from each time on, the rate is the one given with it, until the next.
 * Times count from the moment the config holding the trace is first applied to the link (applying an equal one again
 * keeps the phase); with {@link #loop} the trace starts over, as Mahimahi loops its traces. A packet is serialized at
 * the rate in force when it starts serializing.
 * <pre>{@code
 * RateTrace t = RateTrace.of(10_000_000).then(Duration.ofSeconds(1), 2_000_000).loop(Duration.ofSeconds(3));
 * }</pre>
 */
public final class RateTrace {
    final long[] atNanos;
    /** Bytes per second from the matching time on. */
    final long[] bytesPerSecond;
    /** The loop period in ns, 0 for no loop (the last rate holds). */
    final long loopNanos;

    private RateTrace(long[] atNanos, long[] bytesPerSecond, long loopNanos) {
        this.atNanos = atNanos;
        this.bytesPerSecond = bytesPerSecond;
        this.loopNanos = loopNanos;
    }

    /** A trace that starts at {@code bitsPerSecond} (at least 8). */
    public static RateTrace of(long bitsPerSecond) {
        return new RateTrace(new long[] {0}, new long[] {bytes(bitsPerSecond, 0)}, 0);
    }

    /** This trace, then {@code bitsPerSecond} (at least 8) from {@code at} on, later than the last time given. */
    public RateTrace then(Duration at, long bitsPerSecond) {
        Objects.requireNonNull(at, "rateTrace at");
        int n = atNanos.length;
        if (at.compareTo(Duration.ofNanos(atNanos[n - 1])) <= 0 || at.compareTo(Duration.ofNanos(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("rateTrace at: " + at + " (expected later than "
                    + Duration.ofNanos(atNanos[n - 1]) + ", the previous time, and at most the clock's range)");
        }
        long[] t = Arrays.copyOf(atNanos, n + 1);
        long[] r = Arrays.copyOf(bytesPerSecond, n + 1);
        t[n] = at.toNanos();
        r[n] = bytes(bitsPerSecond, n);
        return new RateTrace(t, r, loopNanos);
    }

    /** This trace starting over every {@code period}, which must be later than its last time. */
    public RateTrace loop(Duration period) {
        Objects.requireNonNull(period, "rateTrace loop");
        if (period.compareTo(Duration.ofNanos(atNanos[atNanos.length - 1])) <= 0
                || period.compareTo(Duration.ofNanos(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("rateTrace loop: " + period + " (expected later than the last time "
                    + Duration.ofNanos(atNanos[atNanos.length - 1]) + ")");
        }
        return new RateTrace(atNanos, bytesPerSecond, period.toNanos());
    }

    private static long bytes(long bitsPerSecond, int index) {
        if (bitsPerSecond < 8) {
            throw new IllegalArgumentException(
                    "rateTrace bitsPerSecond[" + index + "]: " + bitsPerSecond + " (expected >= 8)");
        }
        return bitsPerSecond / 8;
    }

    /** The rate in bytes per second {@code elapsed} ns after the start. */
    long bytesPerSecondAt(long elapsed) {
        long t = loopNanos > 0 ? elapsed % loopNanos : elapsed;
        int i = Arrays.binarySearch(atNanos, t);
        return bytesPerSecond[i >= 0 ? i : -i - 2];
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RateTrace)) {
            return false;
        }
        RateTrace r = (RateTrace) o;
        return Arrays.equals(atNanos, r.atNanos)
                && Arrays.equals(bytesPerSecond, r.bytesPerSecond)
                && loopNanos == r.loopNanos;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(atNanos), Arrays.hashCode(bytesPerSecond), loopNanos);
    }

    @Override
    public String toString() {
        return "rateTrace " + atNanos.length + " steps" + (loopNanos > 0 ? " loop " + loopNanos / 1e6 + " ms" : "");
    }
}
