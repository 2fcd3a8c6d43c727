package io.nettyvirtual.examples;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.channel.VirtualDatagramChannel;
import io.nettyvirtual.channel.VirtualEventLoopGroup;
import io.nettyvirtual.network.Host;
import io.nettyvirtual.network.Switch;
import io.nettyvirtual.network.Wire;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.stats.PacketCounters;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A game server and four clients on one switch, each client behind its own kind of access link. Every client sends
 * a 200-byte position update 30 times a second; the server answers each with a 600-byte world snapshot. One
 * client sits behind a thin uplink whose queue overflows. Ten minutes of play run in virtual time; a progress line
 * every two virtual minutes shows the clock and the datagrams so far.
 *
 * <p>Run it with {@code mvn -q -pl netty-virtual-examples -am compile exec:java}.
 */
public final class SwitchDemo {
    private SwitchDemo() {}

    /** Counts snapshots per client and their one-way-plus-server latency. */
    static final class Client extends SimpleChannelInboundHandler<DatagramPacket> {
        final String name;
        final VirtualNetwork net;
        long snapshots;
        long latencySum;

        Client(String name, VirtualNetwork net) {
            this.name = name;
            this.net = net;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
            long sentAt = msg.content().getLong(0);
            snapshots++;
            latencySum += net.clock().nanoTime() - sentAt;
        }
    }

    /** Answers every update with a larger snapshot that carries the update's timestamp back. */
    static final class Server extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
            ByteBuf snapshot = ctx.alloc().buffer(600);
            snapshot.writeLong(msg.content().getLong(0));
            snapshot.writeZero(592);
            ctx.writeAndFlush(new DatagramPacket(snapshot, msg.sender()));
        }
    }

    /** What one client saw: snapshots received and their mean round trip. */
    public record ClientResult(String name, long snapshots, double meanRttMillis) {}

    /** What the demo measured; the same for every run (the network's seed is fixed). */
    public record Result(
            long seed, double virtualMillis, List<ClientResult> clients, PacketCounters counters, String summary) {
        /** The client named {@code name}. */
        public ClientResult client(String name) {
            return clients.stream()
                    .filter(c -> c.name().equals(name))
                    .findFirst()
                    .orElseThrow();
        }
    }

    /** Runs the demo and prints its report to standard output. */
    public static void main(String[] args) {
        run(System.out);
    }

    /** Runs the demo, prints progress and the report to {@code out}, and returns what it measured. */
    public static Result run(PrintStream out) {
        return run(2026, out);
    }

    /** {@link #run(PrintStream)} on a network of another seed (the trace tests compare seeds). */
    static Result run(long seed, PrintStream out) {
        long buildStart = System.nanoTime();
        try (VirtualNetwork net = VirtualNetwork.create(seed)) {
            // Building the first network in a JVM loads what its extensions find on the class path: timed apart.
            long wallStart = System.nanoTime();
            double buildMs = (wallStart - buildStart) / 1e6;
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net, 2);
            Switch sw = net.newSwitch("switch");

            Host server = net.newHost("server", "10.0.0.1");
            net.newWire(server, sw, LinkConfig.delayed(Duration.ofMillis(1)).bitsPerSecond(1_000_000_000L));

            String[][] clients = {
                // name, address, one-way delay ms, rate bit/s, loss
                {"fiber", "10.0.1.1", "4", "100000000", "0"},
                {"cable", "10.0.1.2", "12", "20000000", "0.001"},
                {"mobile", "10.0.1.3", "45", "5000000", "0.02"},
                {"thin", "10.0.1.4", "30", "384000", "0"},
            };
            InetSocketAddress serverAddress = new InetSocketAddress("10.0.0.1", 27015);
            Bootstrap bootstrap = new Bootstrap().group(group).channel(VirtualDatagramChannel.class);
            net.runUntil(bootstrap.clone().handler(new Server()).bind(serverAddress));

            List<Client> handlers = new ArrayList<>();
            List<ScheduledFuture<?>> tickers = new ArrayList<>();
            for (String[] c : clients) {
                Host h = net.newHost(c[0], c[1]);
                Wire w = net.newWire(
                        h,
                        sw,
                        new LinkConfig()
                                .delayMillis(Double.parseDouble(c[2]))
                                .bitsPerSecond(Long.parseLong(c[3]))
                                .loss(Double.parseDouble(c[4]))
                                .queuePackets(16));
                Client handler = new Client(c[0], net);
                handlers.add(handler);
                Channel ch = net.runUntil(bootstrap.clone().handler(handler).bind(new InetSocketAddress(c[1], 40000)))
                        .channel();
                tickers.add(ch.eventLoop()
                        .scheduleAtFixedRate(
                                () -> {
                                    ByteBuf update = ch.alloc().buffer(200);
                                    update.writeLong(net.clock().nanoTime());
                                    update.writeZero(192);
                                    ch.writeAndFlush(new DatagramPacket(update, serverAddress));
                                },
                                0,
                                33_333_333,
                                TimeUnit.NANOSECONDS));
                if ("thin".equals(c[0])) {
                    // 30 snapshots of 600 bytes a second need 18,000 bytes/s: the thin link carries them until it
                    // degrades to 12,000 bytes/s halfway through the match, and its queue starts to overflow.
                    ch.eventLoop()
                            .schedule(() -> w.update(config -> config.bytesPerSecond(12_000)), 5, TimeUnit.MINUTES);
                }
            }

            for (int minute = 2; minute <= 10; minute += 2) {
                net.runFor(Duration.ofMinutes(2));
                PacketCounters now = net.counters();
                out.printf(
                        "... virtual %2d:00, %,d datagrams sent, %,d delivered%n", minute, now.sent(), now.delivered());
            }
            for (ScheduledFuture<?> t : tickers) {
                t.cancel(false);
            }
            net.runUntilIdle();

            double wallMs = (System.nanoTime() - wallStart) / 1e6;
            out.printf("netty-virtual demo: 10 minutes of a 4-player game server in %.0f ms of wall time%n", wallMs);
            out.printf(
                    "virtual time %.3f s, speed-up %.0fx, seed %d (building the network: %.0f ms)%n",
                    net.clock().millis() / 1000, net.clock().millis() / wallMs, net.seed(), buildMs);
            out.println();
            out.println("client     snapshots  mean RTT");
            List<ClientResult> results = new ArrayList<>();
            for (Client c : handlers) {
                double rtt = c.snapshots == 0 ? 0 : c.latencySum / (double) c.snapshots / 1e6;
                results.add(new ClientResult(c.name, c.snapshots, rtt));
                out.printf("%-9s %10d  %7.1f ms%n", c.name, c.snapshots, rtt);
            }
            out.println();
            String summary = net.summary();
            out.print(summary);
            return new Result(net.seed(), net.clock().millis(), List.copyOf(results), net.counters(), summary);
        }
    }
}
