package io.nettyvirtual.bench;

import io.nettyvirtual.bench.support.FloodPair;
import io.nettyvirtual.trace.PacketTrace;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the packet trace costs, on issue 4's flood ({@link DatagramThroughputBenchmark}'s virtual pair: two hosts on
 * an ideal wire, one loop, deterministic mode, shared buffers): the same flood with no trace (tracing off, the
 * default of a network), with a {@link PacketTrace#hashing()} trace on the whole network, and with the ring of the
 * last events a {@code @VirtualNetworkTest} keeps by default ({@link PacketTrace#last(int)}). Each datagram makes
 * eight trace events on its way (sent, into and out of each host and the wire, delivered).
 *
 * <p>Besides datagrams per second, two secondary counters give the benchmark thread's CPU time and the datagrams
 * it flooded in each iteration ({@code cpuNanos / datagrams}: CPU nanoseconds per datagram), a figure that a loaded
 * machine disturbs less than wall-clock throughput (the flood runs on one thread, the benchmark's).
 *
 * <p>Run it with {@code java -jar target/benchmarks.jar TraceOverheadBenchmark -f 1 -wi 2 -i 3}; the three
 * settings run in one JVM fork each, in the order given ({@code -p trace=last,hashing,none} reverses it).
 */
public class TraceOverheadBenchmark extends SteadyStateBenchmark {
    /** Datagrams per benchmark invocation, as in the flood. */
    public static final int BATCH = DatagramThroughputBenchmark.BATCH;

    /** The ring's size: the extension's default {@code traceEvents}. */
    public static final int RING = 10_000;

    @Param({"none", "hashing", "last"})
    public String trace;

    @Param({"64", "1200"})
    public int size;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private FloodPair.Virtual pair;
    private PacketTrace attached;

    /** The benchmark thread's CPU time and the datagrams it flooded, per iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Cpu {
        public long cpuNanos;
        public long datagrams;

        @Setup(Level.Iteration)
        public void reset() {
            cpuNanos = 0;
            datagrams = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        pair = (FloodPair.Virtual) FloodPair.create("virtual", size, false);
        switch (trace) {
            case "none":
                attached = null;
                break;
            case "hashing":
                attached = PacketTrace.hashing();
                break;
            case "last":
                attached = PacketTrace.last(RING);
                break;
            default:
                pair.close();
                throw new IllegalArgumentException("trace: " + trace + " (expected none, hashing or last)");
        }
        if (attached != null) {
            pair.net.addTap(attached);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pair.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long flood(Cpu cpu) {
        long start = THREADS.getCurrentThreadCpuTime();
        long n = pair.flood(BATCH);
        cpu.cpuNanos += THREADS.getCurrentThreadCpuTime() - start;
        cpu.datagrams += n;
        return n;
    }

    /** Events the trace saw so far (0 with none): for the smoke test. */
    long events() {
        return attached == null ? 0 : attached.count();
    }
}
