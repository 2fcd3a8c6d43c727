package io.nettyvirtual.testing.junit;

import static io.nettyvirtual.testing.Nets.addr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.channel.VirtualEventLoopGroup;
import io.nettyvirtual.network.Host;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.testing.Nets;
import io.nettyvirtual.testing.Recorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tests that the extension's own tests run through JUnit's {@code EngineTestKit} ({@link VirtualNetworkExtensionTest}):
 * several fail on purpose. Not a test class of its own (Surefire does not pick this name).
 */
final class ExtensionCases {
    private ExtensionCases() {}

    @VirtualNetworkTest(seed = 4242)
    static class Failing {
        @Test
        void fails(VirtualNetwork net) {
            fail("deliberately, at " + net.clock().nanoTime());
        }
    }

    @VirtualNetworkTest(seed = 7)
    static class Leaky {
        @Test
        void leaksABuffer(VirtualNetwork net) {
            ByteBufAllocator.DEFAULT.directBuffer(16).writeInt(1); // never released
        }
    }

    /** The same network in {@code @BeforeEach}, the test and {@code @AfterEach}; a new one per test. */
    @VirtualNetworkTest(seed = 11)
    static class Lifecycle {
        static final List<VirtualNetwork> SEEN = Collections.synchronizedList(new ArrayList<>());
        VirtualNetwork before;

        @BeforeEach
        void before(VirtualNetwork net) {
            before = net;
        }

        @Test
        void first(VirtualNetwork net) {
            assertSame(before, net);
            assertEquals(11, net.seed());
            SEEN.add(net);
        }

        @Test
        void second(VirtualNetwork net) {
            assertSame(before, net);
            SEEN.add(net);
        }

        @AfterEach
        void after(VirtualNetwork net) {
            assertSame(before, net);
        }
    }

    /**
     * A lossy bottleneck that fails its assertion: the extension writes the report (ON_FAILURE, the default) and,
     * asked to, the trace.
     */
    @VirtualNetworkTest(seed = 5, reportIntervalMicros = 5_000, trace = VirtualNetworkTest.Trace.LAST)
    static class FailingWithReport {
        @Test
        void expectsNoLoss(VirtualNetwork net, VirtualEventLoopGroup group) {
            Host a = net.newHost("a", "10.0.0.1"), b = net.newHost("b", "10.0.0.2");
            net.newWire(
                    a,
                    b,
                    LinkConfig.delayed(Duration.ofMillis(20))
                            .bitsPerSecond(2_000_000)
                            .queuePackets(40)
                            .loss(0.02));
            Recorder rec = new Recorder(net.clock());
            Nets.bind(net, group, addr("10.0.0.2", 7), rec);
            Channel sender = Nets.bind(net, group, addr("10.0.0.1", 9), new Recorder(net.clock()));
            for (int burst = 0; burst < 4; burst++) {
                sender.eventLoop()
                        .schedule(
                                () -> {
                                    for (int i = 0; i < 60; i++) {
                                        sender.write(Nets.sized(1200, addr("10.0.0.2", 7)));
                                    }
                                    sender.flush();
                                },
                                100 * burst,
                                TimeUnit.MILLISECONDS);
            }
            net.runUntilIdle();
            assertEquals(240, rec.count(), "datagrams received");
        }
    }

    /** Passes, and asks for a report every time. */
    @VirtualNetworkTest(seed = 6, report = VirtualNetworkTest.Report.ALWAYS)
    static class PassingWithReport {
        @Test
        void passes(VirtualNetwork net) {
            net.runFor(Duration.ofMillis(1));
        }
    }

    /** No report asked: nothing recorded, nothing written. */
    @VirtualNetworkTest(seed = 8, report = VirtualNetworkTest.Report.NEVER)
    static class FailingWithoutReport {
        @Test
        void fails(VirtualNetwork net) {
            fail("deliberately");
        }
    }

    /** Sends two datagrams over a wire and fails: the trace keeps its last 5 events only. */
    @VirtualNetworkTest(
            seed = 13,
            trace = VirtualNetworkTest.Trace.LAST,
            traceEvents = 5,
            report = VirtualNetworkTest.Report.NEVER)
    static class FailingWithShortTrace {
        @Test
        void fails(VirtualNetwork net, VirtualEventLoopGroup group) {
            twoDatagrams(net, group);
            fail("deliberately");
        }
    }

    /** The same, tracing off (the default): nothing traced, nothing written. */
    @VirtualNetworkTest(seed = 13, report = VirtualNetworkTest.Report.NEVER)
    static class FailingUntraced {
        @Test
        void fails(VirtualNetwork net, VirtualEventLoopGroup group) {
            twoDatagrams(net, group);
            fail("deliberately");
        }
    }

    /** The same traffic, passing: a trace is kept but not written. */
    @VirtualNetworkTest(seed = 13, trace = VirtualNetworkTest.Trace.LAST, report = VirtualNetworkTest.Report.NEVER)
    static class PassingTraced {
        @Test
        void passes(VirtualNetwork net, VirtualEventLoopGroup group) {
            twoDatagrams(net, group);
        }
    }

    static void twoDatagrams(VirtualNetwork net, VirtualEventLoopGroup group) {
        Host a = net.newHost("a", "10.0.0.1"), b = net.newHost("b", "10.0.0.2");
        net.newWire(a, b, LinkConfig.delayed(Duration.ofMillis(3)));
        Recorder rec = new Recorder(net.clock());
        Nets.bind(net, group, addr("10.0.0.2", 7), rec);
        Channel sender = Nets.bind(net, group, addr("10.0.0.1", 9), new Recorder(net.clock()));
        sender.writeAndFlush(Nets.sized(100, addr("10.0.0.2", 7)));
        sender.writeAndFlush(Nets.sized(200, addr("10.0.0.2", 7)));
        net.runUntilIdle();
        assertEquals(2, rec.count(), "datagrams received");
    }

    /** Passes by itself; {@link VirtualNetworkExtensionTest} makes the counters it reads unbalanced. */
    @VirtualNetworkTest(seed = 12)
    static class Unbalanced {
        @Test
        void passes(VirtualNetwork net) {
            net.runFor(Duration.ofMillis(1));
        }
    }

    /** Fails at seed 103 only. */
    static class Sweep {
        static final List<Long> RAN = Collections.synchronizedList(new ArrayList<>());

        @SeedSweep(from = 100, count = 10)
        void failsAt103(VirtualNetwork net) {
            RAN.add(net.seed());
            if (net.seed() == 103) {
                fail("seed 103 is the bad one");
            }
        }
    }

    /** Every run sends and receives datagrams (buffers in use while other runs end) over a lossy wire. */
    @VirtualNetworkTest(idle = true)
    static class SweepWithTraffic {
        static final List<Long> RAN = Collections.synchronizedList(new ArrayList<>());
        static final AtomicInteger RUNNING = new AtomicInteger();
        static final AtomicInteger MOST_AT_ONCE = new AtomicInteger();

        @SeedSweep(from = 0, count = 24)
        void echoes(VirtualNetwork net, VirtualEventLoopGroup group) throws InterruptedException {
            MOST_AT_ONCE.accumulateAndGet(RUNNING.incrementAndGet(), Math::max);
            ALL_STARTED.countDown();
            ALL_STARTED.await(5, TimeUnit.SECONDS); // wall time: lets the first runs overlap, if they can
            Host a = net.newHost("a", "10.0.0.1"), b = net.newHost("b", "10.0.0.2");
            net.newWire(a, b, LinkConfig.delayed(Duration.ofMillis(5)).loss(0.2));
            Nets.bind(net, group, addr("10.0.0.2", 7), new io.nettyvirtual.testing.Echo());
            Recorder rec = new Recorder(net.clock());
            Channel c = Nets.bind(net, group, addr("10.0.0.1", 9), rec);
            for (int i = 0; i < 50; i++) {
                c.writeAndFlush(Nets.sized(500, addr("10.0.0.2", 7)));
            }
            net.runUntilIdle();
            RAN.add(net.seed());
            RUNNING.decrementAndGet();
        }

        static final CountDownLatch ALL_STARTED = new CountDownLatch(4);
    }

    static class SweepAllPass {
        static final List<Long> RAN = Collections.synchronizedList(new ArrayList<>());

        @SeedSweep(from = 5, count = 3)
        void passes(VirtualNetwork net) {
            RAN.add(net.seed());
        }
    }
}
