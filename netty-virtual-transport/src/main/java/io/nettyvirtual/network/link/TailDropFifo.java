package io.nettyvirtual.network.link;

import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;

/**
 * First in, first out, limited in packets and in bytes; a packet that does not fit is dropped on arrival as
 * {@link DropReason#QUEUE_FULL}, as Linux's {@code pfifo} and {@code bfifo} do. The link's default discipline takes
 * its limits from {@link LinkConfig#queuePackets(int)} and {@link LinkConfig#queueBytes(long)};
 * {@link QueueDisciplines#pfifo(int)} and {@link QueueDisciplines#bfifo(long)} fix them.
 */
final class TailDropFifo extends FifoQueue {
    /** The factory of {@code pfifo}/{@code bfifo} with fixed limits. */
    record Spec(int limitPackets, long limitBytes) implements Factory {
        @Override
        public QueueDiscipline create(Context ctx) {
            return new TailDropFifo(ctx, limitPackets, limitBytes);
        }

        @Override
        public String toString() {
            return limitBytes == Long.MAX_VALUE ? "pfifo limit " + limitPackets : "bfifo limit " + limitBytes;
        }
    }

    private int limitPackets;
    private long limitBytes;

    TailDropFifo(Context ctx, int limitPackets, long limitBytes) {
        super(ctx, 16);
        this.limitPackets = limitPackets;
        this.limitBytes = limitBytes;
    }

    /** For the link's default queue: takes the limits from {@code config}; packets already waiting are kept. */
    void configure(LinkConfig config) {
        limitPackets = config.queuePackets;
        limitBytes = config.queueBytes;
    }

    @Override
    public void enqueue(Packet p) {
        if (queue.size() >= limitPackets || queue.bytes() + p.size() > limitBytes) {
            ctx.drop(p, DropReason.QUEUE_FULL);
        } else {
            queue.addLast(p, ctx.now());
        }
    }
}
