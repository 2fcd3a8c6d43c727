package io.nettyvirtual.network.link;

import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;

/**
 * Link flaps ({@link LinkConfig#flaps(LinkFlaps)}): while the schedule says down, a packet entering is dropped as
 * {@link DropReason#LINK_DOWN}, as by a blackhole. The state is computed from the clock when a packet enters (no
 * events); random periods are drawn from the simulation's seeded source as the clock passes them.
 */
final class Flaps extends Stage {
    private LinkFlaps flaps;
    private long start;
    private boolean randomDown;
    private long nextToggle;

    Flaps(LinkContext ctx) {
        super(ctx);
    }

    @Override
    boolean configure(LinkConfig config) {
        LinkFlaps f = config.imp.flaps;
        if (f != null && !f.equals(flaps)) {
            start = ctx.now();
            randomDown = false;
            nextToggle = f.upDown == null ? LinkContext.saturatedAdd(start, exponential(f.meanUp)) : 0;
        }
        flaps = f;
        return f != null;
    }

    @Override
    void accept(Packet p) {
        if (isDown()) {
            ctx.drop(p, DropReason.LINK_DOWN);
        } else {
            next.accept(p);
        }
    }

    private boolean isDown() {
        long now = ctx.now();
        if (flaps.upDown != null) {
            return flaps.downAt(now - start);
        }
        while (now >= nextToggle) {
            randomDown = !randomDown;
            nextToggle = LinkContext.saturatedAdd(nextToggle, exponential(randomDown ? flaps.meanDown : flaps.meanUp));
        }
        return randomDown;
    }

    private long exponential(long mean) {
        double u = ctx.random().nextDouble();
        return Math.max(1, Math.round(-mean * Math.log1p(-u)));
    }
}
