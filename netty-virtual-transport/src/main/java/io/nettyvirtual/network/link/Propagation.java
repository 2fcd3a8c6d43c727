package io.nettyvirtual.network.link;

import io.nettyvirtual.engine.TimedEvent;
import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;

/**
 * Propagation delay ({@link LinkConfig#delay(java.time.Duration)}) with jitter ({@link LinkConfig#jitter}) and
 * reordering ({@link LinkConfig#reorder}), and slotted delivery ({@link LinkConfig#slot(java.time.Duration)}): a
 * packet arrives at the far end its delay after it entered this stage, then waits for the next slot boundary if slots
 * are on. Delay is pipelined (every packet propagates on its own). Without jitter, or with order-preserving jitter,
 * it is order-preserving: a packet never arrives before the one ahead of it, even when the delay was just shortened.
 * With netem's jitter or reordering, packets arrive in the order of their arrival times (ties in the order they
 * entered), so one drawn a shorter delay overtakes. Arrival times saturate at {@link Long#MAX_VALUE} (never) instead
 * of wrapping into the past.
 *
 * <p>Delay and slot are one stage because the slot rounds the arrival time that the delay computes: packets due in
 * the same slot leave in one event, which the receiver reads as one burst. With no delay, no slot and nothing
 * propagating, a packet passes straight through.
 *
 * <p>The packets in flight wait in a ring of (packet, arrival time) pairs, or when they may overtake in a binary heap
 * on (arrival time, entry number); both grow when full and are never shrunk, so propagation allocates nothing per
 * packet. Switching between the two moves what is in flight, keeping its arrival times.
 */
final class Propagation extends Stage {
    private long delayNanos;
    private long slotNanos;
    private long lastArrival;

    private long jitterNanos;
    private DelayDistribution distribution = DelayDistribution.UNIFORM;
    private final Correlated jitterDraw = new Correlated();
    private boolean preserveOrder;
    private double reorder;
    private int gap;
    private int counter;
    private final Correlated reorderDraw = new Correlated();
    /** Whether packets wait in the heap (they may overtake) rather than the ring. */
    private boolean timeOrdered;

    private Packet[] line = new Packet[16];
    private long[] arrivals = new long[16];
    private int head;
    private int size;

    private Packet[] heap = new Packet[16];
    private long[] heapArrivals = new long[16];
    private long[] heapOrder = new long[16];
    private int heapSize;
    private long entered;

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
        Impairments i = config.imp;
        delayNanos = config.delayNanos;
        slotNanos = config.slotNanos;
        jitterNanos = i.jitterNanos;
        distribution = i.distribution;
        jitterDraw.correlation(i.jitterCorrelation);
        preserveOrder = i.jitterPreservesOrder;
        reorder = i.reorder;
        gap = i.reorderGap;
        reorderDraw.correlation(i.reorderCorrelation);
        boolean ordered = (jitterNanos > 0 && !preserveOrder) || reorder > 0;
        if (ordered != timeOrdered) {
            move(ordered);
        }
        return true; // it keeps what is in flight, whatever the delay
    }

    @Override
    void accept(Packet p) {
        long slot = slotNanos;
        long delay = delayNanos;
        boolean overtakes = false;
        if (reorder > 0) { // sch_netem.c netem_enqueue: one of every gap packets goes at once
            if (counter < gap - 1 || reorder <= reorderDraw.next(ctx.random())) {
                counter++;
            } else {
                counter = 0;
                delay = 0;
                overtakes = true;
            }
        }
        if (jitterNanos > 0 && !overtakes) {
            double d = delay + jitterNanos * distribution.quantile(jitterDraw.next(ctx.random()));
            delay = d <= 0 ? 0 : d >= Long.MAX_VALUE ? Long.MAX_VALUE : Math.round(d);
        }
        if (delay == 0 && slot == 0 && size + heapSize == 0) {
            next.accept(p);
            return;
        }
        long arrival = ctx.after(delay);
        if (!timeOrdered || preserveOrder && !overtakes) {
            arrival = Math.max(arrival, lastArrival); // only a reordered packet may overtake
        }
        if (slot > 0) {
            long late = arrival % slot;
            if (late != 0) {
                arrival = LinkContext.saturatedAdd(arrival, slot - late); // the next boundary; order is kept
            }
        }
        lastArrival = Math.max(lastArrival, arrival);
        if (timeOrdered && arrival <= ctx.now() && (heapSize == 0 || heapArrivals[0] > arrival)) {
            next.accept(p); // due now and ahead of all in flight: it leaves at once, as netem's
            return; // packet put at the head of its queue
        }
        if (timeOrdered) {
            heapPush(p, arrival);
            if (heap[0] == p) {
                ctx.schedule(arrived, arrival);
            }
        } else {
            push(p, arrival);
            if (!arrived.isScheduled()) {
                ctx.schedule(arrived, arrival);
            }
        }
    }

    private void arrive() {
        long now = ctx.now();
        if (timeOrdered) {
            while (heapSize > 0 && heapArrivals[0] <= now) {
                next.accept(heapPop());
            }
            if (heapSize > 0) {
                ctx.schedule(arrived, heapArrivals[0]);
            }
            return;
        }
        while (size > 0 && arrivals[head] <= now) {
            next.accept(pop());
        }
        if (size > 0) {
            ctx.schedule(arrived, arrivals[head]);
        }
    }

    /** Moves what is in flight to the heap ({@code toHeap}) or back to the ring, keeping arrival times. */
    private void move(boolean toHeap) {
        if (toHeap) {
            while (size > 0) {
                long a = arrivals[head];
                heapPush(pop(), a);
            }
        } else {
            while (heapSize > 0) {
                long a = heapArrivals[0];
                push(heapPop(), a);
            }
        }
        timeOrdered = toHeap;
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

    private boolean before(int i, int j) {
        return heapArrivals[i] < heapArrivals[j] || heapArrivals[i] == heapArrivals[j] && heapOrder[i] < heapOrder[j];
    }

    private void heapPush(Packet p, long arrival) {
        if (heapSize == heap.length) {
            heap = java.util.Arrays.copyOf(heap, heapSize * 2);
            heapArrivals = java.util.Arrays.copyOf(heapArrivals, heapSize * 2);
            heapOrder = java.util.Arrays.copyOf(heapOrder, heapSize * 2);
        }
        int i = heapSize++;
        heap[i] = p;
        heapArrivals[i] = arrival;
        heapOrder[i] = entered++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(i, parent)) {
                break;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private Packet heapPop() {
        Packet p = heap[0];
        int last = --heapSize;
        swap(0, last);
        heap[last] = null;
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            if (l >= heapSize) {
                break;
            }
            int c = l + 1 < heapSize && before(l + 1, l) ? l + 1 : l;
            if (!before(c, i)) {
                break;
            }
            swap(i, c);
            i = c;
        }
        return p;
    }

    private void swap(int i, int j) {
        Packet p = heap[i];
        heap[i] = heap[j];
        heap[j] = p;
        long a = heapArrivals[i];
        heapArrivals[i] = heapArrivals[j];
        heapArrivals[j] = a;
        long o = heapOrder[i];
        heapOrder[i] = heapOrder[j];
        heapOrder[j] = o;
    }

    @Override
    void clear() {
        ctx.cancel(arrived);
        while (size > 0) {
            ctx.drop(pop(), DropReason.UNPLUGGED);
        }
        while (heapSize > 0) {
            ctx.drop(heapPop(), DropReason.UNPLUGGED);
        }
    }

    @Override
    int occupancy() {
        return size + heapSize;
    }
}
