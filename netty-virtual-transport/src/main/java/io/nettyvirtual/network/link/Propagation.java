package io.nettyvirtual.network.link;

import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.engine.TimedEvent;

/**
 * Propagation delay ({@link LinkConfig#delay(java.time.Duration)}) and slotted delivery
 * ({@link LinkConfig#slot(java.time.Duration)}): a packet arrives at the far end {@code delay} after it entered this
 * stage, then waits for the next slot boundary if slots are on. Delay is pipelined (every packet propagates on its
 * own) and order-preserving: a packet never arrives before the one ahead of it, even when the delay was just
 * shortened. Arrival times saturate at {@link Long#MAX_VALUE} (never) instead of wrapping into the past.
 *
 * <p>Delay and slot are one stage because the slot rounds the arrival time that the delay computes: packets due in
 * the same slot leave in one event, which the receiver reads as one burst. With no delay, no slot and nothing
 * propagating, a packet passes straight through.
 *
 * <p>The packets in flight wait in a ring of (packet, arrival time) pairs that grows when full and is never shrunk,
 * so propagation allocates nothing per packet.
 */
final class Propagation extends Stage {
    private long delayNanos;
    private long slotNanos;
    private long lastArrival;

    private Packet[] line = new Packet[16];
    private long[] arrivals = new long[16];
    private int head;
    private int size;

    private final TimedEvent arrived = new TimedEvent() {
        @Override
        protected void fire() {
            arrive();
        }
    };

    Propagation(LinkContext ctx) {
        super(ctx);
    }

    @Override
    boolean configure(LinkConfig config) {
        delayNanos = config.delayNanos;
        slotNanos = config.slotNanos;
        return true; // it keeps what is in flight in order, whatever the delay
    }

    @Override
    void accept(Packet p) {
        long slot = slotNanos;
        if (delayNanos == 0 && slot == 0 && size == 0) {
            next.accept(p);
            return;
        }
        long arrival = Math.max(ctx.after(delayNanos), lastArrival);
        if (slot > 0) {
            long late = arrival % slot;
            if (late != 0) {
                arrival = LinkContext.saturatedAdd(arrival, slot - late); // the next boundary; order is kept
            }
        }
        lastArrival = arrival;
        push(p, arrival);
        if (!arrived.isScheduled()) {
            ctx.schedule(arrived, arrival);
        }
    }

    private void arrive() {
        long now = ctx.now();
        while (size > 0 && arrivals[head] <= now) {
            next.accept(pop());
        }
        if (size > 0) {
            ctx.schedule(arrived, arrivals[head]);
        }
    }

    private void push(Packet p, long arrival) {
        if (size == line.length) {
            grow();
        }
        int tail = (head + size) & (line.length - 1);
        line[tail] = p;
        arrivals[tail] = arrival;
        size++;
    }

    private Packet pop() {
        Packet p = line[head];
        line[head] = null;
        head = (head + 1) & (line.length - 1);
        size--;
        return p;
    }

    private void grow() {
        int n = line.length;
        Packet[] l = new Packet[n * 2];
        long[] a = new long[n * 2];
        for (int i = 0; i < size; i++) {
            int j = (head + i) & (n - 1);
            l[i] = line[j];
            a[i] = arrivals[j];
        }
        line = l;
        arrivals = a;
        head = 0;
    }

    @Override
    void clear() {
        ctx.cancel(arrived);
        while (size > 0) {
            ctx.drop(pop(), DropReason.UNPLUGGED);
        }
    }

    @Override
    int occupancy() {
        return size;
    }
}
