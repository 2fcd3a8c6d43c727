package io.nettyvirtual.channel.testsuite;

import io.netty.bootstrap.Bootstrap;
import io.netty.testsuite.transport.TestsuitePermutation;
import io.netty.testsuite.transport.socket.DatagramMulticastIPv6Test;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Netty's {@link DatagramMulticastIPv6Test}, kept here to record why it does not run on the virtual transport.
 */
public class VirtualDatagramMulticastIPv6Test extends DatagramMulticastIPv6Test {
    private static final VirtualTestsuite SUITE = new VirtualTestsuite();

    @AfterAll
    static void closeNetwork() {
        SUITE.close();
    }

    @Override
    protected List<TestsuitePermutation.BootstrapComboFactory<Bootstrap, Bootstrap>> newFactories() {
        return SUITE.datagram();
    }

    @Test
    @Disabled("VirtualDatagramChannel does not support multicast: joinGroup/leaveGroup/block return a failed future "
            + "(checked by VirtualDatagramChannelBehaviourTest.multicastMethodsReturnFailedFutures); the test also "
            + "binds to a real multicast-capable NetworkInterface of the machine")
    @Override
    public void testMulticast(TestInfo testInfo) throws Throwable {
        super.testMulticast(testInfo);
    }
}
