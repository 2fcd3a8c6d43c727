package io.nettyvirtual.network.route;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Assumptions;

/**
 * Counts the bytes the current thread allocates while a piece of code runs, to show a per-datagram path allocates
 * nothing: a path that allocated even 16 bytes per call would show 160 KB over 10,000 calls. Callers allow less than
 * a byte per call, since the JVM itself may allocate a few hundred bytes once on the thread while the code runs (a
 * compilation's deoptimization, a class initialised on the way), which says nothing about the path.
 */
public final class Allocations {
    private Allocations() {}

    /** Bytes allocated by this thread while {@code calls} runs {@code body} that many times. */
    public static long bytesAllocated(int calls, Runnable body) {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(
                bean instanceof com.sun.management.ThreadMXBean, "this JVM cannot count allocated bytes per thread");
        com.sun.management.ThreadMXBean counting = (com.sun.management.ThreadMXBean) bean;
        Assumptions.assumeTrue(counting.isThreadAllocatedMemoryEnabled(), "allocation counting is off");
        long id = Thread.currentThread().getId();
        for (int i = 0; i < calls; i++) { // warm up: first calls may load classes
            body.run();
        }
        long before = counting.getThreadAllocatedBytes(id);
        for (int i = 0; i < calls; i++) {
            body.run();
        }
        return counting.getThreadAllocatedBytes(id) - before;
    }
}
