package io.nettyvirtual.network.link;

import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;

/**
 * The end of every chain: counts the packet out of the link and hands it to the far end's {@link LinkSink}, or
 * drops it as unplugged when that end is not plugged in.
 */
final class Delivery extends Stage {
    LinkSink sink;

    Delivery(LinkContext ctx) {
        super(ctx);
    }

    @Override
    boolean configure(LinkConfig config) {
        return true;
    }

    @Override
    void accept(Packet p) {
        LinkSink s = sink;
        if (s == null) {
            ctx.drop(p, DropReason.UNPLUGGED);
            return;
        }
        ctx.link.out(p);
        s.deliver(p);
    }
}
