package io.nettyvirtual.bench;

import io.nettyvirtual.bench.support.PacedFlow;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Benchmark 6, the first run: what a JUnit test sees, which runs its scenario once, often in a fresh JVM. One shot
 * per fork and no warm-up (each fork a fresh JVM, so the shot pays class loading, the interpreter and JIT
 * compilation, and the page faults of a fresh heap); many forks. Run with warm-ups ({@code -wi 30 -f 1}), the same
 * benchmark gives the steady state it is reported beside.
 * <ul>
 *   <li>{@code paced}: {@link PacedFlow}, a timer-paced 12 Mbit/s flow into a 10 Mbit/s, 50 ms wire for
 *       {@code virtualSeconds} of virtual time, network built and closed inside the shot. ns-3's counterpart:
 *       {@code ns3/paced-flow/}.</li>
 *   <li>{@code quic}: {@link QuicTransferBenchmark}'s exact-wire 10 MiB download (10 Mbit/s, 50 ms), network,
 *       codecs, handshake and transfer inside the shot; only the 10 MiB payload is made before it.</li>
 * </ul>
 * The heap is the JVM's default, as a test JVM's; Netty's leak detector is off, as in the steady-state benchmarks.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(value = 20, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
public class FirstRunBenchmark {
    /** Seed of the paced flow's network. */
    static final long SEED = 12;

    @Param({"paced", "quic"})
    public String scenario;

    /** Virtual seconds of the paced flow (the QUIC download runs to its end). */
    @Param({"60"})
    public int virtualSeconds;

    /** The QUIC download's wire: {@code 10mbit} (10 Mbit/s, 50 ms; the benchmark) or {@code ideal} (the smoke test). */
    @Param({"10mbit"})
    public String wire;

    private QuicTransferBenchmark quic;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        switch (scenario) {
            case "paced":
                break;
            case "quic":
                quic = new QuicTransferBenchmark();
                quic.transport = "virtual";
                quic.wire = wire;
                quic.setUpTrial();
                break;
            default:
                throw new IllegalArgumentException("scenario " + scenario + " (expected paced or quic)");
        }
    }

    /** One run of the scenario; returns datagrams delivered (paced) or bytes received and checked (quic). */
    @Benchmark
    public long run() throws Exception {
        if (quic == null) {
            return PacedFlow.run(Duration.ofSeconds(virtualSeconds), SEED).delivered;
        }
        quic.setUpTransfer();
        try {
            return quic.transferOnce();
        } finally {
            quic.tearDownTransfer();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (quic != null) {
            quic.tearDownTrial();
            quic = null;
        }
    }

    /**
     * One first run outside JMH, for the AppCDS script ({@code run-first.sh}): {@code java -cp benchmarks.jar
     * io.nettyvirtual.bench.FirstRunBenchmark [paced|quic]} prints {@code first-run <scenario> <ms> ms <result>},
     * the wall time of the run alone (set-up of the QUIC payload excluded, as under JMH).
     */
    public static void main(String[] args) throws Exception {
        FirstRunBenchmark b = new FirstRunBenchmark();
        b.scenario = args.length > 0 ? args[0] : "paced";
        b.virtualSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        b.wire = "10mbit";
        b.setUp();
        try {
            long t0 = System.nanoTime();
            long result = b.run();
            long t1 = System.nanoTime();
            System.out.printf(java.util.Locale.ROOT, "first-run %s %.1f ms %d%n", b.scenario, (t1 - t0) / 1e6, result);
        } finally {
            b.tearDown();
        }
    }
}
