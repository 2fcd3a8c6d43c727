package io.nettyvirtual.testing.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.stats.PacketCounters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** The extension's own behaviour, run through JUnit's engine test kit on the classes in {@link ExtensionCases}. */
class VirtualNetworkExtensionTest {

    private static EngineExecutionResults run(Class<?> testClass) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "false")
                .selectors(selectClass(testClass))
                .execute();
    }

    private static Throwable onlyFailure(EngineExecutionResults results) {
        List<Event> failed = results.testEvents().failed().list();
        assertEquals(1, failed.size(), () -> "failed: " + failed);
        return failed.get(0)
                .getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .orElseThrow()
                .getThrowable()
                .orElseThrow();
    }

    private static Map<String, String> reportEntries(EngineExecutionResults results) {
        return results.testEvents().reportingEntryPublished().stream()
                .map(e -> e.getPayload(ReportEntry.class).orElseThrow())
                .flatMap(r -> r.getKeyValuePairs().entrySet().stream())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a + "\n" + b));
    }

    private static String text(Throwable t) {
        StringBuilder b = new StringBuilder(String.valueOf(t.getMessage()));
        for (Throwable s : t.getSuppressed()) {
            b.append('\n').append(s.getMessage());
        }
        return b.toString();
    }

    @AfterEach
    void clearProperties() {
        System.clearProperty("nettyvirtual.seeds");
        System.clearProperty("nettyvirtual.seed");
        System.clearProperty(VirtualNetworkExtension.REPORTS_PROPERTY);
        System.clearProperty(VirtualNetworkExtension.TRACES_PROPERTY);
        System.clearProperty(VirtualNetworkExtension.TRACE_PROPERTY);
    }

    @TempDir
    Path reports;

    @TempDir
    Path traces;

    private List<String> traceFiles() throws Exception {
        try (Stream<Path> files = Files.list(traces)) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void aFailingTestWritesItsTraceAsJsonLinesAndSaysWhere() throws Exception {
        System.setProperty(VirtualNetworkExtension.REPORTS_PROPERTY, reports.toString());
        System.setProperty(VirtualNetworkExtension.TRACES_PROPERTY, traces.toString());
        EngineExecutionResults results = run(ExtensionCases.FailingWithReport.class);
        String all = text(onlyFailure(results));
        Path file = traces.resolve("ExtensionCases.FailingWithReport.expectsNoLoss-seed5.trace.jsonl");
        assertTrue(Files.isRegularFile(file), "written: " + file);
        assertEquals(file.toAbsolutePath().toString(), reportEntries(results).get("nettyvirtual.trace"));
        assertTrue(all.contains("failed with seed 5"), all);
        assertTrue(all.contains("  trace: " + file.toAbsolutePath().toUri()), all);
        List<String> lines = Files.readAllLines(file);
        // The whole run fits in the default ring: it starts with the wire's ends plugged, then the packets.
        assertTrue(
                all.contains("  trace: " + file.toAbsolutePath().toUri() + " (all " + lines.size() + " events, hash "),
                all);
        assertTrue(lines.get(0).startsWith("{\"t\":0,\"event\":\"CHANGED\",\"element\":\"a\","), lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"reason\":\"LOSS\"")), "the losses are in it");
        assertEquals(
                lines.stream()
                                .filter(l -> l.contains("\"event\":\"DELIVERED\""))
                                .count()
                        + lines.stream()
                                .filter(l -> l.contains("\"event\":\"DROPPED\""))
                                .count(),
                lines.stream().filter(l -> l.contains("\"event\":\"SENT\"")).count(),
                "every datagram sent is delivered or dropped in the trace");
    }

    @Test
    void theTraceKeepsTheLastEventsAskedForAndNothingWhenOffOrPassing() throws Exception {
        System.setProperty(VirtualNetworkExtension.TRACES_PROPERTY, traces.toString());
        String shortTrace = text(onlyFailure(run(ExtensionCases.FailingWithShortTrace.class)));
        // Two datagrams over a wire: the 2 plugs, then 8 events per datagram.
        assertTrue(shortTrace.contains(" (the last 5 of 18 events, hash "), shortTrace);
        List<String> lines =
                Files.readAllLines(traces.resolve("ExtensionCases.FailingWithShortTrace.fails-seed13.trace.jsonl"));
        assertEquals(5, lines.size());
        assertTrue(lines.get(4).startsWith("{\"t\":3000000,\"event\":\"DELIVERED\""), lines.get(4));
        String untraced = text(onlyFailure(run(ExtensionCases.FailingUntraced.class)));
        assertTrue(!untraced.contains("trace:"), untraced);
        run(ExtensionCases.PassingTraced.class).testEvents().assertStatistics(s -> s.succeeded(1));
        assertEquals(List.of("ExtensionCases.FailingWithShortTrace.fails-seed13.trace.jsonl"), traceFiles());
    }

    @Test
    void theTracePropertyOverridesTheAnnotation() throws Exception {
        System.setProperty(VirtualNetworkExtension.TRACES_PROPERTY, traces.toString());
        System.setProperty(VirtualNetworkExtension.TRACE_PROPERTY, "all");
        String all = text(onlyFailure(run(ExtensionCases.FailingWithShortTrace.class)));
        assertTrue(all.contains(" (all 18 events, hash "), all);
        System.setProperty(VirtualNetworkExtension.TRACE_PROPERTY, "off");
        run(ExtensionCases.FailingWithReport.class).testEvents().assertStatistics(s -> s.failed(1));
        System.setProperty(VirtualNetworkExtension.TRACE_PROPERTY, "last");
        String untraced = text(onlyFailure(run(ExtensionCases.FailingUntraced.class)));
        assertTrue(untraced.contains(" (all 18 events, hash "), untraced);
        assertEquals(
                List.of(
                        "ExtensionCases.FailingUntraced.fails-seed13.trace.jsonl",
                        "ExtensionCases.FailingWithShortTrace.fails-seed13.trace.jsonl"),
                traceFiles());
        System.setProperty(VirtualNetworkExtension.TRACE_PROPERTY, "sometimes");
        String bad = text(onlyFailure(run(ExtensionCases.Failing.class)));
        assertTrue(bad.contains("nettyvirtual.trace: 'sometimes' (expected off, last or all)"), bad);
    }

    @Test
    void aFailingTestWritesTheReportOfItsRunAndSaysWhere() throws Exception {
        System.setProperty(VirtualNetworkExtension.REPORTS_PROPERTY, reports.toString());
        EngineExecutionResults results = run(ExtensionCases.FailingWithReport.class);
        Throwable t = onlyFailure(results);
        assertTrue(text(t).contains("datagrams received"), text(t));
        Path file = reports.resolve("ExtensionCases.FailingWithReport.expectsNoLoss-seed5.html");
        assertTrue(Files.isRegularFile(file), "written: " + file);
        assertEquals(file.toAbsolutePath().toString(), reportEntries(results).get("nettyvirtual.report"));
        String html = Files.readString(file);
        assertTrue(html.contains("expectsNoLoss(VirtualNetwork, VirtualEventLoopGroup) (seed 5)"), "titled");
        assertTrue(html.contains("\"LOSS\":[0,"), "the drops by reason are in the data");
    }

    @Test
    void aReportIsWrittenForAPassingTestOnlyWhenAskedAndNeverWhenNot() throws Exception {
        System.setProperty(VirtualNetworkExtension.REPORTS_PROPERTY, reports.toString());
        run(ExtensionCases.PassingWithReport.class).testEvents().assertStatistics(s -> s.succeeded(1));
        run(ExtensionCases.FailingWithoutReport.class).testEvents().assertStatistics(s -> s.failed(1));
        try (Stream<Path> files = Files.list(reports)) {
            assertEquals(
                    List.of("ExtensionCases.PassingWithReport.passes-seed6.html"),
                    files.map(p -> p.getFileName().toString()).collect(Collectors.toList()));
        }
    }

    @Test
    void aFailingTestCarriesItsSeedAndTheLineThatReplaysIt() {
        EngineExecutionResults results = run(ExtensionCases.Failing.class);
        Throwable t = onlyFailure(results);
        String all = text(t);
        assertTrue(all.contains("deliberately"), all);
        assertTrue(all.contains("failed with seed 4242"), all);
        assertTrue(all.contains("-Dnettyvirtual.seed=4242"), all);
        assertTrue(
                all.contains("mvn -B -ntp -pl netty-virtual-testkit -am test "
                        + "-Dsurefire.failIfNoSpecifiedTests=false -Dtest='ExtensionCases$Failing#fails' "
                        + "-Dnettyvirtual.seed=4242"),
                all);
        Map<String, String> entries = reportEntries(results);
        assertEquals("4242", entries.get("nettyvirtual.seed"));
        assertTrue(entries.get("nettyvirtual.replay").contains("-Dnettyvirtual.seed=4242"), entries.toString());
    }

    @Test
    void theSeedPropertyOverridesTheAnnotationSoTheReplayLineWorks() {
        System.setProperty("nettyvirtual.seed", "99");
        Throwable t = onlyFailure(run(ExtensionCases.Failing.class));
        assertTrue(text(t).contains("failed with seed 99"), text(t));
    }

    @Test
    void aLeakedBufferFailsTheTest() {
        Throwable t = onlyFailure(run(ExtensionCases.Leaky.class));
        assertTrue(t.getMessage().contains("ByteBuf leak"), t.getMessage());
        assertTrue(t.getMessage().contains("-Dnettyvirtual.seed=7"), t.getMessage());
    }

    @Test
    void somethingStillInFlightAfterRunUntilIdleIsNamedPerElement() {
        long[] none = new long[DropReason.values().length];
        PacketCounters net = new PacketCounters("network", 2, 200, 1, 100, none, none, 1, 100);
        PacketCounters host = new PacketCounters("a", 2, 200, 2, 200, none, none, 0, 0);
        PacketCounters link = new PacketCounters("a-b a->b", 2, 200, 1, 100, none, none, 1, 100);
        assertEquals(
                List.of("still in flight after runUntilIdle(): 1 packet(s) (a-b a->b 1)"),
                Conservation.inFlight(List.of(net, host, link)));
        PacketCounters idle = new PacketCounters("network", 2, 200, 2, 200, none, none, 0, 0);
        assertEquals(List.of(), Conservation.inFlight(List.of(idle, host)));
    }

    @Test
    void brokenConservationIsReportedPerElement() {
        long[] none = new long[DropReason.values().length];
        long[] lost = none.clone();
        lost[DropReason.LOSS.ordinal()] = 1;
        PacketCounters ok = new PacketCounters("a->b", 3, 300, 2, 200, lost, new long[] {0, 100}, 0, 0);
        PacketCounters broken = new PacketCounters("b->a", 3, 300, 1, 100, none, none, 1, 100);
        assertEquals(List.of(), Conservation.unbalanced(List.of(ok)));
        assertEquals(
                List.of("conservation broken at b->a: sent 3 != delivered 1 + dropped 0 + in flight 1 "
                        + "(bytes: 300 != 100 + 0 + 100)"),
                Conservation.unbalanced(List.of(ok, broken)));
    }

    @Test
    void brokenConservationFailsTheTestNamingTheElement() {
        long[] none = new long[DropReason.values().length];
        PacketCounters broken = new PacketCounters("wire1 a->b", 5, 500, 3, 300, none, none, 1, 100);
        Conservation.source = net -> {
            List<PacketCounters> all = new java.util.ArrayList<>(Conservation.read(net));
            all.add(broken);
            return all;
        };
        try {
            Throwable t = onlyFailure(run(ExtensionCases.Unbalanced.class));
            assertTrue(
                    t.getMessage()
                            .startsWith("conservation broken at wire1 a->b: sent 5 != delivered 3 + dropped 0 "
                                    + "+ in flight 1"),
                    t.getMessage());
            assertTrue(t.getMessage().contains("-Dnettyvirtual.seed=12"), t.getMessage());
        } finally {
            Conservation.source = Conservation::read;
        }
        run(ExtensionCases.Unbalanced.class).testEvents().assertStatistics(s -> s.succeeded(1));
    }

    @Test
    void eachTestGetsOneFreshNetworkSharedWithItsLifecycleMethods() {
        ExtensionCases.Lifecycle.SEEN.clear();
        EngineExecutionResults results = run(ExtensionCases.Lifecycle.class);
        results.testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
        assertEquals(2, ExtensionCases.Lifecycle.SEEN.size());
        assertNotSame(ExtensionCases.Lifecycle.SEEN.get(0), ExtensionCases.Lifecycle.SEEN.get(1));
        assertTrue(ExtensionCases.Lifecycle.SEEN.get(0).isClosed());
    }

    @Test
    void theSweepStopsAtTheFirstFailingSeedAndSkipsTheRest() {
        ExtensionCases.Sweep.RAN.clear();
        EngineExecutionResults results = run(ExtensionCases.Sweep.class);
        results.testEvents()
                .assertStatistics(s -> s.started(4).succeeded(3).failed(1).skipped(6));
        assertEquals(List.of(100L, 101L, 102L, 103L), ExtensionCases.Sweep.RAN);
        Throwable t = onlyFailure(results);
        assertTrue(text(t).contains("-Dnettyvirtual.seed=103"), text(t));
        Optional<String> reason = results.testEvents().skipped().stream()
                .map(e -> e.getPayload(String.class).orElse(""))
                .findFirst();
        assertEquals(
                "seed 104 skipped: the sweep failsAt103(VirtualNetwork) stopped at seed 103, which failed",
                reason.orElseThrow());
        List<String> names = results.testEvents().started().stream()
                .map(e -> e.getTestDescriptor().getDisplayName())
                .collect(Collectors.toList());
        assertEquals(List.of("seed 100", "seed 101", "seed 102", "seed 103"), names);
    }

    @Test
    void aSweepRunsEverySeedOnItsOwnNetwork() {
        ExtensionCases.SweepAllPass.RAN.clear();
        run(ExtensionCases.SweepAllPass.class)
                .testEvents()
                .assertStatistics(s -> s.succeeded(3).failed(0));
        assertEquals(List.of(5L, 6L, 7L), ExtensionCases.SweepAllPass.RAN);
    }

    @Test
    void theSeedsPropertySplitsASweepByRange() {
        ExtensionCases.SweepAllPass.RAN.clear();
        System.setProperty("nettyvirtual.seeds", "1000-1003");
        run(ExtensionCases.SweepAllPass.class).testEvents().assertStatistics(s -> s.succeeded(4));
        assertEquals(List.of(1000L, 1001L, 1002L, 1003L), ExtensionCases.SweepAllPass.RAN);
    }

    @Test
    void theSeedPropertyReplaysOneSeedOfASweep() {
        ExtensionCases.Sweep.RAN.clear();
        System.setProperty("nettyvirtual.seed", "103");
        run(ExtensionCases.Sweep.class)
                .testEvents()
                .assertStatistics(s -> s.started(1).failed(1));
        assertEquals(List.of(103L), ExtensionCases.Sweep.RAN);
    }

    @Test
    void aSweepRunsInParallelWithJUnitsOwnParallelExecution() {
        ExtensionCases.SweepAllPass.RAN.clear();
        System.setProperty("nettyvirtual.seeds", "0-39");
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "false")
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "4")
                .selectors(selectClass(ExtensionCases.SweepAllPass.class))
                .execute();
        results.testEvents().assertStatistics(s -> s.succeeded(40).failed(0));
        assertEquals(40, ExtensionCases.SweepAllPass.RAN.stream().distinct().count());
    }

    @Test
    void parallelRunsWithTrafficShareTheLeakScopeWithoutFalseLeaks() {
        ExtensionCases.SweepWithTraffic.RAN.clear();
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "false")
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "4")
                .selectors(selectClass(ExtensionCases.SweepWithTraffic.class))
                .execute();
        results.testEvents().assertStatistics(s -> s.succeeded(24).failed(0));
        assertEquals(24, ExtensionCases.SweepWithTraffic.RAN.stream().distinct().count());
        assertTrue(ExtensionCases.SweepWithTraffic.MOST_AT_ONCE.get() > 1, "runs overlapped");
    }

    @Test
    void aBadSeedRangeIsRejectedNamingIt() {
        org.junit.jupiter.api.extension.ExtensionConfigurationException e = assertThrows(
                org.junit.jupiter.api.extension.ExtensionConfigurationException.class,
                () -> VirtualNetworkExtension.parseRange("20-10"));
        assertTrue(e.getMessage().contains("nettyvirtual.seeds=20-10"), e.getMessage());
        assertThrows(
                org.junit.jupiter.api.extension.ExtensionConfigurationException.class,
                () -> VirtualNetworkExtension.parseRange("ten"));
        assertEquals(List.of(-10L, -1L), toList(VirtualNetworkExtension.parseRange("-10--1")));
        assertEquals(List.of(5L, 5L), toList(VirtualNetworkExtension.parseRange("5")));
    }

    private static List<Long> toList(long[] a) {
        return List.of(a[0], a[1]);
    }
}
