package io.nettyvirtual.testing.junit;

import io.nettyvirtual.NetworkExtension;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.trace.PacketTrace;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;

/**
 * Traces the networks that code builds for itself, for a test of code that makes its own {@link VirtualNetwork}
 * (a demo's {@code run} method) and so cannot be handed one: {@link #traced(Callable)} runs the code and returns
 * a {@link PacketTrace#hashing()} trace of every network built on the calling thread meanwhile, attached as it is
 * built, before the code adds a host. It works as a {@link NetworkExtension}: register it in the test resources,
 * in {@code META-INF/services/io.nettyvirtual.NetworkExtension}, with the line
 * {@code io.nettyvirtual.testing.junit.TraceEveryNetwork}. Registered and not running {@link #traced}, it does
 * nothing but read a thread-local when a network is built.
 *
 * <pre>{@code
 * TraceEveryNetwork.Traced<Result> run = TraceEveryNetwork.traced(() -> Demo.run(seed, out));
 * long hash = run.only().hash();
 * }</pre>
 */
public final class TraceEveryNetwork implements NetworkExtension {
    private static final ThreadLocal<List<PacketTrace>> ARMED = new ThreadLocal<>();

    /** The instance {@link ServiceLoader} makes. */
    public TraceEveryNetwork() {}

    /**
     * What {@link #traced} returns: the code's result and the traces of the networks it built, in build order.
     *
     * @param <T> the type of the code's result
     * @param result what the code returned
     * @param traces one trace per network built, in the order they were built
     */
    public record Traced<T>(T result, List<PacketTrace> traces) {
        /** Makes the list read-only. */
        public Traced {
            traces = Collections.unmodifiableList(new ArrayList<>(traces));
        }

        /**
         * The trace of the one network the code built.
         *
         * @throws IllegalStateException naming the count if the code built none or several
         */
        public PacketTrace only() {
            if (traces.size() != 1) {
                throw new IllegalStateException("the code built " + traces.size() + " networks, not one: " + traces);
            }
            return traces.get(0);
        }
    }

    /**
     * Runs {@code code} on this thread with every network it builds here traced; what it throws passes through.
     *
     * @throws IllegalStateException if this class is not registered as a {@link NetworkExtension} (it could trace
     *         nothing), or if called from inside another {@code traced}
     */
    public static <T> Traced<T> traced(Callable<T> code) throws Exception {
        if (code == null) {
            throw new NullPointerException("code");
        }
        if (!Registered.YES) {
            throw new IllegalStateException("TraceEveryNetwork is not registered: add the line "
                    + TraceEveryNetwork.class.getName() + " to META-INF/services/" + NetworkExtension.class.getName()
                    + " in the test resources");
        }
        if (ARMED.get() != null) {
            throw new IllegalStateException("TraceEveryNetwork.traced is already running on this thread");
        }
        List<PacketTrace> traces = new ArrayList<>();
        ARMED.set(traces);
        try {
            T result = code.call();
            return new Traced<>(result, traces);
        } finally {
            ARMED.remove();
        }
    }

    @Override
    public void networkCreated(VirtualNetwork network) {
        List<PacketTrace> traces = ARMED.get();
        if (traces != null) {
            PacketTrace trace = PacketTrace.hashing();
            network.addTap(trace);
            traces.add(trace);
        }
    }

    /** Whether the service file lists this class, looked up once. */
    private static final class Registered {
        static final boolean YES =
                ServiceLoader.load(NetworkExtension.class, VirtualNetwork.class.getClassLoader()).stream()
                        .anyMatch(p -> p.type() == TraceEveryNetwork.class);
    }
}
