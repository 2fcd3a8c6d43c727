package io.nettyvirtual.network.link;

import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;

/**
 * What the first-in-first-out disciplines share: one {@link PacketRing} of waiting packets with their enqueue
 * times, dequeued from the head with the sojourn reported to the {@link QueueDiscipline.Context}. A subclass decides
 * only what {@link #enqueue} admits and what it drops.
 */
abstract class FifoQueue implements QueueDiscipline {
    final Context ctx;
    final PacketRing queue;

    FifoQueue(Context ctx, int initialCapacity) {
        this.ctx = ctx;
        this.queue = new PacketRing(initialCapacity);
    }

    @Override
    public Packet dequeue() {
        if (queue.isEmpty()) {
            return null;
        }
        ctx.departed(ctx.now() - queue.firstTime());
        return queue.pollFirst();
    }

    @Override
    public int packets() {
        return queue.size();
    }

    @Override
    public long bytes() {
        return queue.bytes();
    }

    @Override
    public void clear() {
        Packet p;
        while ((p = queue.pollFirst()) != null) {
            ctx.drop(p, DropReason.UNPLUGGED);
        }
    }
}
