package io.nettyvirtual.examples;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicConnectionPathStats;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import io.netty.util.concurrent.Promise;
import io.nettyvirtual.channel.VirtualDatagramChannel;
import io.nettyvirtual.channel.VirtualEventLoopGroup;
import io.nettyvirtual.network.Host;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.network.Switch;
import io.nettyvirtual.network.VirtualNetwork;
import io.nettyvirtual.quic.QuicVirtualTime;
import io.nettyvirtual.stats.DropReason;

import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A QUIC client downloads a 10 MiB file from a server across a lossy, delayed, bandwidth-limited path, with Netty's
 * QUIC codec unchanged on virtual channels. The server sits on a fast wire into a switch; the client is behind a
 * 10 Mbit/s access link with 40 ms of delay and 1% loss each way (100 ms round trip in all). The download takes
 * about 15 seconds of virtual time and a few seconds of wall time, and the same seed gives the same run: quiche's
 * own clock (RTT, loss detection, PTO) follows the network's, because {@code netty-virtual-quic} is on the class
 * path.
 *
 * <p>Run it with
 * {@code mvn -q -pl netty-virtual-examples -am compile exec:java -Dexec.mainClass=io.nettyvirtual.examples.QuicDownloadDemo}.
 */
public final class QuicDownloadDemo {
    private static final String PROTOCOL = "demo";
    private static final long FILE_SIZE = 10L * 1024 * 1024;
    private static final long FILE_SEED = 1234;
    private static final int CHUNK = 16 * 1024;

    private QuicDownloadDemo() {
    }

    /** The file: FILE_SIZE bytes from a seeded generator, so both ends can check it without storing it. */
    static final class File {
        private final SplittableRandom random = new SplittableRandom(FILE_SEED);
        private final byte[] chunk = new byte[CHUNK];
        private final MessageDigest sha256 = sha256();

        /** Writes the next {@code n} bytes of the file into {@code out}. */
        void next(ByteBuf out, int n) {
            random.nextBytes(chunk);
            sha256.update(chunk, 0, n);
            out.writeBytes(chunk, 0, n);
        }

        String digest() {
            return hex(sha256.digest());
        }
    }

    /** The server's side of a stream: any request gets the file, following the stream's writability, then a FIN. */
    static final class FileServer extends ChannelInboundHandlerAdapter {
        private File file;
        private long left;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ((ByteBuf) msg).release();
            if (file == null) {
                file = new File();
                left = FILE_SIZE;
                send(ctx);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            send(ctx);
            ctx.fireChannelWritabilityChanged();
        }

        private void send(ChannelHandlerContext ctx) {
            while (left > 0 && ctx.channel().isWritable()) {
                int n = (int) Math.min(CHUNK, left);
                ByteBuf out = ctx.alloc().directBuffer(n);
                file.next(out, n);
                left -= n;
                // The FIN goes with the last chunk, behind any writes still waiting for stream capacity.
                ctx.write(left > 0 ? out : new DefaultQuicStreamFrame(out, true));
            }
            ctx.flush();
        }
    }

    /** The client's side: hashes and counts what arrives; done at the server's FIN. */
    static final class Download extends ChannelInboundHandlerAdapter {
        final MessageDigest sha256 = sha256();
        final Promise<String> done;
        long received;

        Download(Promise<String> done) {
            this.done = done;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            received += in.readableBytes();
            sha256.update(in.nioBuffer());
            in.release();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownReadComplete) { // the server's FIN: the whole file is here
                done.trySuccess(hex(sha256.digest()));
                ctx.close();
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            done.trySuccess(hex(sha256.digest()));
        }
    }

    public static void main(String[] args) throws Exception {
        // Test certificates (netty-pkitesting): a root, and a leaf for "localhost" that the client checks.
        X509Bundle root = new CertificateBuilder().subject("CN=demo root").rsa2048()
                .setIsCertificateAuthority(true).buildSelfSigned();
        X509Bundle leaf = new CertificateBuilder().subject("CN=localhost").addSanDnsName("localhost").rsa2048()
                .setKeyUsage(true, CertificateBuilder.KeyUsage.digitalSignature)
                .addExtendedKeyUsageServerAuth().buildIssuedBy(root);
        QuicSslContext serverSsl = QuicSslContextBuilder.forServer(leaf.getKeyPair().getPrivate(), null,
                leaf.getCertificatePath()).applicationProtocols(PROTOCOL).build();
        QuicSslContext clientSsl = QuicSslContextBuilder.forClient().trustManager(root.getCertificate())
                .applicationProtocols(PROTOCOL).build();

        long wallStart = System.nanoTime();
        try (VirtualNetwork net = VirtualNetwork.create(2026)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net, 2);
            Switch sw = net.newSwitch("switch");
            Host server = net.newHost("server", "10.0.0.2");
            Host client = net.newHost("client", "10.0.0.1");
            net.newWire(server, sw, LinkConfig.delayed(Duration.ofMillis(10)).bitsPerSecond(1_000_000_000L));
            net.newWire(client, sw, LinkConfig.delayed(Duration.ofMillis(40)).bitsPerSecond(10_000_000)
                    .loss(0.01).queuePackets(100));

            QuicChannel[] serverSide = new QuicChannel[1];
            ChannelHandler serverCodec = new QuicServerCodecBuilder()
                    .sslContext(serverSsl)
                    .maxIdleTimeout(30, TimeUnit.SECONDS)
                    .initialMaxData(16_000_000)
                    .initialMaxStreamDataBidirectionalRemote(1_000_000)
                    .initialMaxStreamDataBidirectionalLocal(4_000_000)
                    .initialMaxStreamsBidirectional(10)
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public boolean isSharable() {
                            return true;
                        }

                        @Override
                        public void channelActive(ChannelHandlerContext ctx) {
                            serverSide[0] = (QuicChannel) ctx.channel();
                            ctx.fireChannelActive();
                        }
                    })
                    .streamHandler(new ChannelInitializer<QuicStreamChannel>() {
                        @Override
                        protected void initChannel(QuicStreamChannel ch) {
                            ch.pipeline().addLast(new FileServer());
                        }
                    })
                    .build();
            ChannelHandler clientCodec = new QuicClientCodecBuilder()
                    .sslEngineProvider(quic -> clientSsl.newEngine(quic.alloc(), "localhost", 443))
                    .maxIdleTimeout(30, TimeUnit.SECONDS)
                    .initialMaxData(16_000_000)
                    .initialMaxStreamDataBidirectionalLocal(4_000_000)
                    .build();

            // The two lines that differ from a NIO program: the group and the channel class.
            Bootstrap bootstrap = new Bootstrap().group(group).channel(VirtualDatagramChannel.class);
            InetSocketAddress serverAddress = new InetSocketAddress("10.0.0.2", 4433);
            net.runUntil(bootstrap.clone().handler(serverCodec).bind(serverAddress));
            Channel udp = net.runUntil(bootstrap.clone().handler(clientCodec)
                    .bind(new InetSocketAddress("10.0.0.1", 0))).channel();

            QuicChannel connection = net.runUntil(QuicChannel.newBootstrap(udp)
                    .streamHandler(new ChannelInboundHandlerAdapter())
                    .remoteAddress(serverAddress)
                    .connect()).getNow();
            double handshakeMs = net.clock().millis();

            Promise<String> done = connection.eventLoop().newPromise();
            Download download = new Download(done);
            QuicStreamChannel stream = net.runUntil(
                    connection.createStream(QuicStreamType.BIDIRECTIONAL, download)).getNow();
            long start = net.clock().nanoTime();
            stream.writeAndFlush(stream.alloc().buffer().writeBytes(
                    "GET /file".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            String receivedSha = net.runUntil(done).getNow();
            long virtualNanos = net.clock().nanoTime() - start;
            QuicConnectionPathStats path = net.runUntil(connection.collectPathStats(0)).getNow();
            QuicConnectionPathStats sender = net.runUntil(serverSide[0].collectPathStats(0)).getNow();
            net.runUntil(connection.close());
            double wallMs = (System.nanoTime() - wallStart) / 1e6;

            File expected = new File();
            ByteBuf scratch = io.netty.buffer.Unpooled.buffer(CHUNK);
            for (long left = FILE_SIZE; left > 0; left -= CHUNK) {
                scratch.clear();
                expected.next(scratch, (int) Math.min(CHUNK, left));
            }
            boolean intact = download.received == FILE_SIZE && expected.digest().equals(receivedSha);

            System.out.printf("netty-virtual QUIC demo: a %,d-byte download over 10 Mbit/s, 100 ms RTT, 1%% loss%n",
                    FILE_SIZE);
            System.out.printf("quiche on the network's virtual clock: %s (seed %d)%n", QuicVirtualTime.isEnabled(net),
                    net.seed());
            System.out.printf("handshake        %10.1f ms virtual%n", handshakeMs);
            System.out.printf("download         %10.1f ms virtual, %s%n", virtualNanos / 1e6,
                    intact ? "SHA-256 " + receivedSha.substring(0, 16) + "... matches" : "CORRUPT");
            System.out.printf("goodput          %10.2f Mbit/s%n", download.received * 8e3 / virtualNanos);
            System.out.printf("quiche RTT       %10.1f ms at the client, %.1f ms at the server (smoothed)%n",
                    path.rtt() / 1e6, sender.rtt() / 1e6);
            System.out.printf("server sent      %10d packets, %d lost, %d retransmitted, cwnd now %,d bytes%n",
                    sender.sent(), sender.lost(), sender.retrans(), sender.cwnd());
            System.out.printf("wall time        %10.1f ms for %.1f s of virtual time (%.0fx)%n", wallMs,
                    net.clock().millis() / 1000, net.clock().millis() / wallMs);
            System.out.printf("lost on the wire %10d datagrams, %d dropped by full queues%n",
                    net.counters().dropped(DropReason.LOSS), net.counters().dropped(DropReason.QUEUE_FULL));
            System.out.println();
            System.out.print(net.summary());
            if (!intact) {
                throw new IllegalStateException("the download arrived damaged");
            }
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static String hex(byte[] bytes) {
        StringBuilder b = new StringBuilder();
        for (byte x : bytes) {
            b.append(String.format("%02x", x));
        }
        return b.toString();
    }
}
