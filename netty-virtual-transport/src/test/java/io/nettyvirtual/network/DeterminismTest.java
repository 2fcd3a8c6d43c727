package io.nettyvirtual.network;

import static io.nettyvirtual.testing.Nets.addr;
import static io.nettyvirtual.testing.Nets.bind;
import static io.nettyvirtual.testing.Nets.sized;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.channel.VirtualEventLoopGroup;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.testing.Recorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The same seed gives the same run, packet for packet. */
class DeterminismTest {

    private static List<String> run(long seed) {
        try (VirtualNetwork net = VirtualNetwork.create(seed)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net, 3);
            Switch sw = net.newSwitch("sw");
            List<Channel> senders = new ArrayList<>();
            Recorder rec = new Recorder(net.clock());
            for (int i = 1; i <= 3; i++) {
                Host h = net.newHost("h" + i, "10.0.0." + i);
                net.newWire(
                        h,
                        sw,
                        LinkConfig.delayed(Duration.ofMillis(5 * i))
                                .bytesPerSecond(50_000 * i)
                                .loss(0.2)
                                .queuePackets(8));
                senders.add(bind(net, group, addr("10.0.0." + i, 1000 + i), new Recorder(net.clock())));
            }
            Host sink = net.newHost("sink", "10.0.0.100");
            net.newWire(
                    sink,
                    sw,
                    LinkConfig.delayed(Duration.ofMillis(3))
                            .bytesPerSecond(120_000)
                            .queuePackets(20));
            bind(net, group, addr("10.0.0.100", 9), rec);
            for (int round = 0; round < 20; round++) {
                for (int i = 0; i < senders.size(); i++) {
                    for (int k = 0; k < 5; k++) {
                        senders.get(i).write(sized(200 + 37 * k + i, addr("10.0.0.100", 9)));
                    }
                    senders.get(i).flush();
                }
                net.runFor(Duration.ofMillis(7));
            }
            net.runUntilIdle();
            List<String> trace = new ArrayList<>();
            for (Recorder.Arrival a : rec.arrivals) {
                trace.add(a.nanos + " " + a.sender + " " + a.size);
            }
            trace.add(net.counters().toString());
            return trace;
        }
    }

    @Test
    void sameSeedSameDeliveryTrace() {
        List<String> first = run(1234);
        List<String> second = run(1234);
        assertTrue(first.size() > 50, "a busy run: " + first.size());
        assertEquals(first, second);
    }

    @Test
    void anotherSeedAnotherTrace() {
        assertNotEquals(run(1234), run(4321));
    }
}
