package io.nettyvirtual.network.link;

import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;

/**
 * First in, first out, but when an arrival does not fit the oldest packets are dropped to make room
 * ({@link DropReason#QUEUE_FULL}), as Linux's {@code pfifo_head_drop}: the freshest data survives, which suits
 * real-time media. An arrival larger than the byte limit on its own is dropped.
 */
final class HeadDropFifo implements QueueDiscipline {
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

    private final Context ctx;
    private final PacketRing queue = new PacketRing(16);
    private final int limitPackets;
    private final long limitBytes;

    HeadDropFifo(Context ctx, int limitPackets, long limitBytes) {
        this.ctx = ctx;
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
