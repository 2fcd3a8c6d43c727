package io.nettyvirtual.network.link;

import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;
import java.util.SplittableRandom;

/**
 * Loss after serialization, one of netem's loss models drawn from the simulation's seeded random source: Bernoulli
 * ({@link LinkConfig#loss(double)}, with correlation {@link LinkConfig#loss(double, double)}), Gilbert-Elliott
 * ({@link LinkConfig#gilbertElliott}) or the 4-state Markov model ({@link LinkConfig#lossStates}). Each IP packet is
 * one step of the model (one draw for Bernoulli, none when the loss is 0); a datagram fragmented by the link's MTU
 * takes one step per fragment and is lost, as {@link DropReason#FRAGMENT_LOST}, when any fragment is.
 */
final class Loss extends Stage {
    private static final int GOOD = 1;
    private static final int BAD = 2;

    private double probability;
    private final Correlated draw = new Correlated();
    private int model;
    private double[] q;
    private int mtu;
    /** gemodel: GOOD or BAD; state: 1 to 4 as netem's (1 delivers in a gap, 2 in a burst, 3 and 4 lose). */
    private int state = 1;

    Loss(LinkContext ctx) {
        super(ctx);
    }

    @Override
    boolean configure(LinkConfig config) {
        Impairments i = config.imp;
        probability = config.loss;
        draw.correlation(i.lossCorrelation);
        if (model != i.lossModel) {
            state = 1;
        }
        model = i.lossModel;
        q = i.lossParameters;
        mtu = i.mtu;
        return probability > 0 || model != Impairments.LOSS_BERNOULLI;
    }

    @Override
    void accept(Packet p) {
        int n = mtu == 0 ? 1 : WireOverhead.fragments(p, mtu);
        boolean lost = false;
        for (int f = 0; f < n; f++) {
            lost |= lose(ctx.random());
        }
        if (lost) {
            ctx.drop(p, n > 1 ? DropReason.FRAGMENT_LOST : DropReason.LOSS);
        } else {
            next.accept(p);
        }
    }

    private boolean lose(SplittableRandom r) {
        switch (model) {
            case Impairments.LOSS_GEMODEL: { // q = p, r, 1-h, 1-k (sch_netem.c loss_gilb_ell)
                if (state == GOOD) {
                    boolean lost = r.nextDouble() < q[3];
                    if (r.nextDouble() < q[0]) {
                        state = BAD;
                    }
                    return lost;
                }
                boolean lost = r.nextDouble() < q[2];
                if (r.nextDouble() < q[1]) {
                    state = GOOD;
                }
                return lost;
            }
            case Impairments.LOSS_STATE: { // q = p13, p31, p32, p23, p14 (sch_netem.c loss_4state)
                double u = r.nextDouble();
                switch (state) {
                    case 1:
                        state = u < q[4] ? 4 : u < q[4] + q[0] ? 3 : 1;
                        break;
                    case 2:
                        state = u < q[3] ? 3 : 2;
                        break;
                    case 3:
                        state = u < q[2] ? 2 : u < q[2] + q[1] ? 1 : 3;
                        break;
                    default:
                        state = 1;
                        break;
                }
                return state >= 3;
            }
            default:
                return draw.next(r) < probability;
        }
    }
}
