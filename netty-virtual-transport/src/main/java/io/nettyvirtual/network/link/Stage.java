package io.nettyvirtual.network.link;

import io.nettyvirtual.packet.Packet;

/**
 * One step of a link direction's path, one concept per subclass (a queue and rate limiter, loss, delay...), the way
 * neqo's simulator chains nodes. A stage takes a packet it then owns, and either drops it through
 * {@link LinkContext#drop}, holds it (then it counts in {@link #occupancy()}) or hands it to {@link #next}.
 *
 * <p>Stages live as long as their link. {@link LinkChain} creates them once in a fixed order, tells each one the
 * config with {@link #configure} and links every stage to the next <em>active</em> one, so an inactive stage costs
 * nothing. A stage that holds packets stays active, so that nothing overtakes what it holds.
 */
abstract class Stage {
    final LinkContext ctx;
    /** Where this stage hands packets on; set by {@link LinkChain} on every configuration. */
    Stage next;

    Stage(LinkContext ctx) {
        this.ctx = ctx;
    }

    /** Takes ownership of {@code p}. Called with the simulation's lock held. */
    abstract void accept(Packet p);

    /**
     * Reads this stage's settings from {@code config} (already validated) and returns whether the stage is part of
     * the chain; a change applies to packets the stage takes afterwards.
     */
    abstract boolean configure(LinkConfig config);

    /** Drops, as {@link io.nettyvirtual.stats.DropReason#UNPLUGGED}, every packet this stage holds. */
    void clear() {}

    /** Packets this stage holds now. */
    int occupancy() {
        return 0;
    }
}
