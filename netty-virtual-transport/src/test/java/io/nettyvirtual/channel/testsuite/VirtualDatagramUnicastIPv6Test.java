package io.nettyvirtual.channel.testsuite;

import io.netty.bootstrap.Bootstrap;
import io.netty.testsuite.transport.TestsuitePermutation;
import io.netty.testsuite.transport.socket.DatagramUnicastIPv6Test;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/** Netty's {@link DatagramUnicastIPv6Test} (on ::1) on the virtual transport. */
public class VirtualDatagramUnicastIPv6Test extends DatagramUnicastIPv6Test {
    private static final VirtualTestsuite SUITE = new VirtualTestsuite();

    /**
     * Hides the superclass's {@code @BeforeAll} of the same name, which skips the class when the operating system
     * cannot open an IPv6 socket: the simulated network has IPv6 whatever the host machine supports.
     */
    public static void assumeIpv6Supported() {}

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
