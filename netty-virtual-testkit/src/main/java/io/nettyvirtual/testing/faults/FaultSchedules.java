package io.nettyvirtual.testing.faults;

import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * jqwik {@link Arbitrary}s of {@link FaultSchedule}s, for property-based tests of code on a virtual network:
 *
 * <pre>{@code
 * @Property
 * void downloadCompletes(@ForAll("faults") FaultSchedule faults) {
 *     // build the network, faults.applyTo(net, wire), run, assert
 * }
 *
 * @Provide
 * Arbitrary<FaultSchedule> faults() {
 *     return FaultSchedules.schedules(Duration.ofSeconds(2));
 * }
 * }</pre>
 *
 * <p>Times are whole milliseconds within the horizon. jqwik shrinks a failing schedule to fewer faults, earlier
 * and shorter ones, lower loss and lower rates, keeping only what still fails, so the reported sample is the
 * smallest schedule that breaks the property.
 */
public final class FaultSchedules {
    /** The lowest rate {@link #schedules(Duration)} generates: 100 kbit/s. */
    public static final long DEFAULT_MIN_BITS_PER_SECOND = 100_000;
    /** The highest rate {@link #schedules(Duration)} generates: 100 Mbit/s. */
    public static final long DEFAULT_MAX_BITS_PER_SECOND = 100_000_000;
    /** The most faults {@link #schedules(Duration)} puts in one schedule. */
    public static final int DEFAULT_MAX_FAULTS = 8;

    private FaultSchedules() {}

    /** Schedules of up to {@value #DEFAULT_MAX_FAULTS} faults of any kind within {@code horizon}. */
    public static Arbitrary<FaultSchedule> schedules(Duration horizon) {
        return schedules(horizon, DEFAULT_MAX_FAULTS, DEFAULT_MIN_BITS_PER_SECOND, DEFAULT_MAX_BITS_PER_SECOND);
    }

    /**
     * Schedules of up to {@code maxFaults} loss bursts, flaps and rate changes (between {@code minBitsPerSecond}
     * and {@code maxBitsPerSecond}) within {@code horizon}.
     */
    public static Arbitrary<FaultSchedule> schedules(
            Duration horizon, int maxFaults, long minBitsPerSecond, long maxBitsPerSecond) {
        if (maxFaults < 0) {
            throw new IllegalArgumentException("maxFaults: " + maxFaults + " (expected >= 0)");
        }
        Arbitrary<FaultSchedule.Fault> any = Arbitraries.oneOf(
                flaps(horizon), lossBursts(horizon), rateChanges(horizon, minBitsPerSecond, maxBitsPerSecond));
        return any.list().ofMaxSize(maxFaults).map(FaultSchedule::of);
    }

    /** Loss bursts of any probability, starting and ending within {@code horizon}. */
    public static Arbitrary<FaultSchedule.Fault> lossBursts(Duration horizon) {
        long h = horizonMillis(horizon);
        return Combinators.combine(
                        Arbitraries.longs().between(0, h - 1),
                        Arbitraries.longs().between(1, h),
                        Arbitraries.doubles().between(0, 1).ofScale(2))
                .as((at, length, loss) -> new FaultSchedule.LossBurst(
                        Duration.ofMillis(at), Duration.ofMillis(Math.min(length, h - at)), loss));
    }

    /** Flaps (the link down) starting and ending within {@code horizon}. */
    public static Arbitrary<FaultSchedule.Fault> flaps(Duration horizon) {
        long h = horizonMillis(horizon);
        return Combinators.combine(
                        Arbitraries.longs().between(0, h - 1),
                        Arbitraries.longs().between(1, h))
                .as((at, length) ->
                        new FaultSchedule.Flap(Duration.ofMillis(at), Duration.ofMillis(Math.min(length, h - at))));
    }

    /** Rate changes within {@code horizon} to rates between the two bounds (bits per second, at least 8). */
    public static Arbitrary<FaultSchedule.Fault> rateChanges(
            Duration horizon, long minBitsPerSecond, long maxBitsPerSecond) {
        long h = horizonMillis(horizon);
        if (minBitsPerSecond < 8 || maxBitsPerSecond < minBitsPerSecond) {
            throw new IllegalArgumentException(
                    "rates: " + minBitsPerSecond + ".." + maxBitsPerSecond + " bit/s (expected 8 <= min <= max)");
        }
        return Combinators.combine(
                        Arbitraries.longs().between(0, h - 1),
                        Arbitraries.longs().between(minBitsPerSecond, maxBitsPerSecond))
                .as((at, rate) -> new FaultSchedule.RateChange(Duration.ofMillis(at), rate));
    }

    private static long horizonMillis(Duration horizon) {
        if (horizon == null) {
            throw new NullPointerException("horizon");
        }
        if (horizon.toMillis() < 1) {
            throw new IllegalArgumentException("horizon: " + horizon + " (expected at least 1 ms)");
        }
        return horizon.toMillis();
    }
}
