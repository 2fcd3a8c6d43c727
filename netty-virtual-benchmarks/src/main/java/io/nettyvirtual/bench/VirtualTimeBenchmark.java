package io.nettyvirtual.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.bench.support.Flood;
import io.nettyvirtual.bench.support.Sink;
import io.nettyvirtual.channel.VirtualDatagramChannel;
import io.nettyvirtual.channel.VirtualEventLoopGroup;
import io.nettyvirtual.network.Host;
import io.nettyvirtual.network.link.LinkConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Benchmark 3: how much faster than the wall clock a saturating UDP flow runs. One {@link Flood} writes 1,200-byte
 * datagrams without end over a wire of {@code bitsPerSecond} and 50 ms one-way delay (deterministic mode); it
 * stops only when its channel turns unwritable, so the wire's serializer never idles. One invocation runs
 * {@code virtualSeconds} of simulation time. The secondary score {@code virtualSeconds} is virtual seconds per wall
 * second (a real link of that rate runs at exactly 1); {@code delivered} is datagrams per wall second.
 */
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
public class VirtualTimeBenchmark extends SteadyStateBenchmark {
    public static final int SIZE = 1200;

    @Param({"10000000", "1000000000"})
    public long bitsPerSecond;

    @Param({"60"})
    public int virtualSeconds;

    private VirtualNetwork net;
    private ByteBuf payload;
    private Sink sink;
    private long counted;
    private long started;

    /** Virtual seconds and delivered datagrams, per wall second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Progress {
        public double virtualSeconds;
        public long delivered;

        @Setup(Level.Iteration)
        public void reset() {
            virtualSeconds = 0;
            delivered = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        net = VirtualNetwork.create(3);
        VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
        Host a = net.newHost("a", "10.0.0.1");
        Host b = net.newHost("b", "10.0.0.2");
        net.newWire(a, b, new LinkConfig().bitsPerSecond(bitsPerSecond).delay(Duration.ofMillis(50)));
        sink = new Sink();
        InetSocketAddress to = new InetSocketAddress("10.0.0.2", 9000);
        net.runUntil(new Bootstrap()
                .group(group)
                .channel(VirtualDatagramChannel.class)
                .handler(sink)
                .bind(to));
        payload = Unpooled.directBuffer(SIZE).writeZero(SIZE);
        Flood flood = new Flood(payload, to);
        Channel tx = net.runUntil(new Bootstrap()
                        .group(group)
                        .channel(VirtualDatagramChannel.class)
                        .handler(flood)
                        .bind(new InetSocketAddress("10.0.0.1", 9001)))
                .channel();
        flood.start(Long.MAX_VALUE);
        net.runFor(Duration.ofMillis(100)); // past the first delay: the pipe is full
        counted = sink.datagrams();
        started = net.clock().nanoTime();
        if (!tx.isActive()) {
            throw new IllegalStateException("sender not bound");
        }
    }

    /** Delivered bits over virtual time since the pipe filled, against the wire's rate (1.0: saturated). */
    public double utilization() {
        double seconds = (net.clock().nanoTime() - started) / 1e9;
        return (sink.datagrams() - counted) * SIZE * 8.0 / (bitsPerSecond * seconds);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        System.out.printf(
                "%nwire %,d bit/s: utilization %.4f over %.1f virtual s%n",
                bitsPerSecond, utilization(), (net.clock().nanoTime() - started) / 1e9);
        net.close();
        payload.release();
    }

    @Benchmark
    public long run(Progress p) {
        long before = sink.datagrams();
        net.runFor(Duration.ofSeconds(virtualSeconds));
        long d = sink.datagrams() - before;
        p.virtualSeconds += virtualSeconds;
        p.delivered += d;
        return d;
    }

    VirtualNetwork network() {
        return net;
    }
}
