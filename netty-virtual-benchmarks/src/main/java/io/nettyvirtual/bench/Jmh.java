package io.nettyvirtual.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Running JMH from the suite, and reading its results: medians over measured iterations, runs by parameter. */
final class Jmh {
    private Jmh() {}

    /** Options for every benchmark of {@code benchmark}, results as JSON beside {@code out}. */
    static ChainedOptionsBuilder options(Class<?> benchmark, Path out, String json) {
        return new OptionsBuilder()
                .include("^" + benchmark.getName().replace(".", "\\.") + "\\.")
                .resultFormat(ResultFormatType.JSON)
                .result(out.resolveSibling(json).toString());
    }

    /** Options for a throughput benchmark: one fork, {@code warmups} of 1 s, {@code iterations} of {@code seconds}. */
    static ChainedOptionsBuilder throughput(Class<?> benchmark, Path out, int warmups, int iterations, int seconds) {
        return options(benchmark, out, "jmh-" + benchmark.getSimpleName() + ".json")
                .forks(1)
                .warmupIterations(warmups)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.seconds(seconds));
    }

    static List<RunResult> run(ChainedOptionsBuilder options) throws RunnerException {
        return new ArrayList<>(new Runner(options.build()).run());
    }

    static double median(List<Double> xs) {
        if (xs.isEmpty()) {
            return Double.NaN;
        }
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    /** Median over measured iterations of the primary score, or of the secondary score {@code label}; NaN if none. */
    static double median(RunResult r, String label) {
        if (r == null) {
            return Double.NaN;
        }
        List<Double> xs = new ArrayList<>();
        for (BenchmarkResult b : r.getBenchmarkResults()) {
            for (IterationResult i : b.getIterationResults()) {
                Result<?> res = label == null
                        ? i.getPrimaryResult()
                        : i.getSecondaryResults().get(label);
                if (res != null) {
                    xs.add(res.getScore());
                }
            }
        }
        return median(xs);
    }

    /** The primary scores of every measured iteration behind {@code r} (all forks), sorted; empty if none. */
    static List<Double> scores(RunResult r) {
        List<Double> xs = new ArrayList<>();
        if (r != null) {
            for (BenchmarkResult b : r.getBenchmarkResults()) {
                for (IterationResult i : b.getIterationResults()) {
                    xs.add(i.getPrimaryResult().getScore());
                }
            }
        }
        xs.sort(null);
        return xs;
    }

    static RunResult find(Collection<RunResult> rs, Predicate<RunResult> p) {
        for (RunResult r : rs) {
            if (p.test(r)) {
                return r;
            }
        }
        return null;
    }

    /** The run whose parameters hold every {@code name, value} pair given. */
    static RunResult find(Collection<RunResult> rs, String... namesAndValues) {
        return find(rs, r -> {
            for (int i = 0; i < namesAndValues.length; i += 2) {
                if (!namesAndValues[i + 1].equals(param(r, namesAndValues[i]))) {
                    return false;
                }
            }
            return true;
        });
    }

    static String param(RunResult r, String name) {
        return r.getParams().getParam(name);
    }
}
