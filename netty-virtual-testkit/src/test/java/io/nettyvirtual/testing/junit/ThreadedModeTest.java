package io.nettyvirtual.testing.junit;

import static io.nettyvirtual.testing.Nets.addr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.channel.VirtualDatagramChannel;
import io.nettyvirtual.channel.VirtualEventLoopGroup;
import io.nettyvirtual.network.Host;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.testing.Echo;
import io.nettyvirtual.testing.Nets;
import io.nettyvirtual.testing.Recorder;
import io.nettyvirtual.time.TimeMode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The extension with a threaded network: blocking code ({@code sync()}) runs unchanged. */
@VirtualNetworkTest(mode = TimeMode.THREADED, seed = 3, idle = true)
class ThreadedModeTest {
    @Test
    void blockingCodeRunsOnAThreadedNetwork(VirtualNetwork net, VirtualEventLoopGroup group) throws Exception {
        assertEquals(TimeMode.THREADED, net.mode());
        assertEquals(3, net.seed());
        Host a = net.newHost("a", "10.0.0.1"), b = net.newHost("b", "10.0.0.2");
        net.newWire(a, b, LinkConfig.delayed(Duration.ofMillis(30)));
        Bootstrap bootstrap = new Bootstrap().group(group).channel(VirtualDatagramChannel.class);
        bootstrap.clone().handler(new Echo()).bind(addr("10.0.0.2", 7)).sync();
        Recorder client = new Recorder(net.clock());
        Channel c = bootstrap
                .clone()
                .handler(client)
                .bind(addr("10.0.0.1", 9))
                .sync()
                .channel();
        c.writeAndFlush(Nets.text("ping", addr("10.0.0.2", 7))).sync();
        assertTrue(net.runUntil(() -> client.count() == 1, Duration.ofSeconds(1)));
        assertEquals(Duration.ofMillis(60).toNanos(), client.last().nanos);
    }
}
