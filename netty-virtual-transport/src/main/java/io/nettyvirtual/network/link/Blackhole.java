package io.nettyvirtual.network.link;

import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;

/** A link that is down ({@link LinkConfig#down(boolean)}): every packet that enters is dropped as link down. */
final class Blackhole extends Stage {
    Blackhole(LinkContext ctx) {
        super(ctx);
    }

    @Override
    boolean configure(LinkConfig config) {
        return config.down;
    }

    @Override
    void accept(Packet p) {
        ctx.drop(p, DropReason.LINK_DOWN);
    }
}
