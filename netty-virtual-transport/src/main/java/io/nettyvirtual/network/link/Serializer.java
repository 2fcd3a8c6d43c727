package io.nettyvirtual.network.link;

import io.nettyvirtual.engine.TimedEvent;
import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The rate limiter ({@link LinkConfig#bytesPerSecond(long)}) with its {@link QueueDiscipline}: one packet at a time
 * is serialized, taking size / rate (the sub-nanosecond remainder carries over to the next packet, so a long run
 * keeps the exact rate); the others wait in the queue. When a packet has been serialized it has left the sending
 * host, and its send-buffer credit goes back to the sender.
 *
 * <p>A packet's size is its payload, or with {@link LinkConfig#overhead(int)} its bytes on the wire: IP and UDP
 * headers and framing, per fragment when the link's MTU fragments it ({@link WireOverhead}). With a
 * {@link RateTrace} the rate is the trace's when the packet starts serializing; when the rate changes the
 * sub-nanosecond remainder starts again from zero.
 *
 * <p>Without a rate limit packets pass straight through (after any that still wait), at the cost of one branch.
 * With the default tail-drop FIFO a packet that finds the link idle starts serializing at once; with any other
 * discipline every packet is enqueued and then dequeued, as in a Linux qdisc, so the discipline sees every arrival.
 */
final class Serializer extends Stage {
    private final Stats stats = new Stats();
    private final TailDropFifo defaultQueue;
    private QueueDiscipline queue;
    private QueueDiscipline.Factory factory;
    private long bytesPerSecond;
    private Packet transmitting;
    private long txRemainder;
    private long txRate;
    private int framing = -1;
    private int mtu;
    private RateTrace trace;
    private long traceStart;
    private final TimedEvent txDone = new TimedEvent() {
        @Override
        protected void fire() {
            transmitted();
        }
    };

    Serializer(LinkContext ctx) {
        super(ctx);
        this.defaultQueue = new TailDropFifo(stats, 0, 0);
        this.queue = defaultQueue;
    }

    @Override
    boolean configure(LinkConfig config) {
        Impairments i = config.imp;
        framing = i.framing;
        mtu = i.mtu;
        RateTrace rt = i.rateTrace;
        if (rt != null && !rt.equals(trace)) {
            traceStart = ctx.now();
        }
        trace = rt;
        bytesPerSecond = rt != null ? rt.bytesPerSecond[0] : config.bytesPerSecond;
        defaultQueue.configure(config);
        QueueDiscipline.Factory f = config.queue;
        if (!Objects.equals(f, factory)) {
            QueueDiscipline old = queue;
            QueueDiscipline next = f == null
                    ? defaultQueue
                    : Objects.requireNonNull(f.create(stats), "the queue discipline factory returned null");
            queue = next;
            factory = f;
            Packet p;
            while ((p = old.dequeue()) != null) { // the waiting packets move over, in order
                next.enqueue(p);
            }
            old.clear(); // a discipline that stopped answering before it was empty
        }
        return true; // it returns the send credit, with or without a rate limit
    }

    @Override
    void accept(Packet p) {
        if (transmitting != null) {
            queue.enqueue(p);
        } else if (bytesPerSecond == 0) {
            p.releaseCredit();
            next.accept(p);
        } else if (factory == null) {
            stats.departed(0);
            start(p);
        } else {
            queue.enqueue(p);
            Packet first = queue.dequeue();
            if (first != null) {
                start(first);
            }
        }
    }

    private void start(Packet p) {
        transmitting = p;
        long rate = trace == null ? bytesPerSecond : trace.bytesPerSecondAt(ctx.now() - traceStart);
        if (rate != txRate) {
            txRate = rate;
            txRemainder = 0;
        }
        long size = framing < 0 ? p.size() : WireOverhead.wireBytes(p, framing, mtu);
        long bits = size * 1_000_000_000L + txRemainder;
        long nanos = bits / rate;
        txRemainder = bits % rate;
        ctx.schedule(txDone, ctx.after(nanos));
    }

    private void transmitted() {
        Packet p = transmitting;
        transmitting = null;
        p.releaseCredit();
        Packet waiting = queue.dequeue();
        if (waiting != null) {
            if (bytesPerSecond != 0) {
                start(waiting);
            } else { // the limit was removed: what waits leaves now, in order
                next.accept(p);
                do {
                    waiting.releaseCredit();
                    next.accept(waiting);
                } while ((waiting = queue.dequeue()) != null);
                return;
            }
        }
        next.accept(p);
    }

    /** Packets waiting in the queue (not counting the one being serialized). */
    int queuedPackets() {
        return queue.packets();
    }

    QueueStats queueStats() {
        return new QueueStats(
                queue.packets(),
                queue.bytes(),
                stats.departed,
                stats.sojournTotal,
                stats.sojournMax,
                stats.drops,
                stats.marks);
    }

    /** The queue discipline's view of this link, and the discipline's statistics. */
    private final class Stats implements QueueDiscipline.Context {
        final long[] drops = new long[DropReason.values().length];
        final long[] marks = new long[MarkReason.values().length];
        long departed;
        long sojournTotal;
        long sojournMax;

        @Override
        public long now() {
            return ctx.now();
        }

        @Override
        public SplittableRandom random() {
            return ctx.random();
        }

        @Override
        public long bytesPerSecond() {
            return bytesPerSecond;
        }

        @Override
        public void drop(Packet p, DropReason reason) {
            drops[reason.ordinal()]++;
            ctx.drop(p, reason);
        }

        @Override
        public boolean mark(Packet p, MarkReason reason) {
            if (p.ecn() == 0) {
                return false;
            }
            p.ecn(3);
            marks[reason.ordinal()]++;
            return true;
        }

        @Override
        public void departed(long sojournNanos) {
            departed++;
            sojournTotal += sojournNanos;
            if (sojournNanos > sojournMax) {
                sojournMax = sojournNanos;
            }
        }
    }

    @Override
    void clear() {
        ctx.cancel(txDone);
        if (transmitting != null) {
            ctx.drop(transmitting, DropReason.UNPLUGGED);
            transmitting = null;
        }
        queue.clear();
    }

    @Override
    int occupancy() {
        return queue.packets() + (transmitting != null ? 1 : 0);
    }
}
