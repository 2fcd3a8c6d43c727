package io.nettyvirtual.network.link;

import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;

import java.util.ArrayDeque;

/**
 * First in, first out, limited in packets and in bytes ({@link LinkConfig#queuePackets(int)},
 * {@link LinkConfig#queueBytes(long)}); a packet that does not fit is dropped on arrival as
 * {@link DropReason#QUEUE_FULL}, as Linux's {@code pfifo} and {@code bfifo} do.
 */
final class TailDropFifo implements QueueDiscipline {
    private final LinkContext ctx;
    private final ArrayDeque<Packet> queue = new ArrayDeque<>();
    private long queuedBytes;
    private int limitPackets;
    private long limitBytes;

    TailDropFifo(LinkContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void configure(LinkConfig config) {
        limitPackets = config.queuePackets;
        limitBytes = config.queueBytes;
    }

    @Override
    public void enqueue(Packet p) {
        if (queue.size() >= limitPackets || queuedBytes + p.size() > limitBytes) {
            ctx.drop(p, DropReason.QUEUE_FULL);
        } else {
            queue.addLast(p);
            queuedBytes += p.size();
        }
    }

    @Override
    public Packet dequeue() {
        Packet p = queue.pollFirst();
        if (p != null) {
            queuedBytes -= p.size();
        }
        return p;
    }

    @Override
    public int packets() {
        return queue.size();
    }

    @Override
    public long bytes() {
        return queuedBytes;
    }

    @Override
    public void clear() {
        Packet p;
        while ((p = queue.pollFirst()) != null) {
            ctx.drop(p, DropReason.UNPLUGGED);
        }
        queuedBytes = 0;
    }
}
