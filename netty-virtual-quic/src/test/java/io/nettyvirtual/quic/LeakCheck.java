package io.nettyvirtual.quic;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fails a test that leaks a {@link ByteBuf}: the parent pom runs tests with PARANOID leak detection, and
 * this extension (auto-registered through {@code META-INF/services}) turns Netty's leak reports into test
 * failures. After each test it forces a garbage collection and lets the detector poll its queue.
 */
public final class LeakCheck implements AfterEachCallback {

    private static final List<String> LEAKS = new ArrayList<>();

    static {
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        collectGarbage();
        // Allocating a tracked buffer makes the detector drain its reference queue and report.
        ByteBufAllocator[] allocators = {ByteBufAllocator.DEFAULT, UnpooledByteBufAllocator.DEFAULT};
        for (ByteBufAllocator allocator : allocators) {
            allocator.directBuffer(1).release();
            allocator.heapBuffer(1).release();
        }
        List<String> leaks;
        synchronized (LEAKS) {
            leaks = new ArrayList<>(LEAKS);
            LEAKS.clear();
        }
        if (!leaks.isEmpty()) {
            fail(leaks.size() + " leak(s) in " + context.getDisplayName() + ":\n" + String.join("\n", leaks));
        }
    }

    /** Returns once a full collection has run and its weak references have been enqueued. */
    private static void collectGarbage() throws InterruptedException {
        for (int i = 0; i < 2; i++) {
            ReferenceQueue<Object> queue = new ReferenceQueue<>();
            WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
            do {
                System.gc();
            } while (queue.remove(100) == null);
            sentinel.clear();
        }
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(
                Class<T> resource, int samplingInterval, long maxActive) {
            return new ResourceLeakDetector<T>(resource, samplingInterval) {
                @Override
                protected boolean needReport() {
                    return true;
                }

                @Override
                protected void reportTracedLeak(String resourceType, String records) {
                    record("LEAK: " + resourceType + records);
                }

                @Override
                protected void reportUntracedLeak(String resourceType) {
                    record("LEAK (untraced): " + resourceType);
                }
            };
        }

        private static void record(String leak) {
            synchronized (LEAKS) {
                LEAKS.add(leak);
            }
        }
    }
}
