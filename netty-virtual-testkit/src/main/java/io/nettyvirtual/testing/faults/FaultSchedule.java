package io.nettyvirtual.testing.faults;

import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.network.Link;
import io.nettyvirtual.network.Wire;
import io.nettyvirtual.network.link.LinkConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Faults to apply to a link over virtual time: loss bursts, flaps (the link down for a while) and rate changes,
 * each at an offset from the moment the schedule is applied. Generated, and shrunk to the smallest schedule that
 * still fails, by {@link FaultSchedules}; written by hand with {@link #of(Fault...)}.
 *
 * <p>At every instant the link's config is its config from when the schedule was applied (its base), with the loss
 * raised to the highest of the bursts in progress, down while any flap is in progress, and the rate of the latest
 * rate change so far. The changes are made with {@code link.update(c -> ...)} by tasks on {@code net.scheduler()},
 * so they happen in virtual time, in order, and a run with a schedule is as deterministic as one without. After the
 * last fault the link is back to its base loss and up (a rate change stays). A change due at the same instant as a
 * packet sent from another event loop is ordered as the simulation orders ties between loops (by creation order),
 * so a fault that should surely cover a send starts before it and ends after it.
 */
public final class FaultSchedule {
    private static final FaultSchedule NONE = new FaultSchedule(Collections.emptyList());

    private final List<Fault> faults;

    private FaultSchedule(List<Fault> faults) {
        this.faults = faults;
    }

    /** A schedule of {@code faults}, in any order. */
    public static FaultSchedule of(Fault... faults) {
        return of(Arrays.asList(faults));
    }

    /** A schedule of {@code faults}, in any order. */
    public static FaultSchedule of(List<? extends Fault> faults) {
        List<Fault> copy = new ArrayList<>(faults.size());
        for (int i = 0; i < faults.size(); i++) {
            Fault f = faults.get(i);
            if (f == null) {
                throw new NullPointerException("faults[" + i + "]");
            }
            copy.add(f);
        }
        return copy.isEmpty() ? NONE : new FaultSchedule(Collections.unmodifiableList(copy));
    }

    /** The empty schedule. */
    public static FaultSchedule none() {
        return NONE;
    }

    /** The faults, in the order given. */
    public List<Fault> faults() {
        return faults;
    }

    /** A copy without the fault at {@code index}. */
    public FaultSchedule without(int index) {
        List<Fault> rest = new ArrayList<>(faults);
        rest.remove(index);
        return of(rest);
    }

    /** Applies the schedule to both directions of {@code wire}, from now on; see {@link #applyTo(VirtualNetwork, Link)}. */
    public void applyTo(VirtualNetwork net, Wire wire) {
        applyTo(net, wire.aToB());
        applyTo(net, wire.bToA());
    }

    /**
     * Applies the schedule to {@code link} from now on: its config in force now is the base the faults modify.
     * Each change is a task on {@code net.scheduler()} at its virtual instant.
     */
    public void applyTo(VirtualNetwork net, Link link) {
        if (net == null) {
            throw new NullPointerException("net");
        }
        if (link == null) {
            throw new NullPointerException("link");
        }
        if (faults.isEmpty()) {
            return;
        }
        LinkConfig base = link.config();
        ScheduledExecutorService scheduler = net.scheduler();
        TreeSet<Long> instants = new TreeSet<>();
        for (Fault f : faults) {
            instants.add(f.atNanos());
            if (f.endNanos() != Long.MAX_VALUE) {
                instants.add(f.endNanos());
            }
        }
        for (long t : instants) {
            Change change = stateAt(t, base);
            scheduler.schedule(
                    () -> {
                        link.update(change::apply);
                    },
                    t,
                    TimeUnit.NANOSECONDS);
        }
    }

    /** The link's settings at {@code t} (nanoseconds after applying). */
    Change stateAt(long t, LinkConfig base) {
        double loss = base.loss();
        boolean down = base.isDown();
        long rate = base.bytesPerSecond();
        long rateAt = -1;
        for (Fault f : faults) {
            boolean active = f.atNanos() <= t && t < f.endNanos();
            if (f instanceof LossBurst && active) {
                loss = Math.max(loss, ((LossBurst) f).loss());
            } else if (f instanceof Flap && active) {
                down = true;
            } else if (f instanceof RateChange && f.atNanos() <= t && f.atNanos() >= rateAt) {
                rate = ((RateChange) f).bitsPerSecond() / 8;
                rateAt = f.atNanos();
            }
        }
        return new Change(loss, down, rate);
    }

    /** The settings a change sets. */
    static final class Change {
        final double loss;
        final boolean down;
        final long bytesPerSecond;

        Change(double loss, boolean down, long bytesPerSecond) {
            this.loss = loss;
            this.down = down;
            this.bytesPerSecond = bytesPerSecond;
        }

        LinkConfig apply(LinkConfig c) {
            LinkConfig next = c.loss(loss).down(down);
            return bytesPerSecond == 0 ? next.unlimited() : next.bytesPerSecond(bytesPerSecond);
        }

        @Override
        public String toString() {
            return "loss " + loss + ", down " + down + ", " + bytesPerSecond + " B/s";
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FaultSchedule && ((FaultSchedule) o).faults.equals(faults);
    }

    @Override
    public int hashCode() {
        return faults.hashCode();
    }

    /** For example {@code [loss 30% for 2 ms at 5 ms, down for 1 ms at 7 ms]}. */
    @Override
    public String toString() {
        return faults.toString();
    }

    // faults

    /** One fault: it starts at an offset from the moment its schedule is applied. */
    public interface Fault {
        /** When it starts, in nanoseconds after the schedule is applied. */
        long atNanos();

        /** When it ends ({@link Long#MAX_VALUE} for a change that stays). */
        long endNanos();
    }

    private static long nanos(String what, Duration d, boolean positive) {
        if (d == null) {
            throw new NullPointerException(what);
        }
        if (d.isNegative() || (positive && d.isZero())) {
            throw new IllegalArgumentException(what + ": " + d + (positive ? " (expected > 0)" : " (expected >= 0)"));
        }
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(what + ": " + d + " (too long)", e);
        }
    }

    private static String ms(long nanos) {
        return nanos % 1_000_000 == 0 ? (nanos / 1_000_000) + " ms" : (nanos / 1e6) + " ms";
    }

    /** The link loses each packet with probability {@link #loss()} from {@code at} for {@code length}. */
    public static final class LossBurst implements Fault {
        private final long at;
        private final long length;
        private final double loss;

        /** A burst of {@code loss} (a probability in [0, 1]) from {@code at} for {@code length} (positive). */
        public LossBurst(Duration at, Duration length, double loss) {
            this.at = nanos("at", at, false);
            this.length = nanos("length", length, true);
            if (!(loss >= 0 && loss <= 1)) {
                throw new IllegalArgumentException("loss: " + loss + " (expected a probability in [0, 1])");
            }
            this.loss = loss;
            if (this.at + this.length < 0) {
                throw new IllegalArgumentException("at + length: " + at + " + " + length + " (too long)");
            }
        }

        /** The loss probability during the burst. */
        public double loss() {
            return loss;
        }

        /** How long the burst lasts. */
        public Duration length() {
            return Duration.ofNanos(length);
        }

        @Override
        public long atNanos() {
            return at;
        }

        @Override
        public long endNanos() {
            return at + length;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof LossBurst)) {
                return false;
            }
            LossBurst b = (LossBurst) o;
            return b.at == at && b.length == length && Double.compare(b.loss, loss) == 0;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(at) * 31 + Long.hashCode(length) * 17 + Double.hashCode(loss);
        }

        @Override
        public String toString() {
            return "loss " + Math.round(loss * 1000) / 10.0 + "% for " + ms(length) + " at " + ms(at);
        }
    }

    /** The link is down (a blackhole) from {@code at} for {@code length}. */
    public static final class Flap implements Fault {
        private final long at;
        private final long length;

        /** Down from {@code at} for {@code length} (positive). */
        public Flap(Duration at, Duration length) {
            this.at = nanos("at", at, false);
            this.length = nanos("length", length, true);
            if (this.at + this.length < 0) {
                throw new IllegalArgumentException("at + length: " + at + " + " + length + " (too long)");
            }
        }

        /** How long the link stays down. */
        public Duration length() {
            return Duration.ofNanos(length);
        }

        @Override
        public long atNanos() {
            return at;
        }

        @Override
        public long endNanos() {
            return at + length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Flap && ((Flap) o).at == at && ((Flap) o).length == length;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(at) * 31 + Long.hashCode(length);
        }

        @Override
        public String toString() {
            return "down for " + ms(length) + " at " + ms(at);
        }
    }

    /** The link's rate becomes {@link #bitsPerSecond()} at {@code at} (and stays so, until the next change). */
    public static final class RateChange implements Fault {
        private final long at;
        private final long bitsPerSecond;

        /** The rate becomes {@code bitsPerSecond} (at least 8) at {@code at}. */
        public RateChange(Duration at, long bitsPerSecond) {
            this.at = nanos("at", at, false);
            if (bitsPerSecond < 8) {
                throw new IllegalArgumentException("bitsPerSecond: " + bitsPerSecond + " (expected >= 8)");
            }
            this.bitsPerSecond = bitsPerSecond;
        }

        /** The new rate. */
        public long bitsPerSecond() {
            return bitsPerSecond;
        }

        @Override
        public long atNanos() {
            return at;
        }

        @Override
        public long endNanos() {
            return Long.MAX_VALUE;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RateChange
                    && ((RateChange) o).at == at
                    && ((RateChange) o).bitsPerSecond == bitsPerSecond;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(at) * 31 + Long.hashCode(bitsPerSecond);
        }

        @Override
        public String toString() {
            return "rate " + bitsPerSecond + " bit/s at " + ms(at);
        }
    }
}
