package io.nettyvirtual.quic;

import static io.nettyvirtual.quic.QuicVirtualTime.BASE_NANOS;
import static io.nettyvirtual.quic.TestLibraries.CLOCK_MONOTONIC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.concurrent.EventExecutor;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.channel.VirtualEventLoopGroup;
import io.nettyvirtual.time.TimeMode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The entry point: every network built with this module on the class path runs QUIC on its virtual clock, with no
 * call to make, and where that cannot work, building one fails and says to use real-time mode.
 */
@EnabledOnOs(
        value = OS.LINUX,
        architectures = {"amd64", "x86_64"})
class QuicVirtualTimeTest {

    /** What quiche reads on the calling thread, through the hook. */
    private static long quicheNanos() {
        return NativeClockHook.clockNanos(CLOCK_MONOTONIC);
    }

    @Test
    void aDeterministicNetworkBindsItsDrivingThreadAsItIsBuilt() {
        try (VirtualNetwork net = VirtualNetwork.create(1)) {
            assertTrue(QuicVirtualTime.isEnabled(net));
            assertTrue(QuicheClock.isInstalled());
            assertTrue(QuicheClock.isCurrentThreadBound());
            assertEquals(BASE_NANOS, quicheNanos());
            net.runFor(Duration.ofMillis(1500));
            assertEquals(BASE_NANOS + Duration.ofMillis(1500).toNanos(), quicheNanos());

            QuicVirtualTime.enable(net); // explicit, and idempotent
            assertTrue(QuicVirtualTime.isEnabled(net));
        }
        assertFalse(QuicheClock.isCurrentThreadBound(), "closing the network unbinds the driving thread");
    }

    @Test
    void aThreadedNetworkBindsEveryLoopThreadAndNothingElse() throws Exception {
        try (VirtualNetwork net =
                VirtualNetwork.builder().mode(TimeMode.THREADED).seed(2).build()) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net, 2);
            group.next()
                    .schedule(() -> {}, 3, java.util.concurrent.TimeUnit.SECONDS)
                    .sync();
            for (EventExecutor loop : group) {
                assertEquals(
                        BASE_NANOS + net.clock().nanoTime(),
                        loop.submit(QuicVirtualTimeTest::quicheNanos).get());
            }
            assertFalse(QuicheClock.isCurrentThreadBound(), "the test thread runs no loop");
        }
    }

    @Test
    void aRealTimeNetworkIsLeftAlone() throws Exception {
        try (VirtualNetwork net =
                VirtualNetwork.builder().mode(TimeMode.REAL_TIME).seed(3).build()) {
            assertFalse(QuicVirtualTime.isEnabled(net));
            QuicVirtualTime.enable(net);
            assertFalse(QuicVirtualTime.isEnabled(net));
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net, 1);
            assertFalse(group.next().submit(QuicheClock::isCurrentThreadBound).get());
        }
    }

    @Test
    void networksBuiltOneAfterAnotherEachGetTheirOwnClock() {
        try (VirtualNetwork first = VirtualNetwork.create(4)) {
            first.runFor(Duration.ofSeconds(10));
            try (VirtualNetwork second = VirtualNetwork.create(5)) {
                // The thread now runs the second network: its quiche reads the second clock.
                assertEquals(BASE_NANOS, quicheNanos());
                second.runFor(Duration.ofSeconds(1));
                assertEquals(BASE_NANOS + Duration.ofSeconds(1).toNanos(), quicheNanos());
                first.close();
                assertTrue(QuicheClock.isCurrentThreadBound(), "closing the first leaves the second's binding");
            }
            assertFalse(QuicheClock.isCurrentThreadBound());
        }
    }

    @Test
    void whereTheHookCannotWorkBuildingFailsAndPointsToRealTimeMode() {
        assertTrue(NativeClockHook.isLoaded(), "loaded before the platform is faked");
        String arch = System.getProperty("os.arch");
        System.setProperty("os.arch", "aarch64");
        try {
            UnsupportedOperationException e =
                    assertThrows(UnsupportedOperationException.class, () -> VirtualNetwork.create(6));
            String message = e.getMessage();
            assertTrue(
                    message.startsWith("The QUIC codec cannot run on a virtual clock: it needs Linux x86_64, "
                            + "and this JVM runs on Linux/aarch64."),
                    message);
            assertTrue(message.contains(QuicheClock.REAL_TIME_HINT), message);
            assertTrue(message.contains("-D" + QuicVirtualTime.AUTO_ENABLE_PROPERTY + "=false"), message);

            // Real time works anywhere; and a program whose networks carry no QUIC can say so.
            VirtualNetwork.builder().mode(TimeMode.REAL_TIME).seed(7).build().close();
            System.setProperty(QuicVirtualTime.AUTO_ENABLE_PROPERTY, "false");
            try (VirtualNetwork plain = VirtualNetwork.create(8)) {
                assertFalse(QuicVirtualTime.isEnabled(plain));
                assertThrows(UnsupportedOperationException.class, () -> QuicVirtualTime.enable(plain));
            } finally {
                System.clearProperty(QuicVirtualTime.AUTO_ENABLE_PROPERTY);
            }
        } finally {
            System.setProperty("os.arch", arch);
        }
        assertFalse(QuicheClock.isCurrentThreadBound());
    }
}
