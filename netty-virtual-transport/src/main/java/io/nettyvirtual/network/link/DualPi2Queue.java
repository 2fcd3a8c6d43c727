package io.nettyvirtual.network.link;

import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;

/**
 * DualPI2 ({@link DualPi2}): RFC 9332 Appendix A's pseudocode, with Linux {@code sch_dualpi2}'s scheduler and
 * parameters. Packets with ECT(1) or CE go to the L4S queue, the others to the classic queue; the queues share
 * {@code limit} packets (over it an arrival is dropped as {@link DropReason#OVERLIMIT}).
 *
 * <p>Every {@code tupdate} the PI2 controller updates the base probability
 * {@code p' += alpha (q - target) + beta (q - q_prev)} (times in seconds, p' kept in [0, 1], or [0, 1/k] without
 * drop-on-overload), with {@code q} the larger of the two head packets' sojourn times (Linux; the RFC's figure
 * uses the classic head's, the same whenever the L4S queue is the shorter, which its scheduling share makes the
 * normal case). From it, {@code p_C = p'^2} and {@code p_CL = k p'}. At dequeue (RFC 9332 Figure 2 and A.2):
 * <ul>
 *   <li>an L4S packet is marked with {@code p_L = max(p'_L, p_CL)}, where {@code p'_L} is the native AQM's (ramp or
 *       step on the packet's own sojourn time; 0 when it was the only L4S packet waiting, the RFC's
 *       {@code Th_len} of one packet); in overload ({@code p_CL >= 1} with drop-on-overload) it is dropped with
 *       {@code p_C} and else marked with {@code p_CL};
 *   <li>a classic packet is dropped, or if ECN-capable and not in overload marked, with {@code p_C}.
 * </ul>
 * Decisions use the RFC's {@code recur()} (a per-queue accumulator: true once the sum of the probabilities passes
 * 1), so a run does not depend on random draws. As Linux does, nothing is dropped or marked by PI2 while less than
 * two MTUs (2 x 1,514 bytes, Linux's on Ethernet) remain queued, so that a short queue keeps the link busy.
 *
 * <p>The scheduler is Linux's weighted round robin: a credit starts at {@code MTU x (c - (100 - c))} for
 * {@code classic_protection} c; the L4S queue is served while the credit is not positive (or the classic queue is
 * empty); each L4S packet sent while classic packets wait adds {@code c x size}, each classic packet sent while L4S
 * packets wait subtracts {@code (100 - c) x size}; the credit starts again when both queues are empty. With
 * {@code tshift} it is instead RFC 9332 section 4.2.2's time-shifted FIFO.
 *
 * <p>The PI2 update runs lazily at the next enqueue or dequeue for every {@code tupdate} boundary passed since, with
 * the queues as they were then: exactly what a timer would compute, since the queues do not change between events.
 * Marks are counted as {@link MarkReason#NATIVE_L4S} when the native AQM's probability was the larger,
 * {@link MarkReason#COUPLED} when {@code p_CL} was, {@link MarkReason#AQM} for classic marks.
 */
final class DualPi2Queue implements QueueDiscipline {
    /** Linux's psched_mtu() of an Ethernet device: MTU 1,500 plus the 14-byte header. */
    static final int MTU = 1514;

    private static final int MAX_WEIGHT = 100;

    private final Context ctx;
    private final DualPi2 spec;
    private final PacketRing l4s = new PacketRing(64);
    private final PacketRing classic = new PacketRing(64);
    private final double maxBase;
    private final long wc;
    private final long wl;
    private final long creditInit;
    private long credit;
    private double base; // p'
    private double pC;
    private double pCL;
    private double prevDelay;
    private long nextUpdate;
    private final double[] counts = new double[2]; // recur() accumulators: [0] L4S, [1] classic
    // per-queue statistics, for tests
    long l4sDeparted;
    long l4sSojourn;
    long l4sSojournMax;
    long classicDeparted;
    long classicSojourn;
    long classicSojournMax;

    DualPi2Queue(Context ctx, DualPi2 spec) {
        this.ctx = ctx;
        this.spec = spec;
        this.maxBase = spec.dropOnOverload ? 1 : 1 / spec.couplingFactor;
        this.wc = spec.classicProtection;
        this.wl = MAX_WEIGHT - spec.classicProtection;
        this.creditInit = MTU * (wc - wl);
        this.credit = creditInit;
        this.nextUpdate = ctx.now() + spec.tupdate;
    }

    private static boolean isL4s(Packet p) {
        return (p.ecn() & 1) == 1; // ECT(1) = 1, CE = 3
    }

    private void update(long now) {
        while (nextUpdate <= now) {
            long qc = classic.isEmpty() ? 0 : nextUpdate - classic.firstTime();
            long ql = l4s.isEmpty() ? 0 : nextUpdate - l4s.firstTime();
            double q = Math.max(qc, ql) / 1e9;
            if (q == 0 && prevDelay == 0 && base == 0) { // idle and settled: skip the boundaries at once
                nextUpdate += ((now - nextUpdate) / spec.tupdate + 1) * spec.tupdate;
                return;
            }
            base += spec.alpha * (q - spec.target / 1e9) + spec.beta * (q - prevDelay);
            base = Math.max(0, Math.min(base, maxBase));
            prevDelay = q;
            probabilities();
            nextUpdate += spec.tupdate;
        }
    }

    private void probabilities() {
        pC = base * base;
        pCL = spec.couplingFactor * base;
    }

    /**
     * RFC 9332's recur(): true with the given likelihood, as a recurring deterministic pattern. A likelihood of 1 is
     * a certainty (the literal pseudocode would miss the first of a run of them, from a count of 0) and leaves the
     * count alone.
     */
    private static boolean recur(double[] count, int i, double likelihood) {
        if (likelihood >= 1) {
            return true;
        }
        count[i] += likelihood;
        if (count[i] > 1) {
            count[i] -= 1;
            return true;
        }
        return false;
    }

    /** The native L4S AQM's probability for a packet that waited {@code sojourn}: a ramp, or a step. */
    private double laqm(long sojourn) {
        if (spec.range == 0) {
            return sojourn > spec.minTh ? 1 : 0;
        }
        if (sojourn >= spec.minTh + spec.range) {
            return 1;
        }
        return sojourn > spec.minTh ? (double) (sojourn - spec.minTh) / spec.range : 0;
    }

    @Override
    public void enqueue(Packet p) {
        long now = ctx.now();
        update(now);
        if (l4s.size() + classic.size() >= spec.limit) {
            ctx.drop(p, DropReason.OVERLIMIT);
            return;
        }
        (isL4s(p) ? l4s : classic).addLast(p, now);
    }

    @Override
    public Packet dequeue() {
        long now = ctx.now();
        update(now);
        while (true) {
            boolean fromL4s;
            if (l4s.isEmpty()) {
                if (classic.isEmpty()) {
                    credit = creditInit;
                    return null;
                }
                fromL4s = false;
            } else if (classic.isEmpty()) {
                fromL4s = true;
            } else if (spec.tshift != 0) {
                fromL4s = l4s.firstTime() - spec.tshift <= classic.firstTime();
            } else {
                fromL4s = credit <= 0;
            }
            PacketRing q = fromL4s ? l4s : classic;
            boolean otherWaits = !(fromL4s ? classic : l4s).isEmpty();
            long sojourn = now - q.firstTime();
            Packet p = q.pollFirst();
            boolean floor = l4s.bytes() + classic.bytes() < 2 * MTU; // Linux: keep at least 2 MTUs
            boolean overload = spec.dropOnOverload && pCL >= 1;
            if (fromL4s) {
                if (!overload) {
                    double native_ = l4s.isEmpty() ? 0 : laqm(sojourn); // Th_len: one packet is not a queue
                    double coupled = floor ? 0 : pCL;
                    if (recur(counts, 0, Math.max(native_, coupled))) {
                        ctx.mark(p, native_ >= coupled ? MarkReason.NATIVE_L4S : MarkReason.COUPLED);
                    }
                } else {
                    if (!floor && recur(counts, 0, pC)) {
                        ctx.drop(p, DropReason.AQM_DROP); // overload: classic drop for L4S too
                        continue;
                    }
                    if (recur(counts, 0, pCL)) {
                        ctx.mark(p, MarkReason.COUPLED);
                    }
                }
            } else if (!floor && recur(counts, 1, pC)) {
                if (overload || !ctx.mark(p, MarkReason.AQM)) {
                    ctx.drop(p, DropReason.AQM_DROP);
                    continue;
                }
            }
            if (otherWaits && spec.tshift == 0) {
                credit += fromL4s ? wc * p.size() : -wl * p.size();
            }
            if (fromL4s) {
                l4sDeparted++;
                l4sSojourn += sojourn;
                l4sSojournMax = Math.max(l4sSojournMax, sojourn);
            } else {
                classicDeparted++;
                classicSojourn += sojourn;
                classicSojournMax = Math.max(classicSojournMax, sojourn);
            }
            ctx.departed(sojourn);
            return p;
        }
    }

    @Override
    public int packets() {
        return l4s.size() + classic.size();
    }

    @Override
    public long bytes() {
        return l4s.bytes() + classic.bytes();
    }

    @Override
    public void clear() {
        Packet p;
        while ((p = l4s.pollFirst()) != null) {
            ctx.drop(p, DropReason.UNPLUGGED);
        }
        while ((p = classic.pollFirst()) != null) {
            ctx.drop(p, DropReason.UNPLUGGED);
        }
    }

    /** The PI2 base probability p' (for tests). */
    double baseProbability() {
        return base;
    }

    /** Sets p' (for tests that pin it, with alpha and beta 0). */
    void baseProbability(double p) {
        base = p;
        probabilities();
    }
}
