package io.nettyvirtual.testing.junit;

import static io.nettyvirtual.testing.Nets.addr;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.channel.VirtualEventLoopGroup;
import io.nettyvirtual.network.Host;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.testing.Echo;
import io.nettyvirtual.testing.Nets;
import io.nettyvirtual.testing.Recorder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The README's five-line test: network, two hosts, a wire, the user's pipeline, an assertion. */
@VirtualNetworkTest(idle = true)
class FiveLineTest {
    @Test
    void echoArrivesAfterOneRoundTrip(VirtualNetwork net, VirtualEventLoopGroup group) {
        Host a = net.newHost("a", "10.0.0.1"), b = net.newHost("b", "10.0.0.2");
        net.newWire(a, b, LinkConfig.delayed(Duration.ofMillis(50)));
        Nets.bind(net, group, addr("10.0.0.2", 7), new Echo());
        Recorder client = new Recorder(net.clock());
        Nets.bind(net, group, addr("10.0.0.1", 9), client).writeAndFlush(Nets.text("ping", addr("10.0.0.2", 7)));
        net.runUntil(() -> client.count() == 1);
        assertEquals(Duration.ofMillis(100).toNanos(), client.last().nanos);
    }
}
