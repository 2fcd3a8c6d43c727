package io.nettyvirtual.network.link;

import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;

/**
 * Corruption ({@link LinkConfig#corrupt(double, double)}), as netem's {@code corrupt}: with the configured
 * (correlated) probability one random bit of the payload is flipped ({@link Packet#flipBit}, which copies shared
 * bytes first). The receiver's UDP checksum would then fail, so the packet is dropped as
 * {@link DropReason#CORRUPTED}, unless the link delivers corrupted packets ({@link LinkConfig#deliverCorrupted}).
 * An empty payload has no bit to flip and passes.
 */
final class Corrupt extends Stage {
    private double probability;
    private boolean deliver;
    private final Correlated draw = new Correlated();

    Corrupt(LinkContext ctx) {
        super(ctx);
    }

    @Override
    boolean configure(LinkConfig config) {
        probability = config.imp.corrupt;
        deliver = config.imp.deliverCorrupted;
        draw.correlation(config.imp.corruptCorrelation);
        return probability > 0;
    }

    @Override
    void accept(Packet p) {
        if (p.size() == 0 || !(draw.next(ctx.random()) < probability)) {
            next.accept(p);
            return;
        }
        p.flipBit(ctx.random().nextLong(8L * p.size()));
        if (deliver) {
            next.accept(p);
        } else {
            ctx.drop(p, DropReason.CORRUPTED);
        }
    }
}
