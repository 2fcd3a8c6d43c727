package io.nettyvirtual.network.link;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings of a DualPI2 queue (RFC 9332, the DualQ Coupled AQM for L4S; Linux {@code tc qdisc ... dualpi2}),
 * a {@link QueueDiscipline.Factory} for {@link LinkConfig#queue}. {@link QueueDisciplines#dualPi2()} gives the
 * defaults; each setter returns a copy with one setting changed, checked at once (the error names the setting and the
 * value):
 * <pre>{@code
 * LinkConfig l4s = LinkConfig.limited(1_250_000).queue(QueueDisciplines.dualPi2().stepThresh(Duration.ofMillis(1)));
 * }</pre>
 *
 * <p>The settings and their defaults, by Linux's names (RFC 9332 Appendix A's where Linux has none):
 * <ul>
 *   <li>{@code limit} 10,000 packets, shared by both queues;
 *   <li>{@code target} 15 ms and {@code tupdate} 16 ms: the PI2 controller's delay target and update interval;
 *   <li>{@code alpha} 0.16 Hz and {@code beta} 3.2 Hz: its integral and proportional gains;
 *   <li>{@code coupling_factor} k = 2: L4S packets are marked with {@code p_CL = k p'} where classic packets are
 *       dropped or marked with {@code p_C = p'^2};
 *   <li>the L4S queue's native AQM: RFC 9332's ramp from {@code minTh} 800 us over {@code range} 400 us (the marking
 *       probability rises linearly from 0 to 1 with the sojourn time), or with {@link #stepThresh} a step, as
 *       Linux's default ({@code step_thresh 1ms}): every packet that waited longer is marked;
 *   <li>the scheduler between the queues: Linux's weighted round robin with {@code classic_protection} 10 (percent
 *       of the link the classic queue is guaranteed when both are backlogged), or with {@link #tshift} RFC 9332's
 *       time-shifted FIFO (the head with the older timestamp goes first, after the L4S one is shifted back by
 *       {@code tshift});
 *   <li>{@code drop_on_overload} (Linux's default) or {@code overflow}: whether, once {@code p_CL} saturates at 1,
 *       L4S packets are also dropped with {@code p_C} and ECN-capable classic packets dropped rather than marked,
 *       as RFC 9332 section 4.2.3 asks, or p' is capped at 1/k so that nothing is dropped for overload.
 * </ul>
 */
public final class DualPi2 implements QueueDiscipline.Factory {
    static final DualPi2 DEFAULTS =
            new DualPi2(10000, 15_000_000, 16_000_000, 0.16, 3.2, 2, 800_000, 400_000, 10, 0, true);

    final int limit;
    final long target;
    final long tupdate;
    final double alpha;
    final double beta;
    final double couplingFactor;
    final long minTh;
    /** The ramp's range; 0 for a step at {@link #minTh}. */
    final long range;

    final int classicProtection;
    /** The time-shifted FIFO's shift; 0 for Linux's weighted round robin. */
    final long tshift;

    final boolean dropOnOverload;

    private DualPi2(
            int limit,
            long target,
            long tupdate,
            double alpha,
            double beta,
            double couplingFactor,
            long minTh,
            long range,
            int classicProtection,
            long tshift,
            boolean dropOnOverload) {
        this.limit = limit;
        this.target = target;
        this.tupdate = tupdate;
        this.alpha = alpha;
        this.beta = beta;
        this.couplingFactor = couplingFactor;
        this.minTh = minTh;
        this.range = range;
        this.classicProtection = classicProtection;
        this.tshift = tshift;
        this.dropOnOverload = dropOnOverload;
    }

    private DualPi2 with(
            int limit,
            long target,
            long tupdate,
            double alpha,
            double beta,
            double k,
            long minTh,
            long range,
            int cp,
            long tshift,
            boolean overload) {
        return new DualPi2(limit, target, tupdate, alpha, beta, k, minTh, range, cp, tshift, overload);
    }

    /** At most {@code limit} packets wait in both queues together; an arrival over it is dropped (OVERLIMIT). */
    public DualPi2 limit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit: " + limit + " (expected >= 1)");
        }
        return with(
                limit,
                target,
                tupdate,
                alpha,
                beta,
                couplingFactor,
                minTh,
                range,
                classicProtection,
                tshift,
                dropOnOverload);
    }

    /** The classic queueing delay the PI2 controller aims at. */
    public DualPi2 target(Duration target) {
        return with(
                limit,
                positive("target", target),
                tupdate,
                alpha,
                beta,
                couplingFactor,
                minTh,
                range,
                classicProtection,
                tshift,
                dropOnOverload);
    }

    /** How often the PI2 controller updates its base probability p'. */
    public DualPi2 tupdate(Duration tupdate) {
        return with(
                limit,
                target,
                positive("tupdate", tupdate),
                alpha,
                beta,
                couplingFactor,
                minTh,
                range,
                classicProtection,
                tshift,
                dropOnOverload);
    }

    /** The integral gain in Hz: each update adds {@code alpha * (delay - target)}, delays in seconds. */
    public DualPi2 alpha(double alpha) {
        return with(
                limit,
                target,
                tupdate,
                gain("alpha", alpha),
                beta,
                couplingFactor,
                minTh,
                range,
                classicProtection,
                tshift,
                dropOnOverload);
    }

    /** The proportional gain in Hz: each update adds {@code beta * (delay - previous delay)}. */
    public DualPi2 beta(double beta) {
        return with(
                limit,
                target,
                tupdate,
                alpha,
                gain("beta", beta),
                couplingFactor,
                minTh,
                range,
                classicProtection,
                tshift,
                dropOnOverload);
    }

    /** The coupling factor k, from 1 to 256 ({@code p_CL = k p'}). */
    public DualPi2 couplingFactor(double k) {
        if (!(k >= 1 && k <= 256)) {
            throw new IllegalArgumentException("couplingFactor: " + k + " (expected 1 to 256)");
        }
        return with(limit, target, tupdate, alpha, beta, k, minTh, range, classicProtection, tshift, dropOnOverload);
    }

    /**
     * The L4S queue's native AQM is RFC 9332's ramp: an L4S packet is marked with probability 0 below a sojourn time
     * of {@code minTh}, 1 from {@code minTh + range}, linear in between (when more than one L4S packet waits).
     */
    public DualPi2 ramp(Duration minTh, Duration range) {
        long m = positive("minTh", minTh);
        long r = positive("range", range);
        return with(
                limit, target, tupdate, alpha, beta, couplingFactor, m, r, classicProtection, tshift, dropOnOverload);
    }

    /**
     * The L4S queue's native AQM is a step, as Linux's {@code step_thresh}: every L4S packet that waited longer than
     * {@code stepThresh} is marked.
     */
    public DualPi2 stepThresh(Duration stepThresh) {
        long s = positive("stepThresh", stepThresh);
        return with(
                limit, target, tupdate, alpha, beta, couplingFactor, s, 0, classicProtection, tshift, dropOnOverload);
    }

    /**
     * Linux's weighted round robin between the queues: when both are backlogged the classic queue gets
     * {@code percent} of the bytes sent, the L4S queue the rest (0 to 100; 0 gives the L4S queue strict priority).
     */
    public DualPi2 classicProtection(int percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("classicProtection: " + percent + " (expected 0 to 100)");
        }
        return with(limit, target, tupdate, alpha, beta, couplingFactor, minTh, range, percent, 0, dropOnOverload);
    }

    /**
     * RFC 9332's time-shifted FIFO instead of the weighted round robin: the head packet that arrived first goes
     * first, once the L4S head's arrival time is shifted back by {@code tshift} (the RFC suggests twice the target).
     */
    public DualPi2 tshift(Duration tshift) {
        long t = positive("tshift", tshift);
        return with(
                limit,
                target,
                tupdate,
                alpha,
                beta,
                couplingFactor,
                minTh,
                range,
                classicProtection,
                t,
                dropOnOverload);
    }

    /**
     * With true (the default, Linux's {@code drop_on_overload}), once {@code p_CL = k p'} reaches 1 L4S packets are
     * also dropped with {@code p_C} and ECN-capable classic ones dropped instead of marked; with false (Linux's
     * {@code overflow}), p' stops at 1/k and overload only grows the queue up to {@code limit}.
     */
    public DualPi2 dropOnOverload(boolean drop) {
        return with(limit, target, tupdate, alpha, beta, couplingFactor, minTh, range, classicProtection, tshift, drop);
    }

    @Override
    public QueueDiscipline create(QueueDiscipline.Context ctx) {
        return new DualPi2Queue(ctx, this);
    }

    private static long positive(String setting, Duration d) {
        if (d == null) {
            throw new NullPointerException(setting);
        }
        if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofDays(365)) > 0) {
            throw new IllegalArgumentException(setting + ": " + d + " (expected > 0 and at most 365 days)");
        }
        return d.toNanos();
    }

    private static double gain(String setting, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(setting + ": " + v + " (expected a finite number >= 0)");
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DualPi2 d
                && limit == d.limit
                && target == d.target
                && tupdate == d.tupdate
                && Double.compare(alpha, d.alpha) == 0
                && Double.compare(beta, d.beta) == 0
                && Double.compare(couplingFactor, d.couplingFactor) == 0
                && minTh == d.minTh
                && range == d.range
                && classicProtection == d.classicProtection
                && tshift == d.tshift
                && dropOnOverload == d.dropOnOverload;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                limit,
                target,
                tupdate,
                alpha,
                beta,
                couplingFactor,
                minTh,
                range,
                classicProtection,
                tshift,
                dropOnOverload);
    }

    /** As {@code tc qdisc show} would write it, e.g. {@code dualpi2 limit 10000 target 15ms ...}. */
    @Override
    public String toString() {
        String k = couplingFactor == Math.rint(couplingFactor)
                ? Long.toString((long) couplingFactor)
                : Double.toString(couplingFactor);
        return "dualpi2 limit " + limit + " target " + CoDel.ms(target) + " tupdate " + CoDel.ms(tupdate) + " alpha "
                + alpha + " beta " + beta + " coupling_factor " + k
                + (range == 0
                        ? " step_thresh " + CoDel.ms(minTh)
                        : " min_th " + CoDel.ms(minTh) + " range " + CoDel.ms(range))
                + (tshift == 0 ? " classic_protection " + classicProtection : " tshift " + CoDel.ms(tshift))
                + (dropOnOverload ? " drop_on_overload" : " overflow");
    }
}
