package io.nettyvirtual.network.link;

import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.engine.TimedEvent;

/**
 * The rate limiter ({@link LinkConfig#bytesPerSecond(long)}) with its {@link QueueDiscipline}: one packet at a time
 * is serialized, taking size / rate (the sub-nanosecond remainder carries over to the next packet, so a long run
 * keeps the exact rate); the others wait in the queue. When a packet has been serialized it has left the sending
 * host, and its send-buffer credit goes back to the sender.
 *
 * <p>Without a rate limit packets pass straight through (after any that still wait), at the cost of one branch.
 */
final class Serializer extends Stage {
    private final QueueDiscipline queue;
    private long bytesPerSecond;
    private Packet transmitting;
    private long txRemainder;
    private final TimedEvent txDone = new TimedEvent() {
        @Override
        protected void fire() {
            transmitted();
        }
    };

    Serializer(LinkContext ctx) {
        super(ctx);
        this.queue = new TailDropFifo(ctx);
    }

    @Override
    boolean configure(LinkConfig config) {
        bytesPerSecond = config.bytesPerSecond;
        queue.configure(config);
        return true; // it returns the send credit, with or without a rate limit
    }

    @Override
    void accept(Packet p) {
        if (transmitting != null) {
            queue.enqueue(p);
        } else if (bytesPerSecond == 0) {
            p.releaseCredit();
            next.accept(p);
        } else {
            start(p);
        }
    }

    private void start(Packet p) {
        transmitting = p;
        long rate = bytesPerSecond;
        long bits = p.size() * 1_000_000_000L + txRemainder;
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
