package io.nettyvirtual.bench;

import io.nettyvirtual.bench.support.FloodPair;
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
 * Benchmark 1: one channel floods another. Virtual: two hosts on an ideal wire, deterministic mode, one loop
 * driven by the benchmark thread. NIO: two NioDatagramChannels on 127.0.0.1, each on its own loop thread. Same
 * {@code Flood} and {@code Sink} handlers, same options.
 *
 * <p>The primary score counts datagrams written; the secondary {@code delivered} counts datagrams that reached the
 * receiving handler (NIO loopback drops when the receiver falls behind). Compare {@code delivered}.
 */
public class DatagramThroughputBenchmark extends SteadyStateBenchmark {
    /** Datagrams per benchmark invocation. */
    public static final int BATCH = 4096;

    @Param({"64", "1200", "8192"})
    public int size;

    @Param({"virtual", "nio", "epoll", "epoll-gso"})
    public String transport;

    /**
     * {@code shared}: every datagram a retained duplicate of one payload buffer (the virtual transport copies it,
     * since the sender still holds the payload, as the kernel copies every datagram); {@code own}: a new buffer per
     * datagram holding a copy of the payload, made by the sender on both transports (the virtual transport hands it
     * over).
     */
    @Param({"shared", "own"})
    public String buffers;

    private FloodPair pair;

    /** Datagrams delivered to the receiving handler, per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Delivered {
        public long delivered;

        @Setup(Level.Iteration)
        public void reset() {
            delivered = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        pair = FloodPair.create(transport, size, buffers.equals("own"));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        pair.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long flood(Delivered d) {
        long n = pair.flood(BATCH);
        d.delivered += n;
        return n;
    }
}
