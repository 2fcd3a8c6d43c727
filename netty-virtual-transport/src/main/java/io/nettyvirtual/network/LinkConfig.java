package io.nettyvirtual.network;

import java.time.Duration;

/**
 * Settings of one direction of a {@link Wire}: propagation delay, rate limit, the tail-drop queue in front of the
 * rate limiter, random loss and slotted delivery. Every setting has a default (no delay, no rate limit, a queue of
 * 1,000 packets, no loss, no slots), can be given at creation and changed while the simulation runs (see
 * {@link Link}).
 *
 * <p>The seed's wires in one line each:
 * <pre>{@code
 * net.newWire(a, b);                                                    // plain wire
 * net.newWire(a, b, LinkConfig.delayed(Duration.ofMillis(50)));         // 50 ms one way, both directions
 * net.newWire(a, b, LinkConfig.limited(32_000));                        // 32,000 bytes per second
 * }</pre>
 */
public final class LinkConfig {
    /** Default queue limit in packets (Linux's default txqueuelen). */
    public static final int DEFAULT_QUEUE_PACKETS = 1000;

    long delayNanos;
    long bytesPerSecond;
    int queuePackets = DEFAULT_QUEUE_PACKETS;
    long queueBytes = Long.MAX_VALUE;
    double loss;
    long slotNanos;

    /** A config with every default. */
    public LinkConfig() {
    }

    private LinkConfig(LinkConfig o) {
        delayNanos = o.delayNanos;
        bytesPerSecond = o.bytesPerSecond;
        queuePackets = o.queuePackets;
        queueBytes = o.queueBytes;
        loss = o.loss;
        slotNanos = o.slotNanos;
    }

    /** An ideal link: no delay, no rate limit, no loss. */
    public static LinkConfig ideal() {
        return new LinkConfig();
    }

    /** A link with {@code delay} of one-way propagation delay. */
    public static LinkConfig delayed(Duration delay) {
        return new LinkConfig().delay(delay);
    }

    /** A link limited to {@code bytesPerSecond}. */
    public static LinkConfig limited(long bytesPerSecond) {
        return new LinkConfig().bytesPerSecond(bytesPerSecond);
    }

    /** A copy of this config. */
    public LinkConfig copy() {
        return new LinkConfig(this);
    }

    /** One-way propagation delay; must be zero or positive. Delay is pipelined: many packets propagate at once. */
    public LinkConfig delay(Duration delay) {
        delayNanos = checkDelay(delay);
        return this;
    }

    /** One-way propagation delay in milliseconds; must be finite and zero or positive. */
    public LinkConfig delayMillis(double millis) {
        delayNanos = checkDelayMillis(millis);
        return this;
    }

    /** Rate limit in bytes per second; serializing a packet takes size / rate. Must be positive. */
    public LinkConfig bytesPerSecond(long bytesPerSecond) {
        this.bytesPerSecond = checkRate(bytesPerSecond);
        return this;
    }

    /** Rate limit in bits per second (at least 8). */
    public LinkConfig bitsPerSecond(long bitsPerSecond) {
        if (bitsPerSecond < 8) {
            throw new IllegalArgumentException("bitsPerSecond: " + bitsPerSecond + " (expected >= 8)");
        }
        this.bytesPerSecond = bitsPerSecond / 8;
        return this;
    }

    /** Removes the rate limit: packets are not serialized and the queue is never used. */
    public LinkConfig unlimited() {
        this.bytesPerSecond = 0;
        return this;
    }

    /** Queue limit in packets waiting for the rate limiter (the packet being serialized is not counted). */
    public LinkConfig queuePackets(int packets) {
        queuePackets = checkQueuePackets(packets);
        return this;
    }

    /** Queue limit in bytes waiting for the rate limiter. */
    public LinkConfig queueBytes(long bytes) {
        queueBytes = checkQueueBytes(bytes);
        return this;
    }

    /** Probability in [0, 1] that a packet is lost after serialization. */
    public LinkConfig loss(double probability) {
        loss = checkLoss(probability);
        return this;
    }

    /**
     * Slotted delivery, as tc-netem's {@code slot}: packets that have crossed the link wait for the next multiple of
     * {@code interval} on the simulation clock and are delivered together, the way Wi-Fi aggregates frames, DOCSIS
     * and cellular links grant transmission slots, or a NIC coalesces interrupts. The receiver then reads them as
     * one burst (one {@code channelReadComplete}). Adds up to {@code interval} of delay; order is kept. Zero (the
     * default) delivers each packet at its exact arrival time.
     */
    public LinkConfig slot(Duration interval) {
        slotNanos = checkSlot(interval);
        return this;
    }

    static long checkDelay(Duration delay) {
        if (delay == null) {
            throw new NullPointerException("delay");
        }
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay: " + delay + " (expected >= 0)");
        }
        return delay.toNanos();
    }

    static long checkSlot(Duration interval) {
        if (interval == null) {
            throw new NullPointerException("interval");
        }
        if (interval.isNegative()) {
            throw new IllegalArgumentException("slot: " + interval + " (expected >= 0; 0 turns slots off)");
        }
        return interval.toNanos();
    }

    static long checkDelayMillis(double millis) {
        if (Double.isNaN(millis) || Double.isInfinite(millis) || millis < 0) {
            throw new IllegalArgumentException("delay: " + millis + " ms (expected a finite number >= 0)");
        }
        return Math.round(millis * 1_000_000.0);
    }

    static long checkRate(long bytesPerSecond) {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("bandwidth: " + bytesPerSecond
                    + " bytes/s (expected > 0; use unlimited() for no limit)");
        }
        return bytesPerSecond;
    }

    static int checkQueuePackets(int packets) {
        if (packets < 0) {
            throw new IllegalArgumentException("queuePackets: " + packets + " (expected >= 0)");
        }
        return packets;
    }

    static long checkQueueBytes(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("queueBytes: " + bytes + " (expected >= 0)");
        }
        return bytes;
    }

    static double checkLoss(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("loss: " + p + " (expected a probability in [0, 1])");
        }
        return p;
    }

    @Override
    public String toString() {
        return "LinkConfig(delay " + delayNanos / 1e6 + " ms, "
                + (bytesPerSecond == 0 ? "unlimited" : bytesPerSecond + " B/s")
                + ", queue " + queuePackets + " pkts, loss " + loss
                + (slotNanos == 0 ? "" : ", slot " + slotNanos / 1e6 + " ms") + ")";
    }
}
