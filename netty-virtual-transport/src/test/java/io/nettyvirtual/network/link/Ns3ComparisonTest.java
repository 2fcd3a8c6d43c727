package io.nettyvirtual.network.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CoDel, FQ-CoDel and RED side by side with ns-3's traffic-control module (docs/qdiscs.md): the same saturating
 * scenarios, a 12 and a 10.8 Mbit/s constant-bit-rate UDP source of 1,002-byte packets (on the wire) into a
 * 10 Mbit/s, 50 ms bottleneck for 10 s; the drop counts and the mean sojourn times agree within 5%. The ns-3 program
 * ({@code netty-virtual-benchmarks/ns3/qdisc-saturation.cc}) is compiled and run here; the test is skipped where
 * {@code g++} or ns-3's headers (Debian's {@code libns3-dev}) are missing.
 */
class Ns3ComparisonTest {
    private static final Path SOURCE = Path.of("..", "netty-virtual-benchmarks", "ns3", "qdisc-saturation.cc");
    private static final Path BINARY = Path.of("target", "ns3", "qdisc-saturation");
    /**
     * The scenarios: ns-3's OnOff source sends a 972-byte payload every 7,776 bits / rate, the first one interval
     * after it starts, for 10 s: 12 Mbit/s, one every 648 us, 15,432 packets (20% over the bottleneck); 10.8 Mbit/s,
     * one every 720 us, 13,888 packets (8% over, which CoDel brings under control within the run).
     */
    private static final String[] RATES = {"12Mbps", "10.8Mbps"};

    private static final long[] INTERVAL_NANOS = {648_000, 720_000};
    private static final int[] PACKETS = {15_432, 13_888};
    /** What serializes on ns-3's point-to-point wire: 972 + 8 (UDP) + 20 (IPv4) + 2 (PPP) bytes. */
    private static final int WIRE_BYTES = 1002;

    @BeforeAll
    static void buildNs3Program() throws Exception {
        assumeTrue(
                Files.exists(Path.of("/usr/include/ns3/traffic-control-module.h")),
                "ns-3 headers missing (apt-get install libns3-dev)");
        assumeTrue(Files.exists(SOURCE), "ns-3 program missing: " + SOURCE.toAbsolutePath());
        if (Files.exists(BINARY)
                && Files.getLastModifiedTime(BINARY).compareTo(Files.getLastModifiedTime(SOURCE)) > 0) {
            return;
        }
        Files.createDirectories(BINARY.getParent());
        String out = run(List.of(
                "g++",
                "-O2",
                "-std=c++17",
                SOURCE.toString(),
                "-o",
                BINARY.toString(),
                "-lns3-core",
                "-lns3-network",
                "-lns3-internet",
                "-lns3-point-to-point",
                "-lns3-applications",
                "-lns3-traffic-control"));
        assumeTrue(Files.exists(BINARY), "g++ could not build the ns-3 program: " + out);
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, command.get(0) + " not available: " + e.getMessage());
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish in 120 s");
        }
        return out;
    }

    /** Runs the ns-3 program for {@code qdisc} and parses its key=value line. */
    private static Map<String, Double> ns3(String qdisc, int scenario) throws Exception {
        String out = run(List.of(BINARY.toString(), "--qdisc=" + qdisc, "--rate=" + RATES[scenario]))
                .trim();
        Map<String, Double> m = new HashMap<>();
        for (String kv : out.split(" ")) {
            String[] parts = kv.split("=");
            if (parts.length == 2 && !parts[0].equals("qdisc")) {
                m.put(parts[0], Double.parseDouble(parts[1]));
            }
        }
        assertEquals(PACKETS[scenario], m.get("received"), () -> "ns-3 printed: " + out);
        return m;
    }

    /** The same scenario here; returns {dropped, mean sojourn ns}. */
    static double[] simulate(QueueDiscipline.Factory qdisc, int scenario, long seed) throws Exception {
        QdiscRig q = new QdiscRig(
                seed,
                LinkConfig.delayed(Duration.ofMillis(50))
                        .bitsPerSecond(10_000_000)
                        .queue(qdisc));
        for (int i = 1; i <= PACKETS[scenario]; i++) {
            q.rig.at(i * INTERVAL_NANOS[scenario], () -> q.send(1, WIRE_BYTES, 0, 49153));
        }
        q.rig.sim.runUntilIdle();
        QueueStats s = q.stats();
        long dropped = q.rig.counters().dropped();
        assertEquals(PACKETS[scenario], q.seen.size() + dropped);
        assertEquals(dropped, s.drops());
        q.rig.close();
        return new double[] {dropped, s.meanSojournNanos()};
    }

    private static void compare(String name, QueueDiscipline.Factory qdisc) throws Exception {
        for (int scenario = 0; scenario < RATES.length; scenario++) {
            compare(name, qdisc, scenario);
        }
    }

    private static void compare(String name, QueueDiscipline.Factory qdisc, int scenario) throws Exception {
        Map<String, Double> ns3 = ns3(name, scenario);
        double[] here = simulate(qdisc, scenario, 1);
        String report = String.format(
                "%s at %s: ns-3 dropped %.0f, mean sojourn %.3f ms; here dropped %.0f, mean sojourn" + " %.3f ms",
                name, RATES[scenario], ns3.get("dropped"), ns3.get("meanSojournNs") / 1e6, here[0], here[1] / 1e6);
        System.out.println(report);
        assertEquals(ns3.get("dropped"), here[0], 0.05 * ns3.get("dropped"), report);
        assertEquals(ns3.get("meanSojournNs"), here[1], 0.05 * ns3.get("meanSojournNs"), report);
    }

    @Test
    void codelAgreesWithNs3() throws Exception {
        compare("CoDel", QueueDisciplines.codel());
    }

    @Test
    void fqCodelAgreesWithNs3() throws Exception {
        compare("FqCoDel", QueueDisciplines.fqCodel());
    }

    @Test
    void redAgreesWithNs3() throws Exception {
        // ns-3's RedQueueDisc defaults, with its LinkBandwidth (10 Mbit/s) and MeanPktSize (1,000) set as here
        compare("RED", QueueDisciplines.red(25, 5, 15, 0.02, 0.002, true, false, 1000));
    }
}
