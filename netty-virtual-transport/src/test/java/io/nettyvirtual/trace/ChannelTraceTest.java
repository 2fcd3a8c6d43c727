package io.nettyvirtual.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.channel.VirtualDatagramChannel;
import io.nettyvirtual.channel.VirtualEventLoopGroup;
import io.nettyvirtual.network.Host;
import io.nettyvirtual.network.Switch;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.stats.DropReason;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * SwitchDemo's traffic, shortened to two seconds of play, through Netty channels on event loops: a server and four
 * clients on a switch, updates at 30 Hz answered by larger snapshots, over lossy and thin access links. The same
 * seed gives the same trace hash; another seed another.
 */
class ChannelTraceTest {

    static final class Server extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
            ByteBuf snapshot = ctx.alloc().buffer(600);
            snapshot.writeLong(msg.content().getLong(0)).writeZero(592);
            ctx.writeAndFlush(new DatagramPacket(snapshot, msg.sender()));
        }
    }

    static final class Client extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {}
    }

    static final Consumer<VirtualNetwork> GAME = net -> {
        VirtualEventLoopGroup group = new VirtualEventLoopGroup(net, 2);
        Switch sw = net.newSwitch("switch");
        Host server = net.newHost("server", "10.0.0.1");
        net.newWire(server, sw, LinkConfig.delayed(Duration.ofMillis(1)).bitsPerSecond(1_000_000_000L));
        InetSocketAddress serverAddress = new InetSocketAddress("10.0.0.1", 27015);
        Bootstrap bootstrap = new Bootstrap().group(group).channel(VirtualDatagramChannel.class);
        net.runUntil(bootstrap.clone().handler(new Server()).bind(serverAddress));
        Object[][] clients = {
            {"fiber", "10.0.1.1", 4, 100_000_000L, 0.0},
            {"cable", "10.0.1.2", 12, 20_000_000L, 0.01},
            {"mobile", "10.0.1.3", 45, 5_000_000L, 0.05},
            {"thin", "10.0.1.4", 30, 100_000L, 0.0},
        };
        for (Object[] c : clients) {
            Host h = net.newHost((String) c[0], (String) c[1]);
            net.newWire(
                    h,
                    sw,
                    new LinkConfig()
                            .delayMillis((Integer) c[2])
                            .bitsPerSecond((Long) c[3])
                            .loss((Double) c[4])
                            .queuePackets(16));
            Channel ch = net.runUntil(
                            bootstrap.clone().handler(new Client()).bind(new InetSocketAddress((String) c[1], 40000)))
                    .channel();
            ch.eventLoop()
                    .scheduleAtFixedRate(
                            () -> {
                                ByteBuf update = ch.alloc().buffer(200);
                                update.writeLong(net.clock().nanoTime()).writeZero(192);
                                ch.writeAndFlush(new DatagramPacket(update, serverAddress));
                            },
                            0,
                            33_333_333,
                            TimeUnit.NANOSECONDS);
        }
        net.runFor(Duration.ofSeconds(2));
    };

    @Test
    void theGameOnASwitchHasOneHashPerSeed() throws Exception {
        long hash = DeterminismCheck.check(2026, GAME);
        PacketTrace trace = PacketTrace.inMemory();
        try (VirtualNetwork net = VirtualNetwork.builder().seed(2026).build()) {
            net.addTap(trace);
            GAME.accept(net);
        }
        assertEquals(hash, trace.hash());
        assertTrue(trace.events().stream().anyMatch(e -> e.reason() == DropReason.LOSS), "mobile and cable lose");
        assertTrue(trace.events().stream().anyMatch(e -> e.reason() == DropReason.QUEUE_FULL), "thin overflows");
        assertNotEquals(hash, DeterminismCheck.check(2027, GAME));
    }
}
