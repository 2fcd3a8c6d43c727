package io.nettyvirtual.quic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicConnectionPathStats;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** {@link QuicheClock#install()} on the real quiche library, and QUIC in real time afterwards. */
@EnabledOnOs(
        value = OS.LINUX,
        architectures = {"amd64", "x86_64"})
class QuicheClockTest {

    @Test
    void installPatchesTheQuicheLibrary() {
        QuicheClock.install();
        assertTrue(QuicheClock.isInstalled());
        int slots = QuicheClock.patchedSlots();
        assertTrue(slots >= 1, "patched " + slots + " slot(s)");

        QuicheClock.install();
        assertEquals(slots, QuicheClock.patchedSlots(), "install() is idempotent");
        assertFalse(QuicheClock.isCurrentThreadBound(), "installing binds no thread");
    }

    @Test
    void whatCannotBePatchedFailsLoudlyAndPointsToRealTimeMode() {
        UnsupportedOperationException notLoaded = assertThrows(
                UnsupportedOperationException.class, () -> QuicheClock.patchOrThrow("no_such_library_is_loaded_here"));
        assertMessage(notLoaded, "no loaded shared object has 'no_such_library_is_loaded_here'");

        TestLibraries.load("libnvclocktest_none.so");
        UnsupportedOperationException nothingToPatch = assertThrows(
                UnsupportedOperationException.class, () -> QuicheClock.patchOrThrow("libnvclocktest_none"));
        assertMessage(nothingToPatch, "has no clock_gettime import");
    }

    @Test
    void anotherPlatformFailsLoudlyAndPointsToRealTimeMode() {
        // Load the hook first: loading it with a faked platform would make it unavailable for the whole JVM.
        assertTrue(NativeClockHook.isLoaded());
        String arch = System.getProperty("os.arch");
        System.setProperty("os.arch", "aarch64");
        try {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, QuicheClock::install);
            assertMessage(e, "needs Linux x86_64, and this JVM runs on Linux/aarch64");
        } finally {
            System.setProperty("os.arch", arch);
        }
    }

    private static void assertMessage(UnsupportedOperationException e, String reason) {
        String message = e.getMessage();
        assertTrue(message.startsWith("The QUIC codec cannot run on a virtual clock: "), message);
        assertTrue(message.contains(reason), message);
        assertTrue(message.endsWith(QuicheClock.REAL_TIME_HINT), message);
    }

    @Test
    void handshakeAndEchoRunInRealTimeWhenNoThreadIsBound() throws Exception {
        QuicheClock.install();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try (QuicEchoPair pair = QuicEchoPair.bind(group, null, 5_000)) {
            QuicChannel connection = pair.connect();
            assertTrue(connection.isActive());
            assertEquals("hello quiche", pair.echo("hello quiche"));
            assertEquals("and once more", pair.echo("and once more"));

            // quiche measured loopback, in real time: more than nothing, far less than a second.
            QuicConnectionPathStats stats = pair.clientPathStats();
            assertTrue(stats.rtt() > 0 && stats.rtt() < TimeUnit.SECONDS.toNanos(1), "rtt " + stats.rtt());
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
