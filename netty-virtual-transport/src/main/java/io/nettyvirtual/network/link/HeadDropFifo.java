package io.nettyvirtual.network.link;

import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;

/**
 * First in, first out, but when an arrival does not fit the oldest packets are dropped to make room
 * ({@link DropReason#QUEUE_FULL}), as Linux's {@code pfifo_head_drop}: the freshest data survives, which suits
 * real-time media. An arrival larger than the byte limit on its own is dropped.
 */
final class HeadDropFifo extends FifoQueue {
    record Spec(int limitPackets, long limitBytes) implements Factory {
        @Override
        public QueueDiscipline create(Context ctx) {
            return new HeadDropFifo(ctx, limitPackets, limitBytes);
        }

        @Override
        public String toString() {
            return "pfifo_head_drop limit " + limitPackets;
        }
    }

    private final int limitPackets;
    private final long limitBytes;

    HeadDropFifo(Context ctx, int limitPackets, long limitBytes) {
        super(ctx, 16);
        this.limitPackets = limitPackets;
        this.limitBytes = limitBytes;
    }

    @Override
    public void enqueue(Packet p) {
        if (limitPackets == 0 || p.size() > limitBytes) {
            ctx.drop(p, DropReason.QUEUE_FULL);
            return;
        }
        while (queue.size() >= limitPackets || queue.bytes() + p.size() > limitBytes) {
            ctx.drop(queue.pollFirst(), DropReason.QUEUE_FULL);
        }
        queue.addLast(p, ctx.now());
    }
}
