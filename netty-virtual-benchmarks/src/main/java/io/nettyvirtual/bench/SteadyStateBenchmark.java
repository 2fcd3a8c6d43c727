package io.nettyvirtual.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JMH set-up every steady-state benchmark shares (JMH annotations are inherited): operations per second,
 * state per thread, one fork with a fixed heap touched at start-up and Netty's leak detector off. A subclass
 * overrides an annotation by declaring its own.
 *
 * <p>The fixed, pre-touched heap is there because otherwise the first iterations pay the page faults of eden
 * regions used for the first time, and a benchmark's figure then depends on how many iterations it ran; the leak
 * detector is off because its sampled stack traces show in the profiles of both transports.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch", "-Dio.netty.leakDetection.level=disabled"})
public abstract class SteadyStateBenchmark {}
