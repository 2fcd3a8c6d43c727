package io.nettyvirtual.network.link;

import io.nettyvirtual.packet.Packet;

/**
 * Duplication ({@link LinkConfig#duplicate(double, double)}), as netem's {@code duplicate}: a packet that was not lost
 * is doubled with the configured (correlated) probability. The copy shares the payload's bytes
 * ({@link Packet#duplicate()}) and is counted as a packet sent into the link ({@link LinkContext#admit}), so that
 * sent = delivered + dropped + in flight stays exact; it follows the original and crosses the rest of the link on
 * its own.
 */
final class Duplicate extends Stage {
    private double probability;
    private final Correlated draw = new Correlated();

    Duplicate(LinkContext ctx) {
        super(ctx);
    }

    @Override
    boolean configure(LinkConfig config) {
        probability = config.imp.duplicate;
        draw.correlation(config.imp.duplicateCorrelation);
        return probability > 0;
    }

    @Override
    void accept(Packet p) {
        if (draw.next(ctx.random()) < probability) {
            Packet copy = p.duplicate();
            ctx.admit(copy);
            next.accept(p);
            next.accept(copy);
        } else {
            next.accept(p);
        }
    }
}
