package io.nettyvirtual.testing;

import io.netty.util.LeakPresenceDetector;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that leaves a buffer unreleased: every {@code ByteBuf} allocated while a test runs, on any thread,
 * must be released by the time it ends. Registered for every test through JUnit's extension auto-detection
 * ({@code META-INF/services}), so that it installs its detector before any test class touches a buffer.
 *
 * <p>It uses Netty's own {@link LeakPresenceDetector} (Netty 4.2), with one resource scope per test: the check is
 * exact and immediate at the end of the test, where a garbage-collection-based detector reports a leak only when
 * the collector happens to reclaim the buffer, possibly during a later test. Buffers made in static initializers
 * are not tracked (Netty's rule). To see where a leaked buffer was allocated, run the test with
 * {@code -Dio.netty.util.LeakPresenceDetector.trackCreationStack=true}.
 */
public final class LeakCheck implements BeforeEachCallback, AfterEachCallback {
    /** Where buffers allocated now are counted; swapped at the start and at the end of every test. */
    private static volatile LeakPresenceDetector.ResourceScope scope =
            new LeakPresenceDetector.ResourceScope("outside tests");

    static {
        if (ResourceLeakDetector.getLevel() == ResourceLeakDetector.Level.DISABLED) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
        }
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
            @Override
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(
                    Class<T> resource, int samplingInterval, long maxActive) {
                return new ScopedDetector<>(resource);
            }
        });
    }

    /** Netty's presence detector, counting each resource in the scope of the test that allocated it. */
    private static final class ScopedDetector<T> extends LeakPresenceDetector<T> {
        ScopedDetector(Class<?> resourceType) {
            super(resourceType);
        }

        @Override
        protected ResourceScope currentScope() {
            return scope;
        }
    }

    /** Starts counting the buffers allocated from now on as {@code name}'s. */
    static void begin(String name) {
        scope = new LeakPresenceDetector.ResourceScope(name);
    }

    /**
     * Ends {@code name}'s scope (begun by {@link #begin}). A scope with unreleased buffers is closed, which gives
     * Netty's report of them; releasing one of those buffers afterwards fails with
     * {@code AllocationProhibitedException}, after the test has already failed. A clean scope is left open, so that
     * nothing it counted can fail later.
     *
     * @throws AssertionError if a buffer allocated in it is still unreleased
     */
    static void end(String name) {
        LeakPresenceDetector.ResourceScope ended = scope;
        scope = new LeakPresenceDetector.ResourceScope("after " + name);
        if (!ended.hasOpenResources()) {
            return;
        }
        try {
            ended.close();
            throw new AssertionError("ByteBuf leak in " + name);
        } catch (IllegalStateException e) {
            throw new AssertionError(
                    "ByteBuf leak in " + name + ": a buffer allocated during the test was not "
                            + "released by its end (-Dio.netty.util.LeakPresenceDetector.trackCreationStack=true shows "
                            + "where it was allocated)",
                    e);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        begin(context.getDisplayName());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        end(context.getDisplayName());
    }
}
