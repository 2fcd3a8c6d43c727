package io.nettyvirtual.network;

import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.stats.PacketCounters;
import io.nettyvirtual.time.TimedEvent;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.Predicate;

/**
 * One direction of a {@link Wire}: a tail-drop queue in front of a rate limiter, then random loss, then
 * propagation delay, then (optionally) a wait for the next delivery slot. Delay is pipelined: every serialized
 * packet propagates on its own, so a 50 ms link holds as many packets in flight as its rate allows. Packets leave
 * in the order they entered.
 *
 * <p>Settings can be changed while the simulation runs; a change applies to packets that start serializing or
 * propagating afterwards.
 */
public final class Link {
    private final VirtualNetwork network;
    final Counter counter;
    /** The port this direction delivers to: the far end's port, or null while that end is unplugged. */
    Port to;

    private long delayNanos;
    private long bytesPerSecond;
    private int queuePackets;
    private long queueBytes;
    private double loss;
    private long slotNanos;
    private boolean down;
    private Predicate<? super Packet> filter;

    private final ArrayDeque<Packet> queue = new ArrayDeque<>();
    private long queuedBytes;
    private Packet transmitting;
    private long txRemainder;
    private final ArrayDeque<Packet> propagating = new ArrayDeque<>();
    private long lastArrival;

    private final TimedEvent txDone = new TimedEvent() {
        @Override
        protected void fire() {
            transmitted();
        }
    };
    private final TimedEvent arrived = new TimedEvent() {
        @Override
        protected void fire() {
            arrive();
        }
    };

    Link(VirtualNetwork network, String name, LinkConfig config) {
        this.network = network;
        this.counter = new Counter(name);
        this.delayNanos = config.delayNanos;
        this.bytesPerSecond = config.bytesPerSecond;
        this.queuePackets = config.queuePackets;
        this.queueBytes = config.queueBytes;
        this.loss = config.loss;
        this.slotNanos = config.slotNanos;
    }

    /** The link's name: wire name and direction. */
    public String name() {
        return counter.name;
    }

    /** What this direction did with packets so far. */
    public PacketCounters counters() {
        return network.snapshot(counter);
    }

    /** Changes the one-way propagation delay. */
    public Link setDelay(Duration delay) {
        long d = LinkConfig.checkDelay(delay);
        network.lockedRun(() -> delayNanos = d);
        return this;
    }

    /** Changes the rate limit, in bytes per second (must be positive). */
    public Link setBytesPerSecond(long rate) {
        long r = LinkConfig.checkRate(rate);
        network.lockedRun(() -> bytesPerSecond = r);
        return this;
    }

    /** Changes the queue limits. */
    public Link setQueueLimit(int packets, long bytes) {
        int p = LinkConfig.checkQueuePackets(packets);
        long b = LinkConfig.checkQueueBytes(bytes);
        network.lockedRun(() -> {
            queuePackets = p;
            queueBytes = b;
        });
        return this;
    }

    /** Changes the loss probability. */
    public Link setLoss(double probability) {
        double p = LinkConfig.checkLoss(probability);
        network.lockedRun(() -> loss = p);
        return this;
    }

    /** Changes the delivery slot ({@link LinkConfig#slot(Duration)}); zero delivers each packet on arrival. */
    public Link setSlot(Duration interval) {
        long s = LinkConfig.checkSlot(interval);
        network.lockedRun(() -> slotNanos = s);
        return this;
    }

    /**
     * Takes the link down (a blackhole: every packet that enters is dropped as {@link DropReason#LINK_DOWN}; those
     * already inside still arrive) or brings it back up.
     */
    public Link setDown(boolean down) {
        network.lockedRun(() -> this.down = down);
        return this;
    }

    /** Whether the link is down. */
    public boolean isDown() {
        return down;
    }

    /**
     * Drops every packet entering the link for which {@code drop} returns true, as {@link DropReason#FILTERED}
     * (for example the first QUIC Initial). The predicate may look at {@link Packet#content()} but must not consume
     * or release it. {@code null} removes the filter. Runs with the simulation's lock held.
     */
    public Link setFilter(Predicate<? super Packet> drop) {
        network.lockedRun(() -> filter = drop);
        return this;
    }

    /** Current one-way delay in nanoseconds. */
    public long delayNanos() {
        return delayNanos;
    }

    /** Current delivery slot in nanoseconds, 0 when packets are delivered on arrival. */
    public long slotNanos() {
        return slotNanos;
    }

    /** Current rate limit in bytes per second, 0 when unlimited. */
    public long bytesPerSecond() {
        return bytesPerSecond;
    }

    /** Packets waiting in the queue now (not counting the one being serialized). */
    public int queuedPackets() {
        return network.locked(queue::size);
    }

    void accept(Packet p) {
        counter.in(p);
        if (down) {
            network.drop(p, DropReason.LINK_DOWN, counter);
        } else if (filter != null && filter.test(p)) {
            network.drop(p, DropReason.FILTERED, counter);
        } else if (bytesPerSecond == 0) {
            p.releaseCredit();
            propagate(p);
        } else if (transmitting == null) {
            startTransmission(p);
        } else if (queue.size() >= queuePackets || queuedBytes + p.size > queueBytes) {
            network.drop(p, DropReason.QUEUE_FULL, counter);
        } else {
            queue.addLast(p);
            queuedBytes += p.size;
        }
    }

    private void startTransmission(Packet p) {
        transmitting = p;
        long rate = bytesPerSecond;
        long bits = p.size * 1_000_000_000L + txRemainder;
        long nanos = bits / rate;
        txRemainder = bits % rate;
        network.simulation().schedule(txDone, network.simulation().nanoTime() + nanos);
    }

    private void transmitted() {
        Packet p = transmitting;
        transmitting = null;
        p.releaseCredit();
        Packet next = queue.pollFirst();
        if (next != null) {
            queuedBytes -= next.size;
            startTransmission(next);
        }
        propagate(p);
    }

    private void propagate(Packet p) {
        if (loss > 0 && network.simulation().random().nextDouble() < loss) {
            network.drop(p, DropReason.LOSS, counter);
            return;
        }
        long now = network.simulation().nanoTime();
        long slot = slotNanos;
        if (delayNanos == 0 && slot == 0 && propagating.isEmpty()) {
            deliver(p);
            return;
        }
        long arrival = Math.max(now + delayNanos, lastArrival);
        if (slot > 0) {
            long late = arrival % slot;
            if (late != 0) {
                arrival += slot - late; // the next slot boundary; monotonic, so order is kept
            }
        }
        lastArrival = arrival;
        p.arrival = arrival;
        propagating.addLast(p);
        if (!arrived.isScheduled()) {
            network.simulation().schedule(arrived, arrival);
        }
    }

    private void arrive() {
        long now = network.simulation().nanoTime();
        Packet p;
        while ((p = propagating.peekFirst()) != null && p.arrival <= now) {
            propagating.pollFirst();
            deliver(p);
        }
        if (p != null) {
            network.simulation().schedule(arrived, p.arrival);
        }
    }

    private void deliver(Packet p) {
        Port port = to;
        if (port == null) {
            network.drop(p, DropReason.UNPLUGGED, counter);
            return;
        }
        counter.out(p);
        port.node.receive(p, port);
    }

    /** Drops everything inside the link; used when the wire is unplugged or the network closes. */
    void clear() {
        network.simulation().cancel(txDone);
        network.simulation().cancel(arrived);
        if (transmitting != null) {
            network.drop(transmitting, DropReason.UNPLUGGED, counter);
            transmitting = null;
        }
        Packet p;
        while ((p = queue.pollFirst()) != null) {
            network.drop(p, DropReason.UNPLUGGED, counter);
        }
        queuedBytes = 0;
        while ((p = propagating.pollFirst()) != null) {
            network.drop(p, DropReason.UNPLUGGED, counter);
        }
    }

    /** Packets inside the link by structure (queue, serializer, propagation), to check the counters against. */
    int occupancy() {
        return queue.size() + (transmitting != null ? 1 : 0) + propagating.size();
    }

    @Override
    public String toString() {
        return "Link(" + name() + ")";
    }
}
