package io.nettyvirtual.network.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nettyvirtual.stats.DropReason;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.stat.inference.TTest;
import org.junit.jupiter.api.Test;

/** netem's loss models, checked statistically against their analytic values; every run repeats by seed. */
class LossModelsTest {
    private static final int N = 100_000;

    /** Sends {@code n} packets one by one through an ideal link with {@code config}; true where one was lost. */
    private static boolean[] fates(long seed, LinkConfig config, int n) throws Exception {
        boolean[] lost = new boolean[n];
        try (ChainRig rig = new ChainRig(seed, config)) {
            for (int i = 0; i < n; i++) {
                int before = rig.arrivals.size();
                rig.send(1, 10);
                lost[i] = rig.arrivals.size() == before;
            }
            rig.assertExact();
        }
        return lost;
    }

    private static int count(boolean[] lost) {
        int c = 0;
        for (boolean l : lost) {
            c += l ? 1 : 0;
        }
        return c;
    }

    /** The lengths of the runs of consecutive losses. */
    private static double[] bursts(boolean[] lost) {
        List<Integer> runs = new ArrayList<>();
        int run = 0;
        for (boolean l : lost) {
            if (l) {
                run++;
            } else if (run > 0) {
                runs.add(run);
                run = 0;
            }
        }
        return runs.stream().mapToDouble(Integer::doubleValue).toArray();
    }

    private static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    @Test
    void bernoulliLossRateIsInsideItsBinomialConfidenceInterval() throws Exception {
        long seed = 15;
        double p = 0.05;
        int lost = count(fates(seed, LinkConfig.ideal().loss(p), N));
        BinomialDistribution b = new BinomialDistribution(N, p);
        assertTrue(
                lost >= b.inverseCumulativeProbability(0.0005) && lost <= b.inverseCumulativeProbability(0.9995),
                "seed " + seed + ": lost " + lost + " of " + N + ", 99.9% interval around " + b.getNumericalMean());
    }

    @Test
    void correlatedLossComesInLongerBurstsThanIndependentLoss() throws Exception {
        long seed = 16;
        double independent = mean(bursts(fates(seed, LinkConfig.ideal().loss(0.3), N)));
        double correlated = mean(bursts(fates(seed, LinkConfig.ideal().loss(0.3, 0.8), N)));
        assertEquals(1 / 0.7, independent, 0.05, "seed " + seed + ": geometric bursts of mean 1 / (1 - p)");
        assertTrue(correlated > 1.1 * independent, "seed " + seed + ": " + correlated + " vs " + independent);
    }

    @Test
    void gilbertElliottMeanBurstLengthIsOneOverR() throws Exception {
        long seed = 17;
        double p = 0.01;
        double r = 0.25;
        boolean[] lost = fates(seed, LinkConfig.ideal().gilbertElliott(p, r, 1, 0), N);
        double[] bursts = bursts(lost);
        double pValue = new TTest().tTest(1 / r, bursts);
        assertTrue(
                pValue > 0.001,
                "seed " + seed + ": mean burst " + mean(bursts) + " vs 1/r = " + 1 / r + " (p-value " + pValue + ")");
        double rate = count(lost) / (double) N;
        assertEquals(p / (p + r), rate, 0.005, "seed " + seed + ": the bad state's share p / (p + r)");
    }

    @Test
    void gilbertElliottLosesInTheGoodStateWithOneMinusK() throws Exception {
        long seed = 18;
        // Never bad (p = 0): the good state loses with 1-k, independently.
        int lost = count(fates(seed, LinkConfig.ideal().gilbertElliott(0, 1, 1, 0.02), N));
        BinomialDistribution b = new BinomialDistribution(N, 0.02);
        assertTrue(
                lost >= b.inverseCumulativeProbability(0.0005) && lost <= b.inverseCumulativeProbability(0.9995),
                "seed " + seed + ": lost " + lost);
    }

    @Test
    void fourStateMarkovBurstsLastOneOverP31AndIsolatedLossesComeFromP14() throws Exception {
        long seed = 19;
        // Bursts only: 1 -> 3 with p13, 3 -> 1 with p31, never state 2 or 4: bursts last 1 / p31.
        double[] bursts = bursts(fates(seed, LinkConfig.ideal().lossStates(0.01, 0.3, 0, 1, 0), N));
        double pValue = new TTest().tTest(1 / 0.3, bursts);
        assertTrue(pValue > 0.001, "seed " + seed + ": mean burst " + mean(bursts) + " (p-value " + pValue + ")");

        // Isolated losses only: 1 -> 4 with p14, 4 -> 1 always: every burst is one packet, rate p14 / (1 + p14).
        boolean[] isolated = fates(seed, LinkConfig.ideal().lossStates(0, 1, 0, 1, 0.02), N);
        assertEquals(1.0, mean(bursts(isolated)), 0.0);
        assertEquals(0.02 / 1.02, count(isolated) / (double) N, 0.002, "seed " + seed);
    }

    @Test
    void lossModelsRepeatBySeedAndReplaceEachOther() throws Exception {
        LinkConfig ge = LinkConfig.ideal().gilbertElliott(0.05, 0.3, 0.9, 0.01);
        assertEquals(java.util.Arrays.toString(fates(20, ge, 2000)), java.util.Arrays.toString(fates(20, ge, 2000)));
        assertEquals(0.0, ge.loss(), "gemodel replaces Bernoulli loss");
        LinkConfig bernoulli = ge.loss(0.1);
        assertEquals(bernoulli, LinkConfig.ideal().loss(0.1), "and Bernoulli replaces gemodel");
        assertEquals(
                LinkConfig.ideal().loss(0.2),
                LinkConfig.ideal().loss(0.1, 0.5).loss(0.2),
                "as in netem, a new loss setting replaces the correlation too");
        try (ChainRig rig = new ChainRig(21, ge)) {
            rig.send(100, 10);
            assertEquals(100, rig.arrivals.size() + rig.counters().dropped(DropReason.LOSS));
        }
    }
}
