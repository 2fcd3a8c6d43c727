package io.nettyvirtual.network.link;

import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;

/**
 * The link's MTU ({@link LinkConfig#mtu(int)}) at its entry: a datagram larger than the MTU whose sender asked for
 * don't-fragment is dropped as {@link DropReason#MTU_EXCEEDED} (a router would answer ICMP "fragmentation needed",
 * RFC 1191); any other goes on, and the serializer and loss count its fragments ({@link WireOverhead}).
 */
final class Mtu extends Stage {
    private int mtu;

    Mtu(LinkContext ctx) {
        super(ctx);
    }

    @Override
    boolean configure(LinkConfig config) {
        mtu = config.imp.mtu;
        return mtu > 0;
    }

    @Override
    void accept(Packet p) {
        if (p.dontFragment() && WireOverhead.ipSize(p) > mtu) {
            ctx.drop(p, DropReason.MTU_EXCEEDED);
        } else {
            next.accept(p);
        }
    }
}
