package io.nettyvirtual.channel.testsuite;

import io.netty.bootstrap.Bootstrap;
import io.netty.testsuite.transport.TestsuitePermutation;
import io.netty.testsuite.transport.socket.DatagramUnicastInetTest;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/** Netty's {@link DatagramUnicastInetTest} (IPv4 on 127.0.0.1, plus bind with port only) on the virtual transport. */
public class VirtualDatagramUnicastInetTest extends DatagramUnicastInetTest {
    private static final VirtualTestsuite SUITE = new VirtualTestsuite();

    @AfterAll
    static void closeNetwork() {
        SUITE.close();
    }

    @Override
    protected List<TestsuitePermutation.BootstrapComboFactory<Bootstrap, Bootstrap>> newFactories() {
        return SUITE.datagram();
    }

    /** Runs the virtual equivalent: see {@link VirtualTestsuite#receiveEmptyDatagrams}. */
    @Override
    public void testReceiveEmptyDatagrams(Bootstrap sb, Bootstrap cb) throws Throwable {
        VirtualTestsuite.receiveEmptyDatagrams(sb, cb, newSocketAddress(), this::convertAnyAddress);
    }
}
