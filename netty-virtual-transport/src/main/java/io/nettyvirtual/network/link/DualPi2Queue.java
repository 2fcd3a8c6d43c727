package io.nettyvirtual.network.link;

import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;

/**
 * DualPI2, the DualQ Coupled AQM of RFC 9332 (L4S, Linux {@code dualpi2}): packets with ECT(1) or CE go to the L4S
 * queue, the others to the classic queue. Every {@code tupdate} the PI2 controller updates its base probability from
 * the classic queue's head sojourn time ({@code p' += alpha (q - target) + beta (q - q_prev)}, times in seconds);
 * classic packets are dropped, or if ECT(0) marked, with {@code p_C = p'^2}; L4S packets are marked with the coupled
 * {@code p_CL = k p'}, and always when the L4S queue's sojourn time exceeds the step threshold. The queues share
 * {@code limit} packets (over it an arrival is dropped as {@link DropReason#OVERLIMIT}).
 *
 * <p>Simplifications, stated: the scheduler is a time-shifted FIFO (RFC 9332 section 4.2.2), serving the head with
 * the older timestamp after the L4S one has been shifted back by {@code tshift} (here twice the target), not Linux's
 * weighted round robin; the L4S native AQM is a step, not the RFC's ramp; the PI2 update runs lazily at the next
 * enqueue or dequeue for every {@code tupdate} boundary passed since, with the queue as it was then (which is what a
 * timer would have seen, as the queue does not change between events); draws use the seeded random source rather
 * than the RFC's deterministic recurrence.
 */
final class DualPi2Queue implements QueueDiscipline {
    record Spec(
            int limit, long targetNanos, long tupdateNanos, double alpha, double beta, double coupling, long stepNanos)
            implements Factory {
        @Override
        public QueueDiscipline create(Context ctx) {
            return new DualPi2Queue(ctx, this);
        }

        @Override
        public String toString() {
            return "dualpi2 limit " + limit + " target " + CoDel.ms(targetNanos) + " tupdate " + CoDel.ms(tupdateNanos)
                    + " alpha " + alpha + " beta " + beta + " coupling_factor " + coupling + " step_thresh "
                    + CoDel.ms(stepNanos);
        }
    }

    private final Context ctx;
    private final Spec spec;
    private final long tshift;
    private final PacketRing l4s = new PacketRing(64);
    private final PacketRing classic = new PacketRing(64);
    private double base; // p'
    private double prevDelay;
    private long nextUpdate;

    DualPi2Queue(Context ctx, Spec spec) {
        this.ctx = ctx;
        this.spec = spec;
        this.tshift = 2 * spec.targetNanos;
        this.nextUpdate = ctx.now() + spec.tupdateNanos;
    }

    private static boolean isL4s(Packet p) {
        return (p.ecn() & 1) == 1; // ECT(1) = 1, CE = 3
    }

    private void update(long now) {
        while (nextUpdate <= now) {
            double q = classic.isEmpty() ? 0 : (nextUpdate - classic.firstTime()) / 1e9;
            if (q == 0 && prevDelay == 0 && base == 0) { // idle and settled: skip the boundaries at once
                nextUpdate += ((now - nextUpdate) / spec.tupdateNanos + 1) * spec.tupdateNanos;
                return;
            }
            double target = spec.targetNanos / 1e9;
            base += spec.alpha * (q - target) + spec.beta * (q - prevDelay);
            base = Math.max(0, Math.min(base, 1 / spec.coupling)); // keeps p_CL = k p' within [0, 1]
            prevDelay = q;
            nextUpdate += spec.tupdateNanos;
        }
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
                    return null;
                }
                fromL4s = false;
            } else {
                fromL4s = classic.isEmpty() || l4s.firstTime() - tshift <= classic.firstTime();
            }
            PacketRing q = fromL4s ? l4s : classic;
            long sojourn = now - q.firstTime();
            Packet p = q.pollFirst();
            if (fromL4s) {
                if (sojourn > spec.stepNanos) {
                    ctx.mark(p, MarkReason.STEP);
                } else if (base > 0 && ctx.random().nextDouble() < spec.coupling * base) {
                    ctx.mark(p, MarkReason.AQM);
                }
            } else if (base > 0 && ctx.random().nextDouble() < base * base && !ctx.mark(p, MarkReason.AQM)) {
                ctx.drop(p, DropReason.AQM_DROP);
                continue;
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
}
