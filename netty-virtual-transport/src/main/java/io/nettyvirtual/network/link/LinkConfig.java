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
 * <p>Besides these, the netem-style impairments ({@link #jitter}, {@link #gilbertElliott}, {@link #lossStates},
 * {@link #duplicate}, {@link #reorder}, {@link #corrupt}, {@link #flaps}, {@link #rateTrace}), the bytes counted on
 * the wire ({@link #overhead}) and the MTU ({@link #mtu}) are off by default; {@link LinkPresets} combines them into
 * named profiles.
 *
 * <p>Inside a link the settings are a chain of stages, in this order: down (blackhole), flaps, filter, MTU, queue
 * and rate limiter, loss, duplication, corruption, propagation delay with jitter, reordering and slots, delivery to
 * the far end.
 *
 * <p>Why one class of this size: it is the link's one vocabulary. Every setting is a field, a checked method that
 * returns a new config, and a getter, grouped by the stage that reads it; splitting it would bring back the several
 * vocabularies it replaced.
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
    /** Jitter, loss models, duplication, reordering, corruption, flaps, rate trace, wire overhead and MTU. */
    Impairments imp = Impairments.NONE;

    /** A config with every default; the same as {@link #ideal()}. */
    public LinkConfig() {}

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
        this.imp = c.imp;
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

    // Settings: propagation delay.

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
            throw new IllegalArgumentException("delay: " + millis + " ms (expected a finite number >= 0 and at most "
                    + Long.MAX_VALUE / 1_000_000 + " ms)");
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

    // Settings: rate limit.

    /** Rate limit in bytes per second; serializing a packet takes size / rate. Must be positive. */
    public LinkConfig bytesPerSecond(long bytesPerSecond) {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException(
                    "bytesPerSecond: " + bytesPerSecond + " bytes/s (expected > 0; use unlimited() for no limit)");
        }
        return withRate(bytesPerSecond);
    }

    /** Rate limit in bits per second (at least 8); kept in whole bytes per second. */
    public LinkConfig bitsPerSecond(long bitsPerSecond) {
        if (bitsPerSecond < 8) {
            throw new IllegalArgumentException(
                    "bitsPerSecond: " + bitsPerSecond + " (expected >= 8; use unlimited() for no limit)");
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

    // Settings: queue in front of the rate limiter.

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

    // Settings: loss.

    /**
     * Probability in [0, 1] that a packet is lost after serialization, drawn from the simulation's seeded source
     * (netem's {@code loss random P%}), uncorrelated. It replaces a {@link #gilbertElliott} or {@link #lossStates}
     * model, as each {@code loss} option replaces the last in netem.
     */
    public LinkConfig loss(double probability) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("loss: " + probability + " (expected a probability in [0, 1])");
        }
        LinkConfig c = copy();
        c.loss = probability;
        c.imp = imp.with(i -> {
            i.lossModel = Impairments.LOSS_BERNOULLI; // one loss model at a time, as netem
            i.lossParameters = new double[0];
            i.lossCorrelation = 0;
        });
        return c;
    }

    /** The loss probability. */
    public double loss() {
        return loss;
    }

    // Settings: slots.

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

    // Settings: down.

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

    // Settings: filter.

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

    // Settings: impairments as netem has them, wire overhead and MTU (issue 15).

    private LinkConfig with(Impairments i) {
        LinkConfig c = copy();
        c.imp = i;
        return c;
    }

    /**
     * Counts each datagram's bytes on the wire in the rate limiter (and the rate trace): the payload plus its IP and
     * UDP headers (28 B for IPv4, RFC 791 and RFC 768; 48 B for IPv6, RFC 8200) plus {@code framingBytes} of
     * link-layer framing per frame (for example 14 for an Ethernet header, IEEE 802.3; 38 with preamble, FCS and
     * inter-frame gap), in [0, 65535]. The default counts the payload only, as if overhead were zero.
     */
    public LinkConfig overhead(int framingBytes) {
        if (framingBytes < 0 || framingBytes > 65535) {
            throw new IllegalArgumentException("overhead: " + framingBytes + " B (expected 0 to 65535)");
        }
        return with(imp.with(i -> i.framing = framingBytes));
    }

    /** Counts the payload only on the wire (the default): no IP, UDP or framing bytes. */
    public LinkConfig payloadOnly() {
        return with(imp.with(i -> i.framing = -1));
    }

    /** The framing bytes counted per frame besides the IP and UDP headers, or -1 when only payload counts. */
    public int overhead() {
        return imp.framing;
    }

    /**
     * The link's MTU, the largest IP packet it carries, in [68, 65535] (68: RFC 791's minimum), or 0 for none (the
     * default). A larger datagram is fragmented as Linux does for UDP (RFC 791, RFC 8200 section 4.5): every fragment
     * carries its own IP header (and, with {@link #overhead}, framing) on the wire, and the datagram is lost when any
     * of its fragments is lost. A datagram whose sender asked for don't-fragment
     * ({@link io.nettyvirtual.packet.Packet#dontFragment()}) is dropped as
     * {@link DropReason#MTU_EXCEEDED} instead.
     */
    public LinkConfig mtu(int bytes) {
        if (bytes != 0 && (bytes < 68 || bytes > 65535)) {
            throw new IllegalArgumentException("mtu: " + bytes + " B (expected 68 to 65535, or 0 for none)");
        }
        return with(imp.with(i -> i.mtu = bytes));
    }

    /** The MTU in bytes, 0 for none. */
    public int mtu() {
        return imp.mtu;
    }

    /**
     * Uniform delay jitter: netem's {@code delay TIME JITTER} (each packet's delay in [delay - jitter,
     * delay + jitter)).
     */
    public LinkConfig jitter(Duration jitter) {
        return jitter(jitter, DelayDistribution.UNIFORM, 0);
    }

    /** Delay jitter of the given shape: netem's {@code delay TIME JITTER distribution NAME}. */
    public LinkConfig jitter(Duration jitter, DelayDistribution distribution) {
        return jitter(jitter, distribution, 0);
    }

    /**
     * Delay jitter of the given shape, correlated with the previous packet's as netem's
     * {@code delay TIME JITTER CORRELATION% distribution NAME} (correlation in [0, 1]): a packet's delay is
     * {@code delay + jitter * distribution.quantile(u)}, never below zero, with {@code u} drawn as netem's
     * {@code get_crandom}. As in netem, a packet may overtake one sent before it (unless
     * {@link #jitterPreservesOrder}); zero jitter turns it off.
     */
    public LinkConfig jitter(Duration jitter, DelayDistribution distribution, double correlation) {
        long j = checkDuration("jitter", jitter, "; 0 turns jitter off");
        Objects.requireNonNull(distribution, "jitter distribution");
        checkProbability("jitter correlation", correlation);
        return with(imp.with(i -> {
            i.jitterNanos = j;
            i.distribution = distribution;
            i.jitterCorrelation = correlation;
        }));
    }

    /**
     * Whether jitter keeps the order packets were sent in (a packet then arrives no earlier than the one before it,
     * as a single path does), instead of netem's behaviour, where a packet drawn a shorter delay overtakes (the
     * default, false).
     */
    public LinkConfig jitterPreservesOrder(boolean preserve) {
        return with(imp.with(i -> i.jitterPreservesOrder = preserve));
    }

    /** The delay jitter, zero when off. */
    public Duration jitter() {
        return Duration.ofNanos(imp.jitterNanos);
    }

    /**
     * Bernoulli loss correlated with the previous packet's draw, netem's {@code loss random P% CORRELATION%}: each
     * in [0, 1].
     */
    public LinkConfig loss(double probability, double correlation) {
        checkProbability("loss correlation", correlation);
        LinkConfig c = loss(probability);
        return c.with(c.imp.with(i -> i.lossCorrelation = correlation));
    }

    /**
     * Gilbert-Elliott loss, netem's {@code loss gemodel p r 1-h 1-k} (as probabilities in [0, 1]): a good and a bad
     * state; each packet is lost with probability {@code oneMinusK} in the good state and {@code oneMinusH} in the
     * bad one, then the state moves good to bad with probability {@code p} and bad to good with {@code r}. With
     * {@code oneMinusH = 1} and {@code oneMinusK = 0} (Gilbert's model) loss bursts last 1 / r packets on average.
     * It replaces Bernoulli loss.
     */
    public LinkConfig gilbertElliott(double p, double r, double oneMinusH, double oneMinusK) {
        checkProbability("gemodel p", p);
        checkProbability("gemodel r", r);
        checkProbability("gemodel 1-h", oneMinusH);
        checkProbability("gemodel 1-k", oneMinusK);
        return lossModel(Impairments.LOSS_GEMODEL, new double[] {p, r, oneMinusH, oneMinusK});
    }

    /**
     * netem's 4-state Markov loss, {@code loss state p13 p31 p32 p23 p14} (Salsano et al., "Definition and usage of
     * the Gilbert-Elliott and 4-state Markov models", as probabilities in [0, 1]): state 1 delivers in a gap, 2
     * delivers in a burst, 3 loses in a burst, 4 loses an isolated packet; each packet moves the state and is lost
     * when it enters 3 or 4. Needs {@code p13 + p14 <= 1} and {@code p31 + p32 <= 1}. It replaces Bernoulli loss.
     */
    public LinkConfig lossStates(double p13, double p31, double p32, double p23, double p14) {
        checkProbability("state p13", p13);
        checkProbability("state p31", p31);
        checkProbability("state p32", p32);
        checkProbability("state p23", p23);
        checkProbability("state p14", p14);
        if (p13 + p14 > 1) {
            throw new IllegalArgumentException("state p13 + p14: " + p13 + " + " + p14 + " (expected at most 1)");
        }
        if (p31 + p32 > 1) {
            throw new IllegalArgumentException("state p31 + p32: " + p31 + " + " + p32 + " (expected at most 1)");
        }
        return lossModel(Impairments.LOSS_STATE, new double[] {p13, p31, p32, p23, p14});
    }

    private LinkConfig lossModel(int model, double[] parameters) {
        LinkConfig c = copy();
        c.loss = 0;
        c.imp = imp.with(i -> {
            i.lossModel = model;
            i.lossParameters = parameters;
            i.lossCorrelation = 0;
        });
        return c;
    }

    /** Duplication, netem's {@code duplicate P%}: each packet that crosses is doubled with probability in [0, 1]. */
    public LinkConfig duplicate(double probability) {
        return duplicate(probability, 0);
    }

    /**
     * Duplication with correlation, netem's {@code duplicate P% CORRELATION%} (each in [0, 1]). The copy shares the
     * payload's bytes and counts as a packet sent into the link, so that sent = delivered + dropped + in flight stays
     * exact; each copy then crosses (corruption, jitter) on its own.
     */
    public LinkConfig duplicate(double probability, double correlation) {
        checkProbability("duplicate", probability);
        checkProbability("duplicate correlation", correlation);
        return with(imp.with(i -> {
            i.duplicate = probability;
            i.duplicateCorrelation = correlation;
        }));
    }

    /**
     * Reordering, netem's {@code reorder P% CORRELATION% gap N} (probabilities in [0, 1], gap at least 1): of every
     * {@code gap} packets the first {@code gap - 1} take the configured delay, and then a packet is sent at once
     * (without delay or jitter, so it overtakes those in flight) with probability {@code probability}, otherwise
     * delayed too. netem's {@code reorder P%} alone is gap 1. Without a delay it has nothing to overtake. A
     * probability of 0 turns reordering off.
     */
    public LinkConfig reorder(double probability, double correlation, int gap) {
        checkProbability("reorder", probability);
        checkProbability("reorder correlation", correlation);
        if (gap < 1) {
            throw new IllegalArgumentException("reorder gap: " + gap + " (expected >= 1)");
        }
        return with(imp.with(i -> {
            i.reorder = probability;
            i.reorderCorrelation = probability == 0 ? 0 : correlation; // 0 turns reordering off
            i.reorderGap = probability == 0 ? 0 : gap;
        }));
    }

    /** Corruption, netem's {@code corrupt P%}: a packet gets one flipped payload bit with probability in [0, 1]. */
    public LinkConfig corrupt(double probability) {
        return corrupt(probability, 0);
    }

    /**
     * Corruption with correlation, netem's {@code corrupt P% CORRELATION%} (each in [0, 1]): one random bit of the
     * payload is flipped (in a copy when the bytes are shared). The receiver's UDP checksum then fails, so the packet
     * is dropped as {@link DropReason#CORRUPTED}, unless {@link #deliverCorrupted} says to deliver it.
     */
    public LinkConfig corrupt(double probability, double correlation) {
        checkProbability("corrupt", probability);
        checkProbability("corrupt correlation", correlation);
        return with(imp.with(i -> {
            i.corrupt = probability;
            i.corruptCorrelation = correlation;
        }));
    }

    /** Delivers corrupted packets (as a receiver with UDP checksums off would) instead of dropping them. */
    public LinkConfig deliverCorrupted(boolean deliver) {
        return with(imp.with(i -> i.deliverCorrupted = deliver));
    }

    /** Takes the link down and up on a schedule or at random ({@code null} removes it). */
    public LinkConfig flaps(LinkFlaps flaps) {
        return with(imp.with(i -> i.flaps = flaps));
    }

    /** The flaps, or null. */
    public LinkFlaps flaps() {
        return imp.flaps;
    }

    /**
     * Serializes at a rate that changes over time ({@code null} removes it); while a trace is set it takes the place
     * of {@link #bytesPerSecond(long)}.
     */
    public LinkConfig rateTrace(RateTrace trace) {
        return with(imp.with(i -> i.rateTrace = trace));
    }

    /** The rate trace, or null. */
    public RateTrace rateTrace() {
        return imp.rateTrace;
    }

    private static void checkProbability(String setting, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(setting + ": " + p + " (expected a probability in [0, 1])");
        }
    }

    // Checks shared by the settings.

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
        return down == c.down
                && filter == c.filter
                && queuePackets == c.queuePackets
                && queueBytes == c.queueBytes
                && bytesPerSecond == c.bytesPerSecond
                && Double.compare(loss, c.loss) == 0
                && delayNanos == c.delayNanos
                && slotNanos == c.slotNanos
                && Objects.equals(queue, c.queue)
                && imp.equals(c.imp);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                down,
                System.identityHashCode(filter),
                queuePackets,
                queueBytes,
                bytesPerSecond,
                loss,
                delayNanos,
                slotNanos,
                queue,
                imp);
    }

    @Override
    public String toString() {
        return "LinkConfig(" + (down ? "down, " : "") + (filter == null ? "" : "filtered, ")
                + "delay " + delayNanos / 1e6 + " ms, "
                + (bytesPerSecond == 0 ? "unlimited" : bytesPerSecond + " B/s")
                + ", queue " + queuePackets + " pkts"
                + (queueBytes == Long.MAX_VALUE ? "" : " / " + queueBytes + " B") + ", loss " + loss
                + (slotNanos == 0 ? "" : ", slot " + slotNanos / 1e6 + " ms")
                + (queue == null ? "" : ", qdisc " + queue) + imp + ")";
    }
}
