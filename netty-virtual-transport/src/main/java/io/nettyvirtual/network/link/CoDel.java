package io.nettyvirtual.network.link;

import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;

/**
 * The CoDel control law of RFC 8289 for one FIFO ({@link PacketRing}), as the RFC's pseudocode: the sojourn time is
 * checked when a packet leaves; once it has stayed above {@code target} for {@code interval} the head packet is
 * dropped (or, with ECN, marked CE as Linux does) and the next drop is scheduled at
 * {@code drop_next = t + interval / sqrt(count)}; on re-entering the dropping state soon after leaving it, the
 * count resumes from {@code count - lastcount}. The square root is exact (Linux and ns-3 approximate it by Newton
 * steps on a fixed-point inverse). Used on its own by {@link CoDelQueue} and per flow by {@link FqCoDelQueue}.
 */
final class CoDel {
    /** The discipline the FIFO belongs to: it keeps the totals the "backlog below one MTU" test reads. */
    interface Host {
        /** Bytes waiting in the whole discipline now. */
        long backlogBytes();

        /** The largest packet the discipline has taken (RFC 8289's {@code maxpacket}). */
        int maxPacket();

        /** {@code p} has just left the FIFO (to leave or to be dropped): the host updates its totals. */
        void removed(Packet p);
    }

    private final long target;
    private final long interval;
    private final boolean ecn;
    private final long ceThreshold;
    private long firstAboveTime;
    private long dropNext;
    private int count;
    private int lastCount;
    private boolean dropping;
    // the outcome of the last doDequeue
    private boolean okToDrop;
    private long sojourn;

    CoDel(long target, long interval, boolean ecn) {
        this(target, interval, ecn, -1);
    }

    /**
     * With {@code ceThreshold >= 0}, every ECN-capable packet that leaves after waiting longer than it is also
     * marked CE ({@code ce_threshold}, Linux's codel_dequeue), whatever the control law does.
     */
    CoDel(long target, long interval, boolean ecn, long ceThreshold) {
        this.target = target;
        this.interval = interval;
        this.ecn = ecn;
        this.ceThreshold = ceThreshold;
    }

    /** The next packet to leave {@code q}, after dropping (or marking) as the control law says; null when empty. */
    Packet dequeue(QueueDiscipline.Context ctx, PacketRing q, Host host) {
        long now = ctx.now();
        Packet p = doDequeue(now, q, host);
        if (dropping) {
            if (!okToDrop) {
                dropping = false; // sojourn time below target: leave the dropping state
            }
            while (dropping && now >= dropNext) {
                count++;
                if (ecn && ctx.mark(p, MarkReason.AQM)) {
                    dropNext = controlLaw(dropNext, count);
                    break; // the marked packet leaves
                }
                ctx.drop(p, DropReason.AQM_DROP);
                p = doDequeue(now, q, host);
                if (!okToDrop) {
                    dropping = false;
                } else {
                    dropNext = controlLaw(dropNext, count);
                }
            }
        } else if (okToDrop) {
            if (!(ecn && ctx.mark(p, MarkReason.AQM))) {
                ctx.drop(p, DropReason.AQM_DROP);
                p = doDequeue(now, q, host);
            }
            dropping = true;
            int delta = count - lastCount;
            count = 1;
            if (delta > 1 && now - dropNext < 16 * interval) {
                count = delta; // the drop rate that controlled the queue last time is a good start
            }
            dropNext = controlLaw(now, count);
            lastCount = count;
        }
        if (p != null) {
            if (ceThreshold >= 0 && sojourn > ceThreshold) {
                ctx.mark(p, MarkReason.CE_THRESHOLD);
            }
            ctx.departed(sojourn);
        }
        return p;
    }

    private Packet doDequeue(long now, PacketRing q, Host host) {
        if (q.isEmpty()) {
            firstAboveTime = 0; // an empty queue is not above target
            okToDrop = false;
            return null;
        }
        sojourn = now - q.firstTime();
        Packet p = q.pollFirst();
        host.removed(p);
        okToDrop = false;
        if (sojourn < target || host.backlogBytes() <= host.maxPacket()) {
            firstAboveTime = 0; // went below: stay below for at least interval
        } else if (firstAboveTime == 0) {
            firstAboveTime = now + interval;
        } else if (now >= firstAboveTime) {
            okToDrop = true;
        }
        return p;
    }

    private long controlLaw(long t, int c) {
        return t + (long) (interval / Math.sqrt(c));
    }

    /** {@code nanos} as tc writes a time: whole milliseconds, or microseconds. */
    static String ms(long nanos) {
        return nanos % 1_000_000 == 0 ? nanos / 1_000_000 + "ms" : nanos / 1000.0 + "us";
    }
}
