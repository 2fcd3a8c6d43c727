package io.nettyvirtual.network;

import io.nettyvirtual.network.link.LinkChain;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.network.link.LinkSink;
import io.nettyvirtual.network.link.QueueStats;
import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.Counter;
import io.nettyvirtual.stats.PacketCounters;
import io.nettyvirtual.stats.PacketTap;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * One direction of a {@link Wire}. A packet that enters goes through a chain of stages in a fixed order: dropped if
 * the link is down, dropped if the filter says so, queued (tail drop) in front of the rate limiter and serialized,
 * lost at random, propagated (pipelined: a 50 ms link holds as many packets in flight as its rate allows), held for
 * the next delivery slot, and delivered to the far end. Packets leave in the order they entered.
 *
 * <p>All settings are one {@link LinkConfig}, applied the same way at creation and while the simulation runs:
 * {@link #configure(LinkConfig)} replaces it, {@link #update(UnaryOperator)} derives the new one from the current
 * one ({@code link.update(c -> c.loss(0.02))}). A change applies to packets that enter the link, start serializing
 * or start propagating afterwards.
 */
public final class Link {
    private final NetworkModel model;
    final Counter counter;
    private final LinkChain chain;

    Link(NetworkModel model, String name, LinkConfig config) {
        this.model = model;
        this.counter = new Counter(name, model.simulation()::nanoTime, false);
        this.chain = new LinkChain(model.simulation(), counter, model.total, config);
    }

    /** The link's name: wire name and direction. */
    public String name() {
        return model.locked(() -> counter.name());
    }

    /** What this direction did with packets so far. */
    public PacketCounters counters() {
        return model.snapshot(counter);
    }

    /** Attaches {@code tap} to this link: it sees each packet enter, leave (delivered) and be dropped here. */
    public Link addTap(PacketTap tap) {
        if (tap == null) {
            throw new NullPointerException("tap");
        }
        model.locked(() -> counter.attach(tap));
        return this;
    }

    /** Detaches {@code tap} from this link. */
    public Link removeTap(PacketTap tap) {
        model.locked(() -> counter.detach(tap));
        return this;
    }

    /** The settings in force. */
    public LinkConfig config() {
        return model.locked(chain::config);
    }

    /** Replaces every setting with {@code config}'s. */
    public Link configure(LinkConfig config) {
        Objects.requireNonNull(config, "config");
        model.locked(() -> apply(config));
        return this;
    }

    /**
     * Applies the config that {@code change} derives from the one in force, atomically: for example
     * {@code link.update(c -> c.delay(Duration.ofMillis(30)).loss(0.01))}. The function runs with the simulation's
     * lock held; if it throws, nothing changes.
     */
    public Link update(UnaryOperator<LinkConfig> change) {
        Objects.requireNonNull(change, "change");
        model.locked(() -> apply(derive(change)));
        return this;
    }

    /** The config {@code change} makes of the one in force; called with the lock held. */
    LinkConfig derive(UnaryOperator<LinkConfig> change) {
        LinkConfig next = change.apply(chain.config());
        if (next == null) {
            throw new NullPointerException("the update of link " + counter.name() + " returned null");
        }
        return next;
    }

    /** Applies {@code config}; called with the lock held. */
    void apply(LinkConfig config) {
        chain.configure(config);
        model.changed(counter.name(), "configured", config);
    }

    /** Packets waiting in the queue now (not counting the one being serialized). */
    public int queuedPackets() {
        return model.locked(chain::queuedPackets);
    }

    /** What this direction's queue discipline did so far: backlog, sojourn times, drops and ECN marks by reason. */
    public QueueStats queueStats() {
        return model.locked(chain::queueStats);
    }

    void accept(Packet p) {
        chain.accept(p);
    }

    /** Delivers to {@code to} from now on, or drops as unplugged when null. */
    void connect(LinkSink to) {
        chain.attach(to);
    }

    /** Drops everything inside the link; used when the wire is unplugged or the network closes. */
    void clear() {
        chain.clear();
    }

    /** Packets inside the link by structure (queue, serializer, propagation), to check the counters against. */
    int occupancy() {
        return chain.occupancy();
    }

    @Override
    public String toString() {
        return "Link(" + counter.name() + ")";
    }
}
