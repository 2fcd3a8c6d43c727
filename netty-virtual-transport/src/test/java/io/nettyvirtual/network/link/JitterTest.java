package io.nettyvirtual.network.link;

import static io.nettyvirtual.network.link.ChainRig.MS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.ParetoDistribution;
import org.apache.commons.math3.distribution.RealDistribution;
import org.apache.commons.math3.distribution.UniformRealDistribution;
import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.Test;

/** Delay jitter: netem's distributions (Kolmogorov-Smirnov against the configured one), correlation and order. */
class JitterTest {
    private static final long DELAY = 100 * MS;
    private static final long JITTER = 10 * MS;
    private static final int N = 5000;

    /** Each packet's delay, by the order it was sent (packet i has size i + 1), all sent at time 0. */
    private static double[] delays(long seed, LinkConfig config, int n) throws Exception {
        double[] d = new double[n];
        try (ChainRig rig = new ChainRig(seed, config)) {
            for (int i = 0; i < n; i++) {
                rig.send(1, i + 1);
            }
            rig.sim.runUntilIdle();
            assertEquals(n, rig.arrivals.size());
            for (ChainRig.Arrival a : rig.arrivals) {
                d[a.size - 1] = a.nanos;
            }
        }
        return d;
    }

    private static void assertFits(
            long seed, DelayDistribution shape, RealDistribution expected, double shift, double scale)
            throws Exception {
        double[] d =
                delays(seed, LinkConfig.delayed(Duration.ofNanos(DELAY)).jitter(Duration.ofNanos(JITTER), shape), N);
        double[] x = new double[N];
        for (int i = 0; i < N; i++) {
            x[i] = (d[i] - DELAY) / JITTER * scale + shift;
        }
        double pValue = new KolmogorovSmirnovTest().kolmogorovSmirnovTest(expected, x);
        assertTrue(pValue > 0.001, "seed " + seed + ", " + shape + ": KS p-value " + pValue);
    }

    @Test
    void uniformJitterSpansDelayPlusOrMinusJitter() throws Exception {
        assertFits(31, DelayDistribution.UNIFORM, new UniformRealDistribution(-1, 1), 0, 1);
    }

    @Test
    void normalJitterHasTheJitterAsStandardDeviation() throws Exception {
        assertFits(32, DelayDistribution.NORMAL, new NormalDistribution(0, 1), 0, 1);
    }

    @Test
    void paretoJitterIsParetoOfShapeThreeStandardized() throws Exception {
        // Back from mean 0 and sd 1 to Pareto(scale 1, shape 3): x * sqrt(3) / 2 + 1.5.
        assertFits(33, DelayDistribution.PARETO, new ParetoDistribution(1, 3), 1.5, Math.sqrt(3) / 2);
    }

    @Test
    void aUserSuppliedTableIsDrawnUniformly() throws Exception {
        double[] d = delays(
                34,
                LinkConfig.delayed(Duration.ofNanos(DELAY))
                        .jitter(Duration.ofNanos(JITTER), DelayDistribution.table(2, -1, 0, 0)),
                4000);
        int[] counts = new int[3];
        for (double v : d) {
            long k = Math.round((v - DELAY) / JITTER);
            counts[k == -1 ? 0 : k == 0 ? 1 : 2]++;
        }
        assertEquals(4000, counts[0] + counts[1] + counts[2], "only the table's values");
        assertEquals(1000, counts[0], 100);
        assertEquals(2000, counts[1], 120);
        assertEquals(1000, counts[2], 100);
    }

    @Test
    void paretoNormalJitterFollowsItsQuantileFunction() throws Exception {
        // The CDF of iproute2's paretonormal mix, by inverting its (increasing) quantile function.
        RealDistribution mix = new org.apache.commons.math3.distribution.AbstractRealDistribution(null) {
            @Override
            public double cumulativeProbability(double x) {
                double lo = 0;
                double hi = 1;
                for (int i = 0; i < 60; i++) {
                    double mid = (lo + hi) / 2;
                    if (DelayDistribution.PARETO_NORMAL.quantile(mid) <= x) {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
                return lo;
            }

            @Override
            public double density(double x) {
                throw new UnsupportedOperationException();
            }

            @Override
            public double getNumericalMean() {
                return 0;
            }

            @Override
            public double getNumericalVariance() {
                return 1;
            }

            @Override
            public double getSupportLowerBound() {
                return Double.NEGATIVE_INFINITY;
            }

            @Override
            public double getSupportUpperBound() {
                return Double.POSITIVE_INFINITY;
            }

            @Override
            public boolean isSupportLowerBoundInclusive() {
                return false;
            }

            @Override
            public boolean isSupportUpperBoundInclusive() {
                return false;
            }

            @Override
            public boolean isSupportConnected() {
                return true;
            }
        };
        assertFits(40, DelayDistribution.PARETO_NORMAL, mix, 0, 1);
        assertEquals(
                0.25 * DelayDistribution.NORMAL.quantile(0.9) + 0.75 * DelayDistribution.PARETO.quantile(0.9),
                DelayDistribution.PARETO_NORMAL.quantile(0.9),
                1e-12);
    }

    @Test
    void netemJitterReordersAndEachDelayIsOneDrawOfTheSeededSource() throws Exception {
        long seed = 35;
        SplittableRandom replay = new SplittableRandom(seed);
        long[] expected = new long[200];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = DELAY + Math.round(JITTER * (2 * replay.nextDouble() - 1));
        }
        double[] d = delays(seed, LinkConfig.delayed(Duration.ofNanos(DELAY)).jitter(Duration.ofNanos(JITTER)), 200);
        assertArrayEquals(expected, Arrays.stream(d).mapToLong(v -> (long) v).toArray(), "exact virtual times");
    }

    @Test
    void orderPreservingJitterNeverLetsAPacketOvertake() throws Exception {
        long seed = 36;
        SplittableRandom replay = new SplittableRandom(seed);
        LinkConfig c = LinkConfig.delayed(Duration.ofNanos(DELAY))
                .jitter(Duration.ofNanos(JITTER))
                .jitterPreservesOrder(true);
        try (ChainRig rig = new ChainRig(seed, c)) {
            long[] expected = new long[300];
            long last = 0;
            for (int i = 0; i < expected.length; i++) {
                rig.sendAt(i * MS, i + 1); // one packet a millisecond, jitter 10 ms
                last = Math.max(last, i * MS + DELAY + Math.round(JITTER * (2 * replay.nextDouble() - 1)));
                expected[i] = last;
            }
            rig.sim.runUntilIdle();
            assertArrayEquals(expected, rig.arrivalTimes());
            for (int i = 0; i < expected.length; i++) {
                assertEquals(i + 1, rig.arrivals.get(i).size, "in the order sent");
            }
        }
    }

    @Test
    void correlatedJitterFollowsThePreviousPacketsDelay() throws Exception {
        long seed = 37;
        double[] d = delays(
                seed,
                LinkConfig.delayed(Duration.ofNanos(DELAY))
                        .jitter(Duration.ofNanos(JITTER), DelayDistribution.UNIFORM, 0.9),
                N);
        double lag1 = new PearsonsCorrelation().correlation(Arrays.copyOf(d, N - 1), Arrays.copyOfRange(d, 1, N));
        assertTrue(lag1 > 0.85, "seed " + seed + ": lag-1 correlation " + lag1);
        double[] independent =
                delays(seed, LinkConfig.delayed(Duration.ofNanos(DELAY)).jitter(Duration.ofNanos(JITTER)), N);
        double none = new PearsonsCorrelation()
                .correlation(Arrays.copyOf(independent, N - 1), Arrays.copyOfRange(independent, 1, N));
        assertTrue(Math.abs(none) < 0.05, "seed " + seed + ": " + none);
    }

    @Test
    void aDelayNeverGoesBelowZero() throws Exception {
        double[] d = delays(
                38,
                LinkConfig.delayed(Duration.ofMillis(1)).jitter(Duration.ofMillis(10), DelayDistribution.NORMAL),
                1000);
        assertTrue(Arrays.stream(d).min().getAsDouble() == 0, "clamped at zero, as many as fall below");
    }

    @Test
    void turningNetemJitterOnAndOffKeepsWhatIsInFlight() throws Exception {
        try (ChainRig rig = new ChainRig(39, LinkConfig.delayed(Duration.ofMillis(50)))) {
            rig.sendSizes(1, 2);
            rig.configure(rig.chain.config().jitter(Duration.ofMillis(5))); // into the heap
            rig.sendSizes(3);
            rig.configure(rig.chain.config().jitter(Duration.ZERO)); // back into the ring
            rig.sendSizes(4);
            rig.assertExact();
            rig.sim.runUntilIdle();
            assertEquals(4, rig.arrivals.size());
            assertEquals(50 * MS, rig.arrivals.get(0).nanos);
            assertEquals(50 * MS, rig.arrivals.get(1).nanos);
            assertEquals(4, rig.arrivals.get(3).size, "the ring keeps the last one behind the jittered one");
        }
    }

    @Test
    void withOrderPreservingJitterOnlyAReorderedPacketOvertakes() throws Exception {
        LinkConfig c = LinkConfig.delayed(Duration.ofNanos(DELAY))
                .jitter(Duration.ofNanos(JITTER))
                .jitterPreservesOrder(true)
                .reorder(1.0, 0, 10);
        try (ChainRig rig = new ChainRig(41, c)) {
            for (int i = 0; i < 100; i++) {
                rig.sendAt(i * MS, i + 1);
            }
            rig.sim.runUntilIdle();
            int lastDelayed = 0;
            for (ChainRig.Arrival a : rig.arrivals) {
                if (a.size % 10 == 0) {
                    assertEquals((a.size - 1) * MS, a.nanos, "every tenth is sent at once");
                } else {
                    assertTrue(a.size > lastDelayed, "the delayed ones keep their order: " + a.size);
                    lastDelayed = a.size;
                }
            }
        }
    }
}
