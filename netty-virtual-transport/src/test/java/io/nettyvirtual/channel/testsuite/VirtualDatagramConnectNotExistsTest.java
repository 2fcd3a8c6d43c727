package io.nettyvirtual.channel.testsuite;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.netty.bootstrap.Bootstrap;
import io.netty.testsuite.transport.TestsuitePermutation;
import io.netty.testsuite.transport.socket.DatagramConnectNotExistsTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * Netty's {@link DatagramConnectNotExistsTest} on the virtual transport: a channel connected to a port nobody is
 * bound to writes successfully, then reads a {@link java.net.PortUnreachableException} (the virtual network's
 * equivalent of the ICMP port-unreachable error Linux reports to a connected UDP socket).
 */
public class VirtualDatagramConnectNotExistsTest extends DatagramConnectNotExistsTest {
    private static final VirtualTestsuite SUITE = new VirtualTestsuite();

    @AfterAll
    static void closeNetwork() {
        SUITE.close();
    }

    @Override
    protected List<TestsuitePermutation.BootstrapFactory<Bootstrap>> newFactories() {
        return SUITE.datagramSocket();
    }

    /**
     * The original waits for the error with {@code syncUninterruptibly()}, which JUnit's {@code @Timeout} cannot
     * interrupt: if the error never came, the build would hang. Bound it instead.
     */
    @Override
    public void testConnectNotExists(Bootstrap cb) {
        assertTimeoutPreemptively(
                Duration.ofSeconds(10),
                () -> super.testConnectNotExists(cb),
                "no PortUnreachableException reached exceptionCaught");
    }
}
