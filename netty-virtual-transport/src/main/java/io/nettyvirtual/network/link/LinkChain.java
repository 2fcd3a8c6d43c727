package io.nettyvirtual.network.link;

import io.nettyvirtual.engine.Simulation;
import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.Counter;
import io.nettyvirtual.stats.DropReason;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The stages of one link direction, in their fixed order: down (blackhole) -> flaps -> filter -> MTU (don't-fragment
 * check) -> queue and rate limiter -> loss -> duplication -> corruption -> propagation delay, jitter, reordering and
 * slots -> delivery to the far end. The order after the rate limiter is netem's (sch_netem.c netem_enqueue: loss,
 * then duplication, then corruption, then delay), each copy of a duplicate corrupted and delayed on its own. It is
 * the network model's handle on a link's path (users configure a link through {@code Link} and {@link LinkConfig});
 * every method is called with the simulation's lock held.
 *
 * <p>The stages are created once. {@link #configure} hands the config to every stage and links each one to the
 * next stage that is active, so a setting that is off (no loss, no filter, link up) is absent from the path
 * rather than a test on every packet. Adding an impairment is one {@code Stage} file, one setting in
 * {@link LinkConfig} and one line in {@link #STANDARD}.
 */
public final class LinkChain {
    /** The standard stages, in path order; the last one must be {@link Delivery}. */
    static final List<Function<LinkContext, Stage>> STANDARD = List.of(
            Blackhole::new,
            Flaps::new,
            Filter::new,
            Mtu::new,
            Serializer::new,
            Loss::new,
            Duplicate::new,
            Corrupt::new,
            Propagation::new,
            Delivery::new);

    private final LinkContext ctx;
    private final Stage[] stages;
    private final Serializer serializer;
    private final Delivery delivery;
    private Stage head;
    private LinkConfig config;

    /**
     * The path of a link direction on {@code simulation} that counts at {@code link} and network-wide at
     * {@code total}, configured with {@code config}. It delivers nowhere (drops as unplugged) until
     * {@link #attach}ed.
     */
    public LinkChain(Simulation simulation, Counter link, Counter total, LinkConfig config) {
        this(simulation, link, total, config, STANDARD);
    }

    /** A chain of other stages (a test's), in path order, ending in a {@link Delivery}. */
    LinkChain(
            Simulation simulation,
            Counter link,
            Counter total,
            LinkConfig config,
            List<Function<LinkContext, Stage>> order) {
        this.ctx = new LinkContext(simulation, link, total);
        this.stages = new Stage[order.size()];
        Serializer s = null;
        for (int i = 0; i < stages.length; i++) {
            stages[i] = order.get(i).apply(ctx);
            if (stages[i] instanceof Serializer) {
                s = (Serializer) stages[i];
            }
        }
        if (!(stages[stages.length - 1] instanceof Delivery)) {
            throw new IllegalArgumentException("a link chain must end in a Delivery stage: " + order);
        }
        this.serializer = s;
        this.delivery = (Delivery) stages[stages.length - 1];
        configure(config);
    }

    /** The settings in force. */
    public LinkConfig config() {
        return config;
    }

    /** Applies {@code config}: to packets that enter a stage afterwards; packets inside keep their timing. */
    public void configure(LinkConfig config) {
        Objects.requireNonNull(config, "config");
        Stage nextActive = null;
        for (int i = stages.length - 1; i >= 0; i--) {
            Stage s = stages[i];
            s.next = nextActive;
            if (s.configure(config)) {
                nextActive = s;
            }
        }
        head = nextActive;
        this.config = config;
    }

    /** Delivers to {@code sink} from now on; null when the far end is unplugged (packets are then dropped). */
    public void attach(LinkSink sink) {
        delivery.sink = sink;
    }

    /** Takes {@code p} into the link; it counts as sent into the link and is owned by the stages. */
    public void accept(Packet p) {
        ctx.link.in(p);
        head.accept(p);
    }

    /** Drops everything inside the link as unplugged; used when the wire is unplugged or the network closes. */
    public void clear() {
        for (Stage s : stages) {
            s.clear();
        }
    }

    /** Packets inside the link by structure (queue, serializer, propagation), to check the counters against. */
    public int occupancy() {
        int n = 0;
        for (Stage s : stages) {
            n += s.occupancy();
        }
        return n;
    }

    /** Packets waiting in the queue now (not counting the one being serialized). */
    public int queuedPackets() {
        return serializer == null ? 0 : serializer.queuedPackets();
    }

    /**
     * What the queue discipline did: backlog, sojourn times, drops and ECN marks by reason (zeros when the chain
     * has no rate limiter stage).
     */
    public QueueStats queueStats() {
        return serializer == null
                ? new QueueStats(
                        0, 0, 0, 0, 0, new long[DropReason.values().length], new long[MarkReason.values().length])
                : serializer.queueStats();
    }

    /** The active stages in path order, e.g. {@code Serializer -> Propagation -> Delivery}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Stage s = head; s != null; s = s.next) {
            b.append(b.length() == 0 ? "" : " -> ").append(s.getClass().getSimpleName());
        }
        return b.toString();
    }
}
