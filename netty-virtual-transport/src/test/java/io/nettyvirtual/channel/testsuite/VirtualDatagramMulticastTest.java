package io.nettyvirtual.channel.testsuite;

import io.netty.bootstrap.Bootstrap;
import io.netty.testsuite.transport.TestsuitePermutation;
import io.netty.testsuite.transport.socket.DatagramMulticastTest;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Netty's {@link DatagramMulticastTest}, kept here to record why it does not run on the virtual transport.
 */
public class VirtualDatagramMulticastTest extends DatagramMulticastTest {
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
