package io.nettyvirtual.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.channel.VirtualDatagramChannel;
import io.nettyvirtual.channel.VirtualEventLoopGroup;
import io.nettyvirtual.network.Host;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.testing.Echo;
import io.nettyvirtual.testing.junit.TraceEveryNetwork;
import io.nettyvirtual.trace.DeterminismCheck;
import io.nettyvirtual.trace.PacketTrace;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Same seed, same trace hash, over this module's example scenarios: the README's Quick start and the switch demo,
 * each run twice with one seed; another seed gives another hash where the scenario draws on it.
 */
class ExampleTraceHashTest {
    private static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());

    /** The README's Quick start: one 100-byte echo over a 50 ms, 10 Mbit/s, 1% lossy wire. */
    static final Consumer<VirtualNetwork> QUICK_START = net -> {
        EventLoopGroup group = new VirtualEventLoopGroup(net);
        Host a = net.newHost("a", "10.0.0.1"), b = net.newHost("b", "10.0.0.2");
        net.newWire(
                a,
                b,
                LinkConfig.delayed(Duration.ofMillis(50))
                        .bitsPerSecond(10_000_000)
                        .loss(0.01));
        Bootstrap bootstrap = new Bootstrap().group(group).channel(VirtualDatagramChannel.class);
        QuickStartTest.ReplyHandler myHandler = new QuickStartTest.ReplyHandler(net);
        net.runUntil(bootstrap.clone().handler(new Echo()).bind(new InetSocketAddress("10.0.0.2", 7)));
        Channel client = net.runUntil(bootstrap.clone().handler(myHandler).bind(new InetSocketAddress("10.0.0.1", 0)))
                .channel();
        client.writeAndFlush(
                new DatagramPacket(Unpooled.buffer(100).writeZero(100), new InetSocketAddress("10.0.0.2", 7)));
        net.runUntil(myHandler.done());
    };

    @Test
    void theQuickStartHasOneHashPerSeed() {
        long hash = DeterminismCheck.check(42, QUICK_START);
        // The only draw is the 1% loss of each of the two datagrams: neither is lost with seed 42 nor with 43, so
        // the runs are the same and so are their hashes; the hash covers what happened, not the seed.
        assertEquals(hash, DeterminismCheck.check(43, QUICK_START));
    }

    @Test
    void theSwitchDemoHasOneHashPerSeedAndAnotherSeedAnother() throws Exception {
        TraceEveryNetwork.Traced<SwitchDemo.Result> one = TraceEveryNetwork.traced(() -> SwitchDemo.run(2026, NOWHERE));
        TraceEveryNetwork.Traced<SwitchDemo.Result> two = TraceEveryNetwork.traced(() -> SwitchDemo.run(2026, NOWHERE));
        PacketTrace first = one.only();
        assertTrue(first.count() > 100_000, "the trace saw the whole demo: " + first);
        assertEquals(first.count(), two.only().count());
        assertEquals(first.hashHex(), two.only().hashHex());
        assertEquals(one.result().summary(), two.result().summary());
        // The cable and mobile links lose at random: another seed loses other datagrams.
        TraceEveryNetwork.Traced<SwitchDemo.Result> other =
                TraceEveryNetwork.traced(() -> SwitchDemo.run(2027, NOWHERE));
        assertNotEquals(first.hashHex(), other.only().hashHex());
        assertNotEquals(
                one.result().client("mobile").snapshots(),
                other.result().client("mobile").snapshots(),
                "another seed, other losses");
    }
}
