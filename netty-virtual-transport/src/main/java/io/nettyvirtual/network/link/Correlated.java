package io.nettyvirtual.network.link;

import java.util.SplittableRandom;

/**
 * A uniform random number in [0, 1) correlated with the previous one, as netem's {@code get_crandom}
 * (net/sched/sch_netem.c): {@code next = (1 - c) * u + c * last}, where {@code u} is a fresh draw from the
 * simulation's seeded source and {@code c} the correlation. With no correlation it is the fresh draw. As in netem,
 * a correlation above 0 narrows the spread of the numbers (they are no longer uniform), so a probability compared
 * with them is met less often far from 1/2; see docs/impairments.md.
 */
final class Correlated {
    private double correlation;
    private double last;
    private boolean started;

    void correlation(double c) {
        correlation = c;
    }

    double next(SplittableRandom random) {
        double u = random.nextDouble();
        double c = correlation;
        if (c == 0) {
            return u;
        }
        if (!started) {
            started = true;
            last = u;
            return u;
        }
        last = (1 - c) * u + c * last;
        return last;
    }
}
