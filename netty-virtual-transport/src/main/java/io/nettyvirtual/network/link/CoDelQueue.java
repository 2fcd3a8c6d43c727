package io.nettyvirtual.network.link;

import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;

/**
 * CoDel (RFC 8289; Linux {@code codel}): a FIFO whose head packets are dropped, or with ECN marked CE, when their
 * sojourn time has stayed above {@code target} for {@code interval} ({@link CoDel}); an arrival over {@code limit}
 * packets is dropped as {@link DropReason#OVERLIMIT}.
 */
final class CoDelQueue implements QueueDiscipline, CoDel.Host {
    record Spec(long targetNanos, long intervalNanos, int limit, boolean ecn) implements Factory {
        @Override
        public QueueDiscipline create(Context ctx) {
            return new CoDelQueue(ctx, this);
        }

        @Override
        public String toString() {
            return "codel target " + CoDel.ms(targetNanos) + " interval " + CoDel.ms(intervalNanos) + " limit " + limit
                    + (ecn ? " ecn" : " noecn");
        }
    }

    private final Context ctx;
    private final int limit;
    private final CoDel codel;
    private final PacketRing queue = new PacketRing(64);
    private int maxPacket;

    CoDelQueue(Context ctx, Spec spec) {
        this.ctx = ctx;
        this.limit = spec.limit;
        this.codel = new CoDel(spec.targetNanos, spec.intervalNanos, spec.ecn);
    }

    @Override
    public void enqueue(Packet p) {
        if (queue.size() >= limit) {
            ctx.drop(p, DropReason.OVERLIMIT);
            return;
        }
        if (p.size() > maxPacket) {
            maxPacket = p.size();
        }
        queue.addLast(p, ctx.now());
    }

    @Override
    public Packet dequeue() {
        return codel.dequeue(ctx, queue, this);
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

    @Override
    public long backlogBytes() {
        return queue.bytes();
    }

    @Override
    public int maxPacket() {
        return maxPacket;
    }

    @Override
    public void removed(Packet p) {
        // the ring keeps the totals
    }
}
