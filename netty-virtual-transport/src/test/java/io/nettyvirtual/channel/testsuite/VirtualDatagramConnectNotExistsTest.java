package io.nettyvirtual.channel.testsuite;

import io.netty.bootstrap.Bootstrap;
import io.netty.testsuite.transport.TestsuitePermutation;
import io.netty.testsuite.transport.socket.DatagramConnectNotExistsTest;
import org.junit.jupiter.api.AfterAll;

import java.util.List;

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
}
