package io.nettyvirtual.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.nettyvirtual.engine.Simulation;
import io.nettyvirtual.engine.TimedEvent;
import io.nettyvirtual.network.link.LinkChain;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.network.link.QueueDiscipline;
import io.nettyvirtual.network.link.QueueDisciplines;
import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.Counter;
import io.nettyvirtual.time.TimeMode;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-packet cost of each queue discipline, beside the default FIFO in the same run: one link direction
 * ({@link LinkChain}, no hosts or channels) of 10 Mbit/s, offered 1,200-byte packets from 64 senders (so FQ-CoDel
 * has flows to schedule) 20% faster than it serializes, so the queue is always busy and the AQMs drop. A score is
 * packets offered per second of wall time; each batch runs until the link is idle again.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch", "-Dio.netty.leakDetection.level=disabled"})
public class QdiscBenchmark {
    /** Packets offered per benchmark invocation. */
    public static final int BATCH = 10_000;

    private static final int SIZE = 1200;
    /** 1,200 B at 10 Mbit/s serialize in 960 us; one arrives every 800 us. */
    private static final long INTERVAL_NANOS = 800_000;

    private static final int SENDERS = 64;

    @Param({"default", "pfifo", "pfifo_head_drop", "red", "codel", "fq_codel", "dualpi2"})
    public String qdisc;

    private Simulation sim;
    private LinkChain chain;
    private Counter total;
    private ByteBuf payload;
    private final InetSocketAddress[] from = new InetSocketAddress[SENDERS];
    private final InetSocketAddress to = new InetSocketAddress("10.0.0.2", 443);
    private long delivered;
    private int remaining;
    private final TimedEvent inject = new TimedEvent() {
        @Override
        protected void fire() {
            Packet p = new Packet(from[remaining & (SENDERS - 1)], to, payload.retainedDuplicate(), null);
            total.in(p);
            chain.accept(p);
            if (--remaining > 0) {
                sim.schedule(this, sim.nanoTime() + INTERVAL_NANOS);
            }
        }
    };

    static QueueDiscipline.Factory factory(String name) {
        switch (name) {
            case "default":
                return null;
            case "pfifo":
                return QueueDisciplines.pfifo(1000);
            case "pfifo_head_drop":
                return QueueDisciplines.pfifoHeadDrop(1000);
            case "red":
                return QueueDisciplines.red(1000, 50, 150, 0.02, 0.002, true, false, SIZE);
            case "codel":
                return QueueDisciplines.codel();
            case "fq_codel":
                return QueueDisciplines.fqCodel();
            case "dualpi2":
                return QueueDisciplines.dualPi2();
            default:
                throw new IllegalArgumentException("qdisc: " + name);
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        sim = new Simulation(TimeMode.DETERMINISTIC, 1);
        total = new Counter("network");
        chain = new LinkChain(
                sim,
                new Counter("link"),
                total,
                LinkConfig.limited(10_000_000 / 8).queue(factory(qdisc)));
        chain.attach(p -> {
            total.out(p);
            delivered++;
            p.release();
        });
        payload = Unpooled.directBuffer(SIZE).writeZero(SIZE);
        for (int i = 0; i < SENDERS; i++) {
            from[i] = new InetSocketAddress("10.0.1." + (i + 1), 40000 + i);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        sim.close();
        payload.release();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long offer() {
        remaining = BATCH;
        sim.schedule(inject, sim.nanoTime() + INTERVAL_NANOS);
        sim.runUntilIdle();
        return delivered;
    }

    /** Packets delivered so far (for the smoke test). */
    long delivered() {
        return delivered;
    }

    /** Packets dropped network-wide so far (for the smoke test). */
    long dropped() {
        return total.snapshot().dropped();
    }
}
