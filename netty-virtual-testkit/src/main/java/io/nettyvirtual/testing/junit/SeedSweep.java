package io.nettyvirtual.testing.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test once per seed, each time with a fresh {@link io.nettyvirtual.VirtualNetwork} of that seed
 * (inject it as a parameter, as with {@link VirtualNetworkTest}, whose settings from the method or class apply to
 * every run). The runs are JUnit test-template invocations named {@code seed N}: JUnit's parallel execution
 * ({@code junit.jupiter.execution.parallel.enabled}) runs them concurrently, each on its own network.
 *
 * <pre>{@code
 * @SeedSweep(count = 100)
 * void survivesLoss(VirtualNetwork net) { ... }
 * }</pre>
 *
 * <p>The sweep stops at the first failing seed: the runs that have not started by then are skipped, with the
 * failing seed in the reason, and the failure prints the line that replays that one seed.
 *
 * <p>The seeds are {@link #from()} to {@code from + count - 1}. The system property {@code nettyvirtual.seeds}
 * overrides them with a range {@code A-B} (both included) or a single seed {@code A}, which is how a CI matrix
 * splits one sweep across machines ({@code docs/testing.md}); {@code nettyvirtual.seed} runs just that seed.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestTemplate
@ExtendWith(VirtualNetworkExtension.class)
public @interface SeedSweep {
    /** How many seeds; default 100. */
    int count() default 100;

    /** The first seed; default 0. */
    long from() default 0;
}
