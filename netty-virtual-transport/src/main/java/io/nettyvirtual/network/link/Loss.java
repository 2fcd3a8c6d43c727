package io.nettyvirtual.network.link;

import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;

/**
 * Bernoulli loss ({@link LinkConfig#loss(double)}) after serialization: each packet is lost with the configured
 * probability, drawn from the simulation's seeded random source (one draw per packet, none when the loss is 0).
 */
final class Loss extends Stage {
    private double probability;

    Loss(LinkContext ctx) {
        super(ctx);
    }

    @Override
    boolean configure(LinkConfig config) {
        probability = config.loss;
        return probability > 0;
    }

    @Override
    void accept(Packet p) {
        if (ctx.random().nextDouble() < probability) {
            ctx.drop(p, DropReason.LOSS);
        } else {
            next.accept(p);
        }
    }
}
