package io.nettyvirtual.bench;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.Promise;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.channel.VirtualEventLoopGroup;
import io.nettyvirtual.engine.Simulation;
import io.nettyvirtual.engine.TimedEvent;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Benchmark 2: timer events per second with {@code pending} timers always waiting (the hold model: every timer
 * that fires schedules itself again after a random delay, so the number pending stays constant).
 *
 * <ul>
 *   <li>{@code heap}: {@link TimedEvent}s in the simulation's event heap (what wires and switches use), driven by
 *       {@code runUntil} on a network that also has one event loop, as every real simulation does.</li>
 *   <li>{@code schedule}: {@code EventLoop.schedule(Runnable, delay)} on a virtual event loop (what handlers,
 *       {@code IdleStateHandler} and the QUIC codec use), driven the same way.</li>
 *   <li>{@code nio}: the same task with {@code EventLoop.schedule} on a real NIO event loop. Real timers fire on
 *       the wall clock, so the delays are made short enough (uniform in [0, pending x 10 ns)) that the loop is
 *       always behind and fires timers as fast as it can: its events per second are its ceiling.</li>
 * </ul>
 */
public class ClockBenchmark extends SteadyStateBenchmark {
    /** Timer events per benchmark invocation. */
    public static final int BATCH = 100_000;

    private static final int DELAYS = 1 << 16;

    @Param({"1000", "100000"})
    public int pending;

    @Param({"heap", "schedule", "nio"})
    public String via;

    private VirtualNetwork net;
    private EventLoopGroup nioGroup;
    private EventLoop loop;
    private final Counter counter = new Counter();

    /** Shared by all timers of one run; touched only on the thread that fires them. */
    static final class Counter {
        long fired;
        long stopAt = Long.MAX_VALUE;
        Promise<Void> reached;

        void fired() {
            if (++fired == stopAt) {
                reached.trySuccess(null);
            }
        }
    }

    static long[] delays(long maxNanos) {
        SplittableRandom r = new SplittableRandom(7);
        long[] d = new long[DELAYS];
        for (int i = 0; i < d.length; i++) {
            d[i] = 1 + r.nextLong(maxNanos);
        }
        return d;
    }

    /** A network event that reschedules itself in the simulation's event heap. */
    static final class HoldEvent extends TimedEvent {
        private final Simulation sim;
        private final long[] delays;
        private final Counter counter;
        private int next;

        HoldEvent(Simulation sim, long[] delays, Counter counter, int start) {
            this.sim = sim;
            this.delays = delays;
            this.counter = counter;
            this.next = start;
        }

        @Override
        protected void fire() {
            sim.schedule(this, sim.nanoTime() + delays[next++ & (DELAYS - 1)]);
            counter.fired();
        }
    }

    /** An event loop task that reschedules itself on its loop. */
    static final class HoldTask implements Runnable {
        private final EventLoop loop;
        private final long[] delays;
        private final Counter counter;
        private int next;

        HoldTask(EventLoop loop, long[] delays, Counter counter, int start) {
            this.loop = loop;
            this.delays = delays;
            this.counter = counter;
            this.next = start;
        }

        void start() {
            loop.schedule(this, delays[next++ & (DELAYS - 1)], TimeUnit.NANOSECONDS);
        }

        @Override
        public void run() {
            start();
            counter.fired();
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        switch (via) {
            case "heap": {
                net = VirtualNetwork.create(7);
                loop = new VirtualEventLoopGroup(net).next();
                long[] d = delays(1_000_000);
                Simulation sim = net.simulation();
                for (int i = 0; i < pending; i++) {
                    HoldEvent e = new HoldEvent(sim, d, counter, i * 7919);
                    sim.schedule(e, d[i & (DELAYS - 1)]);
                }
                break;
            }
            case "schedule": {
                net = VirtualNetwork.create(7);
                loop = new VirtualEventLoopGroup(net).next();
                long[] d = delays(1_000_000);
                for (int i = 0; i < pending; i++) {
                    new HoldTask(loop, d, counter, i * 7919).start();
                }
                break;
            }
            case "nio": {
                nioGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
                loop = nioGroup.next();
                long[] d = delays(pending * 10L);
                loop.submit(() -> {
                            for (int i = 0; i < pending; i++) {
                                new HoldTask(loop, d, counter, i * 7919).start();
                            }
                        })
                        .sync();
                break;
            }
            default:
                throw new IllegalArgumentException("via: " + via);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (net != null) {
            net.close();
        }
        if (nioGroup != null) {
            nioGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long fire() throws Exception {
        if (net != null) {
            Promise<Void> p = loop.newPromise();
            counter.reached = p;
            counter.stopAt = counter.fired + BATCH;
            net.runUntil(p);
            return counter.fired;
        }
        Promise<Void> p = loop.newPromise();
        loop.execute(() -> {
            counter.reached = p;
            counter.stopAt = counter.fired + BATCH;
        });
        p.sync();
        return BATCH;
    }

    /** Timers fired so far (for the smoke test). */
    long fired() {
        return counter.fired;
    }
}
