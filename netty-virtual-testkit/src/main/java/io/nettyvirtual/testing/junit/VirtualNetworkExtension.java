package io.nettyvirtual.testing.junit;

import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.channel.VirtualEventLoopGroup;
import io.nettyvirtual.stats.PacketCounters;
import io.nettyvirtual.testing.LeakCheck;
import io.nettyvirtual.testing.report.NetworkRecorder;
import io.nettyvirtual.time.TimeMode;
import io.nettyvirtual.trace.PacketTrace;
import java.lang.reflect.AnnotatedElement;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link VirtualNetworkTest} and {@link SeedSweep}: one network per test invocation,
 * made before the test's {@code @BeforeEach} methods and closed after its {@code @AfterEach} methods, then the
 * conservation and leak checks, then the replay line if the test failed. Register it through those annotations.
 *
 * <p>A seed sweep gives each invocation an instance of this extension that holds its seed; the instance registered
 * on the method leaves those invocations alone.
 */
public final class VirtualNetworkExtension
        implements BeforeEachCallback,
                AfterEachCallback,
                ParameterResolver,
                TestExecutionExceptionHandler,
                TestWatcher,
                TestTemplateInvocationContextProvider,
                ExecutionCondition {
    // Over 400 lines because JUnit's extension points (parameters, each test's network, sweeps, failure reports)
    // meet here and share one store; the checks themselves are in Conservation, Replay and the report package.

    /** System property: a seed range {@code A-B} (or one seed {@code A}) that overrides every sweep's seeds. */
    public static final String SEEDS_PROPERTY = "nettyvirtual.seeds";
    /** System property: where reports are written; default {@code target/nettyvirtual-reports}. */
    public static final String REPORTS_PROPERTY = "nettyvirtual.reports";
    /** System property: how much to trace ({@code off}, {@code last}, {@code all}), overriding every test's. */
    public static final String TRACE_PROPERTY = "nettyvirtual.trace";
    /** System property: where the traces of failed tests are written; default {@code target/netty-virtual}. */
    public static final String TRACES_PROPERTY = "nettyvirtual.traces";

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(VirtualNetworkExtension.class);
    /** Loaded with this class, so that its leak detector is installed before the test classes touch a buffer. */
    private static final LeakCheck LEAK_CHECK = new LeakCheck();
    /**
     * The leak detector counts buffers in one scope at a time. Tests that run concurrently (JUnit's parallel
     * execution) share it: the first to start begins it, the last to finish checks it, so no test's buffers in use
     * are taken for leaks; a leak then fails that last test and names the tests that shared the scope.
     */
    private static final Object LEAK_SCOPE_LOCK = new Object();

    private static int testsInLeakScope;
    private static final List<String> LEAK_SCOPE_TESTS = new ArrayList<>();
    private static final String SEED_KEY = "seed";
    private static final String MODE_KEY = "mode";
    private static final String TRACE_KEY = "trace";
    private static final VirtualNetworkTest DEFAULTS = Defaults.class.getAnnotation(VirtualNetworkTest.class);

    @VirtualNetworkTest
    private static final class Defaults {}

    /** The invocation's seed when this instance serves one run of a sweep, else null. */
    private final Long sweepSeed;

    private final Sweep sweep;

    /** The instance JUnit creates from {@code @ExtendWith}. */
    public VirtualNetworkExtension() {
        this(null, null);
    }

    private VirtualNetworkExtension(Long sweepSeed, Sweep sweep) {
        this.sweepSeed = sweepSeed;
        this.sweep = sweep;
    }

    /** One sweep's shared state: its seeds and the first seed that failed. */
    private static final class Sweep {
        final String name;
        final AtomicReference<Long> failed = new AtomicReference<>();

        Sweep(String name) {
            this.name = name;
        }
    }

    /** One test invocation's network and settings. */
    private static final class Run {
        final VirtualNetworkTest settings;
        final long seed;
        final VirtualNetwork net;
        final NetworkRecorder recorder;
        /** The trace kept for a failure, or null when tracing is off. */
        final PacketTrace trace;

        VirtualEventLoopGroup group;

        Run(VirtualNetworkTest settings, long seed, VirtualNetwork net, NetworkRecorder recorder, PacketTrace trace) {
            this.settings = settings;
            this.seed = seed;
            this.net = net;
            this.recorder = recorder;
            this.trace = trace;
        }
    }

    /** Whether this instance serves {@code context}: a sweep run's own instance, or the plain instance for a test. */
    private boolean serves(ExtensionContext context) {
        if (context.getTestMethod().isEmpty()) {
            return false;
        }
        boolean isSweep = AnnotationSupport.isAnnotated(context.getTestMethod(), SeedSweep.class);
        return isSweep == (sweepSeed != null);
    }

    // sweeps

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return sweepSeed == null && AnnotationSupport.isAnnotated(context.getTestMethod(), SeedSweep.class);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        SeedSweep s = AnnotationSupport.findAnnotation(context.getTestMethod(), SeedSweep.class)
                .orElseThrow();
        long[] range = seeds(s);
        Sweep sweep = new Sweep(context.getDisplayName());
        return LongStream.rangeClosed(range[0], range[1]).mapToObj(seed -> new TestTemplateInvocationContext() {
            @Override
            public String getDisplayName(int invocationIndex) {
                return "seed " + seed;
            }

            @Override
            public List<Extension> getAdditionalExtensions() {
                return Collections.singletonList(new VirtualNetworkExtension(seed, sweep));
            }
        });
    }

    /** The sweep's first and last seed: {@value #SEEDS_PROPERTY}, else the seed property, else the annotation. */
    static long[] seeds(SeedSweep s) {
        String range = System.getProperty(SEEDS_PROPERTY);
        if (range != null && !range.isBlank()) {
            return parseRange(range.trim());
        }
        String one = System.getProperty(VirtualNetwork.SEED_PROPERTY);
        if (one != null && !one.isBlank()) {
            long seed = parseSeed(one.trim(), VirtualNetwork.SEED_PROPERTY);
            return new long[] {seed, seed};
        }
        if (s.count() < 1) {
            throw new ExtensionConfigurationException("@SeedSweep count: " + s.count() + " (expected >= 1)");
        }
        long last = s.from() + (s.count() - 1);
        if (last < s.from()) {
            throw new ExtensionConfigurationException(
                    "@SeedSweep from " + s.from() + " count " + s.count() + ": the last seed overflows a long");
        }
        return new long[] {s.from(), last};
    }

    /** {@code A-B} (both included, A <= B, either may be negative: {@code -10--1}) or {@code A}. */
    static long[] parseRange(String range) {
        int dash = range.indexOf('-', 1);
        if (dash < 0) {
            long seed = parseSeed(range, SEEDS_PROPERTY);
            return new long[] {seed, seed};
        }
        long from = parseSeed(range.substring(0, dash), SEEDS_PROPERTY);
        long to = parseSeed(range.substring(dash + 1), SEEDS_PROPERTY);
        if (to < from) {
            throw new ExtensionConfigurationException(SEEDS_PROPERTY + "=" + range + ": the range is empty (" + to
                    + " < " + from + "); expected A-B with A <= B");
        }
        return new long[] {from, to};
    }

    private static long parseSeed(String s, String property) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new ExtensionConfigurationException(
                    property + ": '" + s + "' is not a seed (a long); expected "
                            + (SEEDS_PROPERTY.equals(property) ? "A-B or A, e.g. 1000-1999" : "e.g. 42"),
                    e);
        }
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (sweep == null || !serves(context)) {
            return ConditionEvaluationResult.enabled(null);
        }
        Long failed = sweep.failed.get();
        if (failed != null) {
            return ConditionEvaluationResult.disabled("seed " + sweepSeed + " skipped: the sweep " + sweep.name
                    + " stopped at seed " + failed + ", which failed");
        }
        return ConditionEvaluationResult.enabled(null);
    }

    // one run

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!serves(context)) {
            return;
        }
        VirtualNetworkTest settings = settings(context);
        long seed = seed(settings);
        if (settings.report() != VirtualNetworkTest.Report.NEVER && settings.reportIntervalMicros() < 1) {
            throw new ExtensionConfigurationException("@VirtualNetworkTest reportIntervalMicros: "
                    + settings.reportIntervalMicros() + " (expected >= 1)");
        }
        VirtualNetworkTest.Trace tracing = tracing(settings);
        if (tracing == VirtualNetworkTest.Trace.LAST
                && (settings.traceEvents() < 1 || settings.traceEvents() > PacketTrace.MAX_LAST)) {
            throw new ExtensionConfigurationException("@VirtualNetworkTest traceEvents: " + settings.traceEvents()
                    + " (expected 1 to " + PacketTrace.MAX_LAST + ")");
        }
        synchronized (LEAK_SCOPE_LOCK) {
            if (testsInLeakScope++ == 0) {
                LEAK_SCOPE_TESTS.clear();
                LEAK_CHECK.beforeEach(context);
            }
            LEAK_SCOPE_TESTS.add(context.getUniqueId());
        }
        VirtualNetwork net = null;
        NetworkRecorder recorder = null;
        PacketTrace trace = null;
        try {
            net = VirtualNetwork.builder().mode(settings.mode()).seed(seed).build();
            if (tracing != VirtualNetworkTest.Trace.OFF) {
                trace = tracing == VirtualNetworkTest.Trace.ALL
                        ? PacketTrace.inMemory()
                        : PacketTrace.last(settings.traceEvents());
                net.addTap(trace);
            }
            if (settings.report() != VirtualNetworkTest.Report.NEVER) {
                recorder = NetworkRecorder.start(net, Duration.of(settings.reportIntervalMicros(), ChronoUnit.MICROS));
            }
        } catch (RuntimeException | Error e) {
            if (net != null) {
                net.close();
            }
            endLeakScope(context);
            throw e;
        }
        context.getStore(NAMESPACE).put(Run.class, new Run(settings, seed, net, recorder, trace));
        context.getStore(NAMESPACE).put(SEED_KEY, seed);
        context.getStore(NAMESPACE).put(MODE_KEY, net.mode());
    }

    /** {@value #TRACE_PROPERTY} if set, else the annotation's {@link VirtualNetworkTest#trace()}. */
    static VirtualNetworkTest.Trace tracing(VirtualNetworkTest settings) {
        String p = System.getProperty(TRACE_PROPERTY);
        if (p == null || p.isBlank()) {
            return settings.trace();
        }
        try {
            return VirtualNetworkTest.Trace.valueOf(p.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException(TRACE_PROPERTY + ": '" + p + "' (expected off, last or all)", e);
        }
    }

    private long seed(VirtualNetworkTest settings) {
        if (sweepSeed != null) {
            return sweepSeed;
        }
        String prop = System.getProperty(VirtualNetwork.SEED_PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return parseSeed(prop, VirtualNetwork.SEED_PROPERTY);
        }
        if (settings.seed() != VirtualNetworkTest.RANDOM_SEED) {
            return settings.seed();
        }
        long seed;
        do {
            seed = ThreadLocalRandom.current().nextLong();
        } while (seed == VirtualNetworkTest.RANDOM_SEED);
        return seed;
    }

    /** The nearest {@link VirtualNetworkTest}: on the method, its class, or an enclosing test class. */
    private static VirtualNetworkTest settings(ExtensionContext context) {
        for (Optional<ExtensionContext> c = Optional.of(context);
                c.isPresent();
                c = c.get().getParent()) {
            Optional<AnnotatedElement> e = c.get().getElement();
            if (e.isPresent()) {
                Optional<VirtualNetworkTest> a = AnnotationSupport.findAnnotation(e.get(), VirtualNetworkTest.class);
                if (a.isPresent()) {
                    return a.get();
                }
            }
        }
        return DEFAULTS;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return (type == VirtualNetwork.class || type == VirtualEventLoopGroup.class)
                && serves(context)
                && !(parameter.getDeclaringExecutable() instanceof java.lang.reflect.Constructor);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Run run = context.getStore(NAMESPACE).get(Run.class, Run.class);
        if (run == null) {
            throw new ParameterResolutionException("no network for " + parameter.getParameter()
                    + ": only test methods and their @BeforeEach/@AfterEach methods get one");
        }
        if (parameter.getParameter().getType() == VirtualNetwork.class) {
            return run.net;
        }
        if (run.group == null) {
            run.group = new VirtualEventLoopGroup(run.net, 1);
        }
        return run.group;
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        if (serves(context)) {
            Run run = context.getStore(NAMESPACE).get(Run.class, Run.class);
            if (run != null) {
                throwable.addSuppressed(new Replay.Info(
                        Replay.message(context, run.seed, run.net.mode().name())));
            }
        }
        throw throwable;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!serves(context)) {
            return;
        }
        Run run = context.getStore(NAMESPACE).remove(Run.class, Run.class);
        if (run == null) {
            return;
        }
        VirtualNetwork net = run.net;
        List<String> problems = new ArrayList<>();
        Throwable cause = null;
        if (run.settings.idle() && !net.isClosed()) {
            try {
                net.runUntilIdle();
            } catch (RuntimeException | Error e) {
                problems.add("runUntilIdle() after the test failed: " + e);
                cause = e;
            }
        }
        List<PacketCounters> counters = Conservation.all(net);
        problems.addAll(Conservation.unbalanced(counters));
        if (run.settings.idle()) {
            problems.addAll(Conservation.inFlight(counters));
        }
        if (run.recorder != null && !net.isClosed()) {
            run.recorder.sample();
        }
        try {
            net.close();
        } catch (RuntimeException | Error e) {
            problems.add("closing the network failed: " + e);
            cause = cause == null ? e : cause;
        }
        problems.addAll(Conservation.unbalanced(Conservation.all(net)));
        AssertionError leak = endLeakScope(context);
        if (leak != null) {
            problems.add(leak.getMessage());
        }
        boolean failed = !problems.isEmpty() || context.getExecutionException().isPresent();
        String replay = Replay.message(context, run.seed, net.mode().name());
        String reportLine = null;
        VirtualNetworkTest.Report when = run.settings.report();
        if (run.recorder != null && (when == VirtualNetworkTest.Report.ALWAYS || failed)) {
            try {
                Path file = run.recorder.writeHtml(
                        reportFile(context, run), context.getDisplayName() + " (seed " + run.seed + ")");
                reportLine = "report: " + file.toAbsolutePath().toUri();
                context.publishReportEntry(
                        "nettyvirtual.report", file.toAbsolutePath().toString());
            } catch (RuntimeException e) {
                reportLine = "report not written: " + e;
            }
        }
        String traceLine = null;
        if (failed && run.trace != null) {
            traceLine = writeTrace(context, run);
            context.getStore(NAMESPACE).put(TRACE_KEY, traceLine);
            Throwable thrown = context.getExecutionException().orElse(null);
            if (thrown != null) {
                for (Throwable s : thrown.getSuppressed()) {
                    if (s instanceof Replay.Info) {
                        ((Replay.Info) s).append(traceLine);
                    }
                }
            }
        }
        if (failed) {
            if (sweep != null) {
                sweep.failed.compareAndSet(null, run.seed);
            }
            context.publishReportEntry("nettyvirtual.seed", Long.toString(run.seed));
            context.publishReportEntry("nettyvirtual.replay", replay);
        }
        if (!problems.isEmpty()) {
            StringBuilder m = new StringBuilder();
            for (String p : problems) {
                m.append(p).append(System.lineSeparator());
            }
            m.append(replay);
            if (traceLine != null) {
                m.append(System.lineSeparator()).append("  ").append(traceLine);
            }
            if (reportLine != null) {
                m.append(System.lineSeparator()).append("  ").append(reportLine);
            }
            AssertionError error = new AssertionError(m.toString(), leak != null ? leak : cause);
            if (leak != null && cause != null) {
                error.addSuppressed(cause);
            }
            throw error;
        }
        if (reportLine != null && failed) {
            System.err.println("[netty-virtual] " + reportLine);
        }
    }

    /** Leaves the shared leak scope; the last test to leave it checks it. */
    private static AssertionError endLeakScope(ExtensionContext context) {
        synchronized (LEAK_SCOPE_LOCK) {
            if (--testsInLeakScope > 0) {
                return null;
            }
            try {
                LEAK_CHECK.afterEach(context);
                return null;
            } catch (AssertionError e) {
                if (LEAK_SCOPE_TESTS.size() <= 1) {
                    return e;
                }
                AssertionError shared = new AssertionError(
                        e.getMessage() + " (the leaked buffer may belong to "
                                + "any of the " + LEAK_SCOPE_TESTS.size() + " tests that ran concurrently with it: "
                                + LEAK_SCOPE_TESTS + ")",
                        e.getCause());
                return shared;
            } finally {
                LEAK_SCOPE_TESTS.clear();
            }
        }
    }

    /** Writes the run's trace for a failed test and says where, or why not. */
    private static String writeTrace(ExtensionContext context, Run run) {
        PacketTrace trace = run.trace;
        try {
            Path file = trace.writeJson(traceFile(context, run));
            context.publishReportEntry(
                    "nettyvirtual.trace", file.toAbsolutePath().toString());
            long kept = trace.events().size();
            return "trace: " + file.toAbsolutePath().toUri() + " ("
                    + (kept == trace.count() ? "all " + kept : "the last " + kept + " of " + trace.count())
                    + " events, hash " + trace.hashHex() + ")";
        } catch (RuntimeException e) {
            return "trace not written: " + e;
        }
    }

    /** {@code <dir>/<Class.method>-seed<N>.trace.jsonl}, the directory from {@value #TRACES_PROPERTY}. */
    private static Path traceFile(ExtensionContext context, Run run) {
        String dir = System.getProperty(TRACES_PROPERTY, "target/netty-virtual");
        return Paths.get(dir).resolve(fileName(context, run.seed, ".trace.jsonl"));
    }

    private static String fileName(ExtensionContext context, long seed, String suffix) {
        String name = Replay.testFilter(context).replace('#', '.').replace('$', '.') + "-seed" + seed + suffix;
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static Path reportFile(ExtensionContext context, Run run) {
        String dir = System.getProperty(REPORTS_PROPERTY, "target/nettyvirtual-reports");
        return Paths.get(dir).resolve(fileName(context, run.seed, ".html"));
    }

    /** Prints the replay line of every failed test, whatever failed it (the test, a callback, a check). */
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (!serves(context)) {
            return;
        }
        if (sweep != null) {
            sweep.failed.compareAndSet(null, sweepSeed);
        }
        Long seed = context.getStore(NAMESPACE).get(SEED_KEY, Long.class);
        TimeMode mode = context.getStore(NAMESPACE).get(MODE_KEY, TimeMode.class);
        if (seed != null) {
            String trace = context.getStore(NAMESPACE).get(TRACE_KEY, String.class);
            System.err.println(Replay.message(context, seed, String.valueOf(mode))
                    + (trace == null ? "" : System.lineSeparator() + "  " + trace));
        }
    }
}
