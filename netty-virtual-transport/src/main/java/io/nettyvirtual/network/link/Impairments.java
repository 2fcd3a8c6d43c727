package io.nettyvirtual.network.link;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The netem-style settings of a {@link LinkConfig} (jitter, loss models, duplication, reordering, corruption, flaps,
 * rate trace, wire overhead, MTU), kept in one value so that {@code LinkConfig} carries them as one field. It is
 * never changed once a config holds it: {@link #with} copies, changes the copy, and hands it out.
 */
final class Impairments implements Cloneable {
    static final Impairments NONE = new Impairments();

    /** Loss models besides Bernoulli, as netem's {@code loss gemodel} and {@code loss state}. */
    static final int LOSS_BERNOULLI = 0;

    static final int LOSS_GEMODEL = 1;
    static final int LOSS_STATE = 2;

    // wire overhead and MTU
    /** Link-layer framing bytes per frame, counted with the IP and UDP headers; -1: payload only. */
    int framing = -1;
    /** Largest IP packet; 0: no MTU. */
    int mtu;

    // delay jitter
    long jitterNanos;
    DelayDistribution distribution = DelayDistribution.UNIFORM;
    double jitterCorrelation;
    boolean jitterPreservesOrder;

    // loss
    double lossCorrelation;
    int lossModel = LOSS_BERNOULLI;
    /** gemodel: p, r, 1-h, 1-k. state: p13, p31, p32, p23, p14. */
    double[] lossParameters = new double[0];

    // duplication, reordering, corruption
    double duplicate;
    double duplicateCorrelation;
    double reorder;
    double reorderCorrelation;
    int reorderGap;
    double corrupt;
    double corruptCorrelation;
    boolean deliverCorrupted;

    // flaps and rate trace
    LinkFlaps flaps;
    RateTrace rateTrace;

    Impairments with(Consumer<Impairments> change) {
        Impairments copy;
        try {
            copy = (Impairments) clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
        change.accept(copy);
        return copy;
    }

    boolean countsHeaders() {
        return framing >= 0;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Impairments)) {
            return false;
        }
        Impairments i = (Impairments) o;
        return framing == i.framing
                && mtu == i.mtu
                && jitterNanos == i.jitterNanos
                && distribution.equals(i.distribution)
                && Double.compare(jitterCorrelation, i.jitterCorrelation) == 0
                && jitterPreservesOrder == i.jitterPreservesOrder
                && Double.compare(lossCorrelation, i.lossCorrelation) == 0
                && lossModel == i.lossModel
                && Arrays.equals(lossParameters, i.lossParameters)
                && Double.compare(duplicate, i.duplicate) == 0
                && Double.compare(duplicateCorrelation, i.duplicateCorrelation) == 0
                && Double.compare(reorder, i.reorder) == 0
                && Double.compare(reorderCorrelation, i.reorderCorrelation) == 0
                && reorderGap == i.reorderGap
                && Double.compare(corrupt, i.corrupt) == 0
                && Double.compare(corruptCorrelation, i.corruptCorrelation) == 0
                && deliverCorrupted == i.deliverCorrupted
                && Objects.equals(flaps, i.flaps)
                && Objects.equals(rateTrace, i.rateTrace);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                framing,
                mtu,
                jitterNanos,
                distribution,
                jitterCorrelation,
                lossModel,
                Arrays.hashCode(lossParameters),
                duplicate,
                reorder,
                reorderGap,
                corrupt,
                flaps,
                rateTrace);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        if (framing >= 0) {
            b.append(", overhead IP+UDP+").append(framing).append(" B");
        }
        if (mtu > 0) {
            b.append(", mtu ").append(mtu);
        }
        if (jitterNanos > 0) {
            b.append(", jitter ")
                    .append(jitterNanos / 1e6)
                    .append(" ms ")
                    .append(distribution)
                    .append(jitterCorrelation == 0 ? "" : " corr " + jitterCorrelation)
                    .append(jitterPreservesOrder ? " in order" : "");
        }
        if (lossCorrelation > 0) {
            b.append(", loss corr ").append(lossCorrelation);
        }
        if (lossModel != LOSS_BERNOULLI) {
            b.append(lossModel == LOSS_GEMODEL ? ", loss gemodel " : ", loss state ")
                    .append(Arrays.toString(lossParameters));
        }
        if (duplicate > 0) {
            b.append(", duplicate ").append(duplicate);
        }
        if (reorder > 0) {
            b.append(", reorder ").append(reorder).append(" gap ").append(reorderGap);
        }
        if (corrupt > 0) {
            b.append(", corrupt ").append(corrupt).append(deliverCorrupted ? " delivered" : "");
        }
        if (flaps != null) {
            b.append(", ").append(flaps);
        }
        if (rateTrace != null) {
            b.append(", ").append(rateTrace);
        }
        return b.toString();
    }
}
