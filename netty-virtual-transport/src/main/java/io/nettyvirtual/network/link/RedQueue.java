package io.nettyvirtual.network.link;

import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;

/**
 * RED, Random Early Detection (Floyd and Jacobson 1993; Linux {@code red}, ns-3 {@code RedQueueDisc}), in packet
 * mode as ns-3's default: on each arrival the average queue {@code avg = (1 - w) avg + w q} is updated (after an
 * idle period as if {@code idle * rate / meanPacketSize} empty-queue arrivals had happened, as Linux and ns-3 do);
 * between {@code minTh} and {@code maxTh} an arrival is dropped (or, with ECN, marked) with a probability rising
 * linearly to {@code maxP}, spread out by the count since the last drop with Floyd's "wait" rule; above {@code maxTh}
 * every arrival is dropped (forced), or, in gentle mode, the probability rises from {@code maxP} to 1 up to
 * {@code 2 maxTh}. Early and forced drops are {@link DropReason#AQM_DROP}; arrivals over {@code limit} packets are
 * {@link DropReason#OVERLIMIT}. This follows ns-3's {@code RedQueueDisc::DoEnqueue} (including its rule that no
 * early drop happens with at most one packet queued).
 */
final class RedQueue extends FifoQueue {
    record Spec(
            int limit,
            double minTh,
            double maxTh,
            double maxP,
            double weight,
            boolean gentle,
            boolean ecn,
            int meanPacketSize)
            implements Factory {
        @Override
        public QueueDiscipline create(Context ctx) {
            return new RedQueue(ctx, this);
        }

        @Override
        public String toString() {
            return "red limit " + limit + "p min " + minTh + "p max " + maxTh + "p probability " + maxP + " weight "
                    + weight + (gentle ? " gentle" : "") + (ecn ? " ecn" : "") + " avpkt " + meanPacketSize;
        }
    }

    private final Spec spec;
    private final double vA;
    private final double vB;
    private final double vC;
    private final double vD;
    private double avg;
    private int count;
    private boolean old;
    private boolean idle = true;
    private long idleSince;

    RedQueue(Context ctx, Spec spec) {
        super(ctx, 64);
        this.spec = spec;
        vA = 1.0 / (spec.maxTh - spec.minTh);
        vB = -spec.minTh / (spec.maxTh - spec.minTh);
        vC = (1.0 - spec.maxP) / spec.maxTh;
        vD = 2.0 * spec.maxP - 1.0;
    }

    @Override
    public void enqueue(Packet p) {
        int queued = queue.size();
        long m = 0;
        if (idle) {
            double packetsPerSecond = ctx.bytesPerSecond() / (double) spec.meanPacketSize;
            m = (long) (packetsPerSecond * (ctx.now() - idleSince) / 1e9);
            idle = false;
        }
        avg = avg * Math.pow(1.0 - spec.weight, m + 1) + spec.weight * queued;
        count++;
        boolean forced = false;
        boolean early = false;
        if (avg >= spec.minTh && queued > 1) {
            if (spec.gentle ? avg >= 2 * spec.maxTh : avg >= spec.maxTh) {
                forced = true;
            } else if (!old) { // just crossed minTh (or maxTh) from below: start counting
                count = 1;
                old = true;
            } else if (dropEarly()) {
                early = true;
            }
        } else {
            old = false;
        }
        if (forced) {
            if (!(spec.ecn && ctx.mark(p, MarkReason.FORCED))) {
                ctx.drop(p, DropReason.AQM_DROP);
                return;
            }
        } else if (early) {
            if (!(spec.ecn && ctx.mark(p, MarkReason.AQM))) {
                ctx.drop(p, DropReason.AQM_DROP);
                return;
            }
        }
        if (queued >= spec.limit) {
            ctx.drop(p, DropReason.OVERLIMIT);
            return;
        }
        queue.addLast(p, ctx.now());
    }

    private boolean dropEarly() {
        double pb;
        if (spec.gentle && avg >= spec.maxTh) {
            pb = vC * avg + vD;
        } else {
            pb = (vA * avg + vB) * spec.maxP;
        }
        pb = Math.min(pb, 1.0);
        double pa; // Floyd's "wait": no drop before 1/pb arrivals, then a uniform spread
        double c = count;
        if (c * pb < 1.0) {
            pa = 0.0;
        } else if (c * pb < 2.0) {
            pa = pb / (2.0 - c * pb);
        } else {
            pa = 1.0;
        }
        if (ctx.random().nextDouble() <= pa) {
            count = 0;
            return true;
        }
        return false;
    }

    @Override
    public Packet dequeue() {
        if (queue.isEmpty() && !idle) { // the average decays over the idle time (Floyd & Jacobson's q_time)
            idle = true;
            idleSince = ctx.now();
        }
        return super.dequeue();
    }

    /** The average queue in packets (for tests). */
    double average() {
        return avg;
    }
}
