package io.nettyvirtual.examples;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicConnectionPathStats;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.concurrent.Promise;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.channel.VirtualDatagramChannel;
import io.nettyvirtual.channel.VirtualEventLoopGroup;
import io.nettyvirtual.network.Host;
import io.nettyvirtual.network.Switch;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.quic.QuicVirtualTime;
import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.testing.quic.FileService;
import io.nettyvirtual.testing.quic.Payload;
import io.nettyvirtual.testing.quic.QuicCodecs;
import io.nettyvirtual.testing.quic.Receiver;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A QUIC client downloads a 10 MiB file from a server across a lossy, delayed, bandwidth-limited path, with Netty's
 * QUIC codec unchanged on virtual channels. The server sits on a fast wire into a switch; the client is behind a
 * 10 Mbit/s access link with 40 ms of delay and 1% loss each way (100 ms round trip in all). The download takes
 * about 15 seconds of virtual time and a few seconds of wall time, with a progress line every virtual second, and
 * the same seed gives the same run: quiche's own clock (RTT, loss detection, PTO) follows the network's, because
 * {@code netty-virtual-quic} is on the class path.
 *
 * <p>The codecs, certificates, file service and receiver are the testkit's, the ones the QUIC tests use.
 *
 * <p>Run it with {@code mvn -q -pl netty-virtual-quic-examples -am compile exec:java}.
 */
public final class QuicDownloadDemo {
    private static final long FILE_SIZE = 10L * 1024 * 1024;
    private static final long FILE_SEED = 1234;
    /** A download that has not finished after this much virtual time has failed. */
    private static final Duration LIMIT = Duration.ofMinutes(5);

    private QuicDownloadDemo() {}

    /** What the demo measured; the same for every run (the network's seed is fixed). */
    public record Result(
            long seed,
            boolean virtualClock,
            long bytes,
            boolean intact,
            double handshakeMillis,
            double downloadMillis,
            double clientRttMillis,
            double serverRttMillis,
            long lostOnWire,
            String summary) {}

    /** Runs the demo and prints its report to standard output. */
    public static void main(String[] args) throws Exception {
        Result result = run(System.out);
        if (!result.intact()) {
            throw new IllegalStateException("the download arrived damaged");
        }
    }

    /** Runs the demo, prints progress and the report to {@code out}, and returns what it measured. */
    public static Result run(PrintStream out) throws Exception {
        return run(2026, out);
    }

    /** {@link #run(PrintStream)} on a network of another seed (the trace tests compare seeds). */
    static Result run(long seed, PrintStream out) throws Exception {
        long wallStart = System.nanoTime();
        try (VirtualNetwork net = VirtualNetwork.create(seed)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net, 2);
            Switch sw = net.newSwitch("switch");
            Host server = net.newHost("server", "10.0.0.2");
            Host client = net.newHost("client", "10.0.0.1");
            net.newWire(server, sw, LinkConfig.delayed(Duration.ofMillis(10)).bitsPerSecond(1_000_000_000L));
            net.newWire(
                    client,
                    sw,
                    LinkConfig.delayed(Duration.ofMillis(40))
                            .bitsPerSecond(10_000_000)
                            .loss(0.01)
                            .queuePackets(100));

            List<QuicChannel> serverSide = new CopyOnWriteArrayList<>();
            List<String> sentDigests = new CopyOnWriteArrayList<>();
            ChannelHandler serverCodec = QuicCodecs.server(30_000)
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public boolean isSharable() {
                            return true;
                        }

                        @Override
                        public void channelActive(ChannelHandlerContext ctx) {
                            serverSide.add((QuicChannel) ctx.channel());
                            ctx.fireChannelActive();
                        }
                    })
                    .streamHandler(new ChannelInitializer<QuicStreamChannel>() {
                        @Override
                        protected void initChannel(QuicStreamChannel ch) {
                            ch.pipeline().addLast(new FileService(sentDigests::add));
                        }
                    })
                    .build();
            ChannelHandler clientCodec = QuicCodecs.client(30_000).build();

            // The two lines that differ from a NIO program: the group and the channel class.
            Bootstrap bootstrap = new Bootstrap().group(group).channel(VirtualDatagramChannel.class);
            InetSocketAddress serverAddress = new InetSocketAddress("10.0.0.2", 4433);
            net.runUntil(bootstrap.clone().handler(serverCodec).bind(serverAddress));
            Channel udp = net.runUntil(
                            bootstrap.clone().handler(clientCodec).bind(new InetSocketAddress("10.0.0.1", 0)))
                    .channel();

            QuicChannel connection =
                    net.runUntil(QuicCodecs.connect(udp, serverAddress)).getNow();
            double handshakeMs = net.clock().millis();
            out.printf(
                    "netty-virtual QUIC demo: a %,d-byte download over 10 Mbit/s, 100 ms RTT, 1%% loss%n", FILE_SIZE);
            out.printf(
                    "quiche on the network's virtual clock: %s (seed %d)%n",
                    QuicVirtualTime.isEnabled(net), net.seed());
            out.printf("handshake        %10.1f ms virtual%n", handshakeMs);

            Promise<String> done = connection.eventLoop().newPromise();
            Receiver download = new Receiver(FILE_SIZE, done, false);
            long[] finishedAt = new long[1];
            done.addListener(f -> finishedAt[0] = net.clock().nanoTime());
            QuicStreamChannel stream = net.runUntil(connection.createStream(QuicStreamType.BIDIRECTIONAL, download))
                    .getNow();
            long start = net.clock().nanoTime();
            stream.writeAndFlush(FileService.downloadRequest(stream.alloc(), FILE_SIZE, FILE_SEED));
            while (!done.isDone()) {
                if (net.clock().nanoTime() - start > LIMIT.toNanos()) {
                    throw new IllegalStateException(
                            "no download after " + LIMIT + " of virtual time (seed " + net.seed() + ")");
                }
                net.runFor(Duration.ofSeconds(1));
                out.printf(
                        "... virtual %5.1f s, %,11d bytes received%n",
                        net.clock().millis() / 1000, download.received());
            }
            String receivedSha = net.runUntil(done).getNow();
            long virtualNanos = finishedAt[0] - start;
            QuicConnectionPathStats path =
                    net.runUntil(connection.collectPathStats(0)).getNow();
            QuicConnectionPathStats sender =
                    net.runUntil(serverSide.get(0).collectPathStats(0)).getNow();
            net.runUntil(connection.close());
            double wallMs = (System.nanoTime() - wallStart) / 1e6;

            String expected = Payload.sha256(FILE_SEED, FILE_SIZE);
            boolean intact = download.received() == FILE_SIZE
                    && expected.equals(receivedSha)
                    && sentDigests.equals(List.of(expected));

            out.printf(
                    "download         %10.1f ms virtual, %s%n",
                    virtualNanos / 1e6, intact ? "SHA-256 " + receivedSha.substring(0, 16) + "... matches" : "CORRUPT");
            out.printf("goodput          %10.2f Mbit/s%n", download.received() * 8e3 / virtualNanos);
            out.printf(
                    "quiche RTT       %10.1f ms at the client, %.1f ms at the server (smoothed)%n",
                    path.rtt() / 1e6, sender.rtt() / 1e6);
            out.printf(
                    "server sent      %10d packets, %d lost, %d retransmitted, cwnd now %,d bytes%n",
                    sender.sent(), sender.lost(), sender.retrans(), sender.cwnd());
            out.printf(
                    "wall time        %10.1f ms for %.1f s of virtual time (%.0fx)%n",
                    wallMs, net.clock().millis() / 1000, net.clock().millis() / wallMs);
            long lost = net.counters().dropped(DropReason.LOSS);
            out.printf(
                    "lost on the wire %10d datagrams, %d dropped by full queues%n",
                    lost, net.counters().dropped(DropReason.QUEUE_FULL));
            out.println();
            String summary = net.summary();
            out.print(summary);
            return new Result(
                    net.seed(),
                    QuicVirtualTime.isEnabled(net),
                    download.received(),
                    intact,
                    handshakeMs,
                    virtualNanos / 1e6,
                    path.rtt() / 1e6,
                    sender.rtt() / 1e6,
                    lost,
                    summary);
        }
    }
}
