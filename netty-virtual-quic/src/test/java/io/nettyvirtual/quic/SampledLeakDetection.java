package io.nettyvirtual.quic;

import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For tests that move megabytes: Netty's leak detector samples buffers ({@code SIMPLE}, one in 128) instead of
 * tracking every one ({@code PARANOID}, the build's level), and the level is restored afterwards. The
 * {@code LeakCheck} extension still fails the test on any leak reported.
 *
 * <p>Why: at PARANOID every access to a tracked buffer records a stack trace, and a 10 MB QUIC transfer allocates
 * and touches tens of thousands of them; it takes about 9 s of wall time instead of 0.5 s. A leak per packet or
 * per stream still shows up among the sampled buffers.
 */
public final class SampledLeakDetection implements BeforeEachCallback, AfterEachCallback {
    private ResourceLeakDetector.Level previous;

    @Override
    public void beforeEach(ExtensionContext context) {
        previous = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        ResourceLeakDetector.setLevel(previous);
    }
}
