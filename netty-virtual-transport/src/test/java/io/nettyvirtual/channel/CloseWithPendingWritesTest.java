package io.nettyvirtual.channel;

import static io.nettyvirtual.testing.Nets.addr;
import static io.nettyvirtual.testing.Nets.bind;
import static io.nettyvirtual.testing.Nets.sized;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.network.Host;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.testing.Recorder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Closing a network while a channel waits for send-buffer credit from a rate-limited wire. */
class CloseWithPendingWritesTest {

    @Test
    void closingTheNetworkWithPacketsOnASlowWireAndWritesPending() {
        VirtualNetwork net = VirtualNetwork.create(21);
        VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
        Host a = net.newHost("a", "10.0.0.1");
        Host b = net.newHost("b", "10.0.0.2");
        net.newWire(a, b, new LinkConfig().bitsPerSecond(10_000_000).delay(Duration.ofMillis(50)));
        Channel tx = bind(net, group, addr("10.0.0.1", 1000), new Recorder(net.clock()));
        bind(net, group, addr("10.0.0.2", 2000), new Recorder(net.clock()));

        // 360 kB against a 212,992-byte send buffer: part waits in the outbound buffer for credit.
        for (int i = 0; i < 300; i++) {
            tx.write(sized(1200, addr("10.0.0.2", 2000)));
        }
        tx.flush();
        net.runFor(Duration.ofMillis(10));
        assertTrue(net.packetsInWires() > 0);

        // Dropping the wire's packets returns their credit to a channel whose loop has terminated.
        assertDoesNotThrow(net::close);
    }
}
