package io.nettyvirtual.network.link;

import java.util.Arrays;
import java.util.Objects;

/**
 * The shape of a link's delay jitter ({@link LinkConfig#jitter(java.time.Duration, DelayDistribution)}), as
 * netem's {@code delay TIME JITTER distribution NAME}: the quantile function of a standardized distribution, so
 * that a packet's delay is {@code delay + jitter * quantile(u)} for a uniform (or correlated) random {@code u} in
 * [0, 1). netem draws from a table of such values ({@code /usr/lib/tc/*.dist}, built by iproute2's
 * {@code maketable}); the built-in shapes here use the analytic forms instead, and {@link #table} takes a table
 * like netem's for a user-supplied shape.
 */
@FunctionalInterface
public interface DelayDistribution {
    /** The standardized value at probability {@code u} in [0, 1); must be non-decreasing in {@code u}. */
    double quantile(double u);

    /**
     * netem's default with no distribution named: uniform over [delay - jitter, delay + jitter) (sch_netem.c's
     * {@code tabledist} without a table).
     */
    DelayDistribution UNIFORM = new Named("uniform") {
        @Override
        public double quantile(double u) {
            return 2 * u - 1;
        }
    };

    /** The normal distribution, jitter being its standard deviation (netem's {@code normal.dist}). */
    DelayDistribution NORMAL = new Named("normal") {
        @Override
        public double quantile(double u) {
            return Quantiles.normal(u);
        }
    };

    /**
     * A Pareto distribution of shape 3 (the shape iproute2's {@code pareto.dist} uses), shifted and scaled to mean 0
     * and standard deviation 1: heavy-tailed to the late side, never more than 0.577 jitter early.
     */
    DelayDistribution PARETO = new Named("pareto") {
        @Override
        public double quantile(double u) {
            return Quantiles.pareto(u);
        }
    };

    /**
     * netem's {@code paretonormal}: as iproute2's {@code paretonormal.c}, a quarter of the normal plus three quarters
     * of the Pareto above, taken at the same probability.
     */
    DelayDistribution PARETO_NORMAL = new Named("paretonormal") {
        @Override
        public double quantile(double u) {
            return 0.25 * Quantiles.normal(u) + 0.75 * Quantiles.pareto(u);
        }
    };

    /**
     * A user-supplied shape as netem's tables: {@code values} (standardized, e.g. in units of the jitter; at least
     * one, all finite) are sorted once and a packet draws one of them with equal probability. The array is copied.
     */
    static DelayDistribution table(double... values) {
        Objects.requireNonNull(values, "values");
        if (values.length == 0) {
            throw new IllegalArgumentException("distribution table: empty (expected at least one value)");
        }
        double[] t = values.clone();
        for (double v : t) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("distribution table: " + v + " (expected finite values)");
            }
        }
        Arrays.sort(t);
        return new Named("table of " + t.length) {
            @Override
            public double quantile(double u) {
                int i = (int) (u * t.length);
                return t[Math.min(Math.max(i, 0), t.length - 1)];
            }
        };
    }

    /** A built-in shape with a name for {@code toString}. */
    abstract class Named implements DelayDistribution {
        private final String name;

        Named(String name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
