package io.nettyvirtual.testing.junit;

import io.nettyvirtual.time.TimeMode;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives each test a fresh {@link io.nettyvirtual.VirtualNetwork}: declare a parameter of that type (or of
 * type {@link io.nettyvirtual.channel.VirtualEventLoopGroup}, a one-loop group on the same network) in a
 * {@code @Test}, {@code @SeedSweep}, {@code @BeforeEach} or {@code @AfterEach} method. On a class it applies to
 * every test of the class (and of its {@code @Nested} classes); on a method it overrides the class's settings.
 *
 * <pre>{@code
 * @VirtualNetworkTest
 * class EchoTest {
 *     @Test
 *     void echoes(VirtualNetwork net, VirtualEventLoopGroup group) { ... }
 * }
 * }</pre>
 *
 * <p>After each test the extension closes the network, and fails the test if
 * <ul>
 *   <li>a {@code ByteBuf} allocated during the test is still unreleased (Netty's {@code LeakPresenceDetector},
 *       through {@link io.nettyvirtual.testing.LeakCheck});</li>
 *   <li>the network's conservation is broken: {@code sent = delivered + dropped + in flight}, network-wide, for
 *       every node and every link;</li>
 *   <li>with {@link #idle()}, something is still in flight after {@code runUntilIdle()}.</li>
 * </ul>
 * A failing test prints its seed and the line that replays it ({@code -Dnettyvirtual.seed=<seed>} and the Maven
 * command with {@code -Dtest=Class#method}), with {@link #trace()} writes the run's packet trace as JSON lines
 * (e.g. its last {@link #traceEvents()} events) and, with {@link #report()}, an HTML report of the run.
 *
 * <p>The seed: {@link #seed()} if set, else a random one; the system property {@code nettyvirtual.seed} overrides
 * both, so the printed line replays a run whatever the annotation says.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(VirtualNetworkExtension.class)
public @interface VirtualNetworkTest {
    /** The value of {@link #seed()} that means "no seed given": a random one (printed if the test fails). */
    long RANDOM_SEED = Long.MIN_VALUE;

    /** How the network's time moves; default deterministic (the test's thread drives it). */
    TimeMode mode() default TimeMode.DETERMINISTIC;

    /** The network's seed; default {@link #RANDOM_SEED}. */
    long seed() default RANDOM_SEED;

    /**
     * Whether the test expects the network to come to rest: after the test, the extension runs it until idle and
     * fails the test if any packet is still in flight (queued or on a wire, or held anywhere the counters see).
     */
    boolean idle() default false;

    /** When to write an HTML report of the run ({@link io.nettyvirtual.testing.report.NetworkRecorder}). */
    Report report() default Report.ON_FAILURE;

    /** The report's sampling interval in virtual microseconds; default 10 ms. */
    long reportIntervalMicros() default 10_000;

    /**
     * How much of the run's {@linkplain io.nettyvirtual.trace.PacketTrace packet trace} to keep, written if the
     * test fails to {@code <dir>/<Class.method>-seed<N>.trace.jsonl} (the directory in the system property
     * {@code nettyvirtual.traces}, default {@code target/netty-virtual}), its path printed with the seed; the
     * system property {@code nettyvirtual.trace} ({@code off}, {@code last} or {@code all}) overrides it, e.g. for
     * every test of a CI run. Default off: a trace attached costs every packet event its hash and its record (in
     * the flood benchmark a ring of the last events cut throughput by half or more, {@code docs/trace.md}).
     */
    Trace trace() default Trace.OFF;

    /** With {@link Trace#LAST}, how many of the last events the trace keeps; default 10,000. */
    int traceEvents() default 10_000;

    /** How much of the trace a test keeps for its failure: nothing, its last events, or all of them. */
    enum Trace {
        /** Nothing is traced, nothing is written: the default. */
        OFF,
        /** The last {@link #traceEvents()} events, in a ring ({@code PacketTrace.last}). */
        LAST,
        /** Every event, in memory ({@code PacketTrace.inMemory}): for a test whose whole run is worth reading. */
        ALL
    }

    /**
     * When the extension writes a report, into the directory in the system property {@code nettyvirtual.reports}
     * (default {@code target/nettyvirtual-reports}), one file per test invocation; its path is printed.
     */
    enum Report {
        /** Never: nothing is recorded. */
        NEVER,
        /** When the test fails (the run is recorded all along, which changes nothing in the run). */
        ON_FAILURE,
        /** After every test. */
        ALWAYS
    }
}
