package io.nettyvirtual.network.link;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * When a link direction goes down and comes back up ({@link LinkConfig#flaps(LinkFlaps)}): a fixed period, an
 * explicit schedule, or random on/off periods drawn from the simulation's seed. Times count from the moment the
 * config holding the flaps is first applied to the link (applying an equal one again keeps the phase). While down the
 * link is a blackhole, as {@link LinkConfig#down(boolean)}: packets entering are dropped as
 * {@link io.nettyvirtual.stats.DropReason#LINK_DOWN}; those already inside still arrive.
 */
public final class LinkFlaps {
    /** Alternating up and down durations in ns, starting with up; with {@link #repeat} it starts over. */
    final long[] upDown;

    final boolean repeat;
    /** Exponential on/off means in ns for random flaps; 0 for a schedule. */
    final long meanUp;

    final long meanDown;

    private LinkFlaps(long[] upDown, boolean repeat, long meanUp, long meanDown) {
        this.upDown = upDown;
        this.repeat = repeat;
        this.meanUp = meanUp;
        this.meanDown = meanDown;
    }

    /** Up for {@code up}, then down for {@code down}, over and over; both positive. */
    public static LinkFlaps periodic(Duration up, Duration down) {
        return new LinkFlaps(new long[] {positive("flaps up", up), positive("flaps down", down)}, true, 0, 0);
    }

    /**
     * Up for the first duration, down for the second, up for the third and so on; after the last the link stays
     * up (an odd count ends up, an even count ends down then up). Each duration positive, at least one.
     */
    public static LinkFlaps schedule(Duration... upThenDown) {
        Objects.requireNonNull(upThenDown, "upThenDown");
        if (upThenDown.length == 0) {
            throw new IllegalArgumentException("flaps schedule: empty (expected up, down, ... durations)");
        }
        long[] t = new long[upThenDown.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = positive("flaps schedule[" + i + "]", upThenDown[i]);
        }
        return new LinkFlaps(t, false, 0, 0);
    }

    /**
     * Up and down periods of exponentially distributed lengths with the given means (both positive), drawn from the
     * simulation's seeded source when the link is used, so a run repeats by seed.
     */
    public static LinkFlaps random(Duration meanUp, Duration meanDown) {
        return new LinkFlaps(null, false, positive("flaps meanUp", meanUp), positive("flaps meanDown", meanDown));
    }

    private static long positive(String setting, Duration d) {
        Objects.requireNonNull(d, setting);
        if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofNanos(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException(
                    setting + ": " + d + " (expected > 0 and at most " + Duration.ofNanos(Long.MAX_VALUE) + ")");
        }
        return d.toNanos();
    }

    /**
     * For a schedule: whether the link is down {@code elapsed} ns after the start, and until when (ns after the
     * start, {@link Long#MAX_VALUE} for ever) that stays so.
     */
    boolean downAt(long elapsed) {
        long t = elapsed;
        if (repeat) {
            long period = upDown[0] + upDown[1];
            t = period > 0 ? Math.floorMod(t, period) : t;
        }
        for (int i = 0; i < upDown.length; i++) {
            if (t < upDown[i]) {
                return (i & 1) == 1;
            }
            t -= upDown[i];
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LinkFlaps)) {
            return false;
        }
        LinkFlaps f = (LinkFlaps) o;
        return Arrays.equals(upDown, f.upDown) && repeat == f.repeat && meanUp == f.meanUp && meanDown == f.meanDown;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(upDown), repeat, meanUp, meanDown);
    }

    @Override
    public String toString() {
        if (upDown == null) {
            return "flaps random up " + meanUp / 1e6 + " ms down " + meanDown / 1e6 + " ms";
        }
        return "flaps " + (repeat ? "periodic " : "schedule ") + Arrays.toString(upDown) + " ns";
    }
}
