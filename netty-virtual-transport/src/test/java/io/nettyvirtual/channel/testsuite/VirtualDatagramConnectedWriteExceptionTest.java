package io.nettyvirtual.channel.testsuite;

import io.netty.bootstrap.Bootstrap;
import io.netty.testsuite.transport.TestsuitePermutation;
import io.netty.testsuite.transport.socket.DatagramConnectedWriteExceptionTest;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * Netty's {@link DatagramConnectedWriteExceptionTest} on the virtual transport: once the server is closed, a
 * connected client with autoRead off sees {@link java.net.PortUnreachableException} on a later write, as on Linux.
 */
public class VirtualDatagramConnectedWriteExceptionTest extends DatagramConnectedWriteExceptionTest {
    private static final VirtualTestsuite SUITE = new VirtualTestsuite();

    @AfterAll
    static void closeNetwork() {
        SUITE.close();
    }

    @Override
    protected List<TestsuitePermutation.BootstrapFactory<Bootstrap>> newFactories() {
        return SUITE.datagramSocket();
    }
}
