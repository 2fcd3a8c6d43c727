package io.nettyvirtual.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Promise;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.channel.VirtualEventLoopGroup;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The run calls at the edges of virtual time: overflowing ends, idle waits, futures that never complete. */
class RunLimitsTest {

    private static void assertMentions(Throwable t, String value) {
        assertTrue(
                String.valueOf(t.getMessage()).contains(value),
                "message should name '" + value + "': " + t.getMessage());
    }

    @Test
    void runForWhoseEndOverflowsTheClockIsRejected() {
        try (VirtualNetwork net = VirtualNetwork.create(1)) {
            assertMentions(
                    assertThrows(IllegalArgumentException.class, () -> net.runFor(Duration.ofDays(365_000))),
                    "PT8760000H");
            assertMentions(
                    assertThrows(IllegalArgumentException.class, () -> net.runFor(Duration.ofNanos(Long.MAX_VALUE))),
                    "292 years");
            assertEquals(0, net.clock().nanoTime(), "a rejected run does not move the clock");
            net.runFor(Duration.ofDays(36_500));
            assertEquals(Duration.ofDays(36_500).toNanos(), net.clock().nanoTime(), "a century is fine");
        }
    }

    @Test
    void aClockNearTheEndOfTimeDoesNotFireAnHourTimerAtOnce() {
        try (VirtualNetwork net = VirtualNetwork.create(2)) {
            EventLoop loop = new VirtualEventLoopGroup(net).next();
            long nearEnd = Long.MAX_VALUE - TimeUnit.MINUTES.toNanos(30);
            net.runFor(Duration.ofNanos(nearEnd));
            assertEquals(nearEnd, net.clock().nanoTime());
            AtomicInteger fired = new AtomicInteger();
            loop.schedule(fired::incrementAndGet, 1, TimeUnit.HOURS);
            loop.scheduleAtFixedRate(fired::incrementAndGet, 20, 20, TimeUnit.MINUTES);
            net.runFor(Duration.ofMinutes(10));
            assertEquals(0, fired.get());
            assertEquals(nearEnd + TimeUnit.MINUTES.toNanos(10), net.clock().nanoTime());
            net.runFor(Duration.ofMinutes(15));
            assertEquals(1, fired.get(), "the periodic task once, at +20 min; the next run would be past the end");
        }
    }

    @Test
    void runUntilOnAFutureOfAnIdleNetworkFailsAtOnce() {
        try (VirtualNetwork net = VirtualNetwork.create(3)) {
            Promise<Void> never = new VirtualEventLoopGroup(net).next().newPromise();
            long start = System.nanoTime();
            for (int i = 0; i < 5; i++) {
                assertMentions(assertThrows(IllegalStateException.class, () -> net.runUntil(never)), "went idle");
            }
            assertTrue(
                    System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(400),
                    "five idle failures should not wait 500 ms of wall time each");
        }
    }

    @Test
    void runUntilStopsAtTheDefaultLimitWhileAPeriodicTimerKeepsTheNetworkBusy() {
        try (VirtualNetwork net = VirtualNetwork.create(4)) {
            EventLoop loop = new VirtualEventLoopGroup(net).next();
            loop.scheduleAtFixedRate(() -> {}, 1, 1, TimeUnit.SECONDS);
            Promise<Void> never = loop.newPromise();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> net.runUntil(never));
            assertMentions(e, "seed 4");
            assertMentions(e, "3600000.0 ms");
            assertEquals(Duration.ofHours(1).toNanos(), net.clock().nanoTime());
            assertEquals(Duration.ofHours(1), net.simulation().runUntilLimit());
        }
    }

    @Test
    void theLimitIsSetOnTheBuilderOrPerCall() {
        try (VirtualNetwork net = VirtualNetwork.builder()
                .seed(5)
                .runUntilLimit(Duration.ofSeconds(10))
                .build()) {
            EventLoop loop = new VirtualEventLoopGroup(net).next();
            loop.scheduleAtFixedRate(() -> {}, 1, 1, TimeUnit.MILLISECONDS);
            Promise<Void> never = loop.newPromise();
            assertMentions(assertThrows(IllegalStateException.class, () -> net.runUntil(never)), "10000.0 ms");
            assertMentions(
                    assertThrows(IllegalStateException.class, () -> net.runUntil(never, Duration.ofMillis(250))),
                    "10250.0 ms");
            // a wait from the driving thread has the same limit
            assertMentions(assertThrows(IllegalStateException.class, never::syncUninterruptibly), "20250.0 ms");
            loop.schedule(() -> never.setSuccess(null), 5, TimeUnit.SECONDS);
            net.runUntil(never);
            assertEquals(TimeUnit.MILLISECONDS.toNanos(25_250), net.clock().nanoTime());
        }
        assertThrows(
                IllegalArgumentException.class, () -> VirtualNetwork.builder().runUntilLimit(Duration.ZERO));
        assertThrows(NullPointerException.class, () -> VirtualNetwork.builder().runUntilLimit(null));
    }
}
