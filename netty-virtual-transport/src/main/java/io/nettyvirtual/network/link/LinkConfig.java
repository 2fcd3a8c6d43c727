package io.nettyvirtual.network.link;

import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The settings of one direction of a wire, as one immutable value: whether it is down, a packet filter, the
 * tail-drop queue in front of the rate limiter, the rate limit, random loss, propagation delay and slotted delivery.
 * Every setting has a default (up, no filter, a queue of 1,000 packets, no rate limit, no loss, no delay, no slots).
 * Each setting method returns a new config and leaves this one unchanged, so configs can be shared and built in one
 * line; each value is checked when it is set, with a message naming the setting and the value.
 *
 * <p>A config is applied the same way at creation and while the simulation runs:
 * <pre>{@code
 * Wire w = net.newWire(a, b, LinkConfig.delayed(Duration.ofMillis(50)).bitsPerSecond(10_000_000));
 * w.update(c -> c.loss(0.02));                       // both directions, each from its own current config
 * w.aToB().configure(LinkConfig.limited(32_000));    // one direction, every setting at once
 * LinkConfig now = w.bToA().config();
 * }</pre>
 * A change applies to packets that enter the link, start serializing or start propagating afterwards; packets
 * already inside keep the timing they were given.
 *
 * <p>Inside a link the settings are a chain of stages, in this order: down (blackhole), filter, queue and rate
 * limiter, loss, propagation delay with slots, delivery to the far end.
 */
public final class LinkConfig {
    /** Default queue limit in packets (Linux's default txqueuelen). */
    public static final int DEFAULT_QUEUE_PACKETS = 1000;

    private static final LinkConfig IDEAL = new LinkConfig();
    /** The longest delay or slot the clock can count: {@link Long#MAX_VALUE} nanoseconds (about 292 years). */
    private static final Duration MAX_DURATION = Duration.ofNanos(Long.MAX_VALUE);

    // Not final so that a setting method can set one field on a fresh copy (see copy()); a config is never changed
    // after that method returns, so it is immutable to every other code.
    boolean down;
    Predicate<? super Packet> filter;
    int queuePackets = DEFAULT_QUEUE_PACKETS;
    long queueBytes = Long.MAX_VALUE;
    long bytesPerSecond;
    double loss;
    long delayNanos;
    long slotNanos;
    QueueDiscipline.Factory queue;

    /** A config with every default; the same as {@link #ideal()}. */
    public LinkConfig() {
    }

    /** A copy of {@code c}, for a setting method to change one field of before returning it. */
    private LinkConfig(LinkConfig c) {
        this.down = c.down;
        this.filter = c.filter;
        this.queuePackets = c.queuePackets;
        this.queueBytes = c.queueBytes;
        this.bytesPerSecond = c.bytesPerSecond;
        this.loss = c.loss;
        this.delayNanos = c.delayNanos;
        this.slotNanos = c.slotNanos;
        this.queue = c.queue;
    }

    private LinkConfig copy() {
        return new LinkConfig(this);
    }

    /** An ideal link: no delay, no rate limit, no loss. */
    public static LinkConfig ideal() {
        return IDEAL;
    }

    /** A link with {@code delay} of one-way propagation delay. */
    public static LinkConfig delayed(Duration delay) {
        return IDEAL.delay(delay);
    }

    /** A link limited to {@code bytesPerSecond}. */
    public static LinkConfig limited(long bytesPerSecond) {
        return IDEAL.bytesPerSecond(bytesPerSecond);
    }

    // ---- propagation delay

    /**
     * One-way propagation delay; zero or positive, at most {@link Long#MAX_VALUE} nanoseconds. Delay is pipelined:
     * many packets propagate at once, and they leave in the order they entered.
     */
    public LinkConfig delay(Duration delay) {
        return withDelayNanos(checkDuration("delay", delay, ""));
    }

    /** One-way propagation delay in milliseconds; finite, zero or positive, at most {@link Long#MAX_VALUE} ns. */
    public LinkConfig delayMillis(double millis) {
        if (!(millis >= 0) || millis > Long.MAX_VALUE / 1e6) {
            throw new IllegalArgumentException("delay: " + millis
                    + " ms (expected a finite number >= 0 and at most " + Long.MAX_VALUE / 1_000_000 + " ms)");
        }
        return withDelayNanos(Math.round(millis * 1_000_000.0));
    }

    private LinkConfig withDelayNanos(long d) {
        LinkConfig c = copy();
        c.delayNanos = d;
        return c;
    }

    /** The one-way propagation delay. */
    public Duration delay() {
        return Duration.ofNanos(delayNanos);
    }

    // ---- rate limit

    /** Rate limit in bytes per second; serializing a packet takes size / rate. Must be positive. */
    public LinkConfig bytesPerSecond(long bytesPerSecond) {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("bytesPerSecond: " + bytesPerSecond
                    + " bytes/s (expected > 0; use unlimited() for no limit)");
        }
        return withRate(bytesPerSecond);
    }

    /** Rate limit in bits per second (at least 8); kept in whole bytes per second. */
    public LinkConfig bitsPerSecond(long bitsPerSecond) {
        if (bitsPerSecond < 8) {
            throw new IllegalArgumentException("bitsPerSecond: " + bitsPerSecond
                    + " (expected >= 8; use unlimited() for no limit)");
        }
        return withRate(bitsPerSecond / 8);
    }

    /** Removes the rate limit: packets are not serialized and the queue is not used. */
    public LinkConfig unlimited() {
        return withRate(0);
    }

    private LinkConfig withRate(long r) {
        LinkConfig c = copy();
        c.bytesPerSecond = r;
        return c;
    }

    /** The rate limit in bytes per second, 0 when unlimited. */
    public long bytesPerSecond() {
        return bytesPerSecond;
    }

    // ---- queue in front of the rate limiter

    /** Queue limit in packets waiting for the rate limiter (the packet being serialized is not counted). */
    public LinkConfig queuePackets(int packets) {
        if (packets < 0) {
            throw new IllegalArgumentException("queuePackets: " + packets + " (expected >= 0)");
        }
        LinkConfig c = copy();
        c.queuePackets = packets;
        return c;
    }

    /** Queue limit in bytes waiting for the rate limiter. */
    public LinkConfig queueBytes(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("queueBytes: " + bytes + " (expected >= 0)");
        }
        LinkConfig c = copy();
        c.queueBytes = bytes;
        return c;
    }

    /** The queue limit in packets. */
    public int queuePackets() {
        return queuePackets;
    }

    /** The queue limit in bytes ({@link Long#MAX_VALUE}: none). */
    public long queueBytes() {
        return queueBytes;
    }

    /**
     * The queue discipline in front of the rate limiter, e.g. {@code queue(QueueDisciplines.codel())}, one made per
     * link direction; {@code null} (the default) is the tail-drop FIFO limited by {@link #queuePackets(int)} and
     * {@link #queueBytes(long)}, which bound only that default. A change moves the waiting packets, in order, into
     * the new discipline (which may drop some); a config with an equal factory keeps the link's discipline and its
     * state.
     */
    public LinkConfig queue(QueueDiscipline.Factory discipline) {
        LinkConfig c = copy();
        c.queue = discipline;
        return c;
    }

    /** The queue discipline's factory, or null for the default tail-drop FIFO. */
    public QueueDiscipline.Factory queue() {
        return queue;
    }

    // ---- loss

    /** Probability in [0, 1] that a packet is lost after serialization, drawn from the simulation's seeded source. */
    public LinkConfig loss(double probability) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("loss: " + probability + " (expected a probability in [0, 1])");
        }
        LinkConfig c = copy();
        c.loss = probability;
        return c;
    }

    /** The loss probability. */
    public double loss() {
        return loss;
    }

    // ---- slots

    /**
     * Slotted delivery, as tc-netem's {@code slot}: packets that have crossed the link wait for the next multiple of
     * {@code interval} on the simulation clock and are delivered together, the way Wi-Fi aggregates frames, DOCSIS
     * and cellular links grant transmission slots, or a NIC coalesces interrupts. The receiver then reads them as
     * one burst (one {@code channelReadComplete}). Adds up to {@code interval} of delay; order is kept. Zero (the
     * default) delivers each packet at its exact arrival time.
     */
    public LinkConfig slot(Duration interval) {
        long s = checkDuration("slot", interval, "; 0 turns slots off");
        LinkConfig c = copy();
        c.slotNanos = s;
        return c;
    }

    /** The delivery slot, zero when packets are delivered on arrival. */
    public Duration slot() {
        return Duration.ofNanos(slotNanos);
    }

    // ---- down

    /**
     * Takes the link down (a blackhole: every packet that enters is dropped as {@link DropReason#LINK_DOWN}; those
     * already inside still arrive) or brings it back up.
     */
    public LinkConfig down(boolean down) {
        LinkConfig c = copy();
        c.down = down;
        return c;
    }

    /** Whether the link is down. */
    public boolean isDown() {
        return down;
    }

    // ---- filter

    /**
     * Drops every packet entering the link for which {@code drop} returns true, as {@link DropReason#FILTERED}
     * (for example the first QUIC Initial). The predicate may look at {@link Packet#content()} but must not consume
     * or release it; it runs with the simulation's lock held. A predicate that throws drops the packet as
     * {@link DropReason#FILTER_FAILED} and the exception is logged; the simulation goes on. {@code null} removes
     * the filter.
     */
    public LinkConfig filter(Predicate<? super Packet> drop) {
        LinkConfig c = copy();
        c.filter = drop;
        return c;
    }

    /** The packet filter, or null. */
    public Predicate<? super Packet> filter() {
        return filter;
    }

    // ----

    private static long checkDuration(String setting, Duration d, String hint) {
        if (d == null) {
            throw new NullPointerException(setting);
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException(setting + ": " + d + " (expected >= 0" + hint + ")");
        }
        if (d.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException(setting + ": " + d + " (expected at most " + MAX_DURATION
                    + ", the longest the clock counts in nanoseconds" + hint + ")");
        }
        return d.toNanos();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LinkConfig)) {
            return false;
        }
        LinkConfig c = (LinkConfig) o;
        return down == c.down && filter == c.filter && queuePackets == c.queuePackets && queueBytes == c.queueBytes
                && bytesPerSecond == c.bytesPerSecond && Double.compare(loss, c.loss) == 0
                && delayNanos == c.delayNanos && slotNanos == c.slotNanos && Objects.equals(queue, c.queue);
    }

    @Override
    public int hashCode() {
        return Objects.hash(down, System.identityHashCode(filter), queuePackets, queueBytes, bytesPerSecond, loss,
                delayNanos, slotNanos, queue);
    }

    @Override
    public String toString() {
        return "LinkConfig(" + (down ? "down, " : "") + (filter == null ? "" : "filtered, ")
                + "delay " + delayNanos / 1e6 + " ms, "
                + (bytesPerSecond == 0 ? "unlimited" : bytesPerSecond + " B/s")
                + ", queue " + queuePackets + " pkts"
                + (queueBytes == Long.MAX_VALUE ? "" : " / " + queueBytes + " B") + ", loss " + loss
                + (slotNanos == 0 ? "" : ", slot " + slotNanos / 1e6 + " ms")
                + (queue == null ? "" : ", qdisc " + queue) + ")";
    }
}
