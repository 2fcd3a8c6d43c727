package io.nettyvirtual.quic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.capture.CaptureWriter;
import io.nettyvirtual.capture.PcapNgWriter;
import io.nettyvirtual.channel.VirtualDatagramChannel;
import io.nettyvirtual.channel.VirtualEventLoopGroup;
import io.nettyvirtual.network.Host;
import io.nettyvirtual.network.Wire;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.testing.Tshark;
import io.nettyvirtual.testing.quic.FileService;
import io.nettyvirtual.testing.quic.Receiver;
import io.nettyvirtual.time.TimeMode;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A QUIC handshake, an echo and a download on a virtual network whose server-to-client link drops chosen
 * packets, captured on both sides to pcapng with virtual-time stamps, the drops to a third capture with their
 * reason, and the TLS key log written next to them: {@code tshark -o tls.keylog_file:<keys> -r <capture>} decodes
 * every packet as QUIC and shows the decrypted stream frames. The capture points are test handlers at the two UDP
 * channels (and the link's filter for the drops) until the network has taps of its own.
 */
@EnabledOnOs(
        value = OS.LINUX,
        architectures = {"amd64", "x86_64"})
class KeyLogCaptureTest {
    private static final String PROTOCOL = "nv-capture";
    /** QUIC's port, which Wireshark decodes as QUIC without being told. */
    private static final InetSocketAddress SERVER = new InetSocketAddress("10.0.0.2", 443);

    private static final InetSocketAddress CLIENT = new InetSocketAddress("10.0.0.1", 0);
    private static final String MESSAGE = "hello through the key log";
    private static final Pattern KEY_LINE = Pattern.compile("([A-Z_0-9]+) [0-9a-f]{64} [0-9a-f]{64,96}");

    @TempDir
    Path dir;

    @Test
    void tsharkDecryptsTheCapturedQuicConnectionWithTheKeyLog() throws Exception {
        Path clientFile = dir.resolve("client.pcapng");
        Path serverFile = dir.resolve("server.pcapng");
        Path wireFile = dir.resolve("wire.pcapng");
        Path keyFile = dir.resolve("capture.keys");
        List<Long> clientTimes = new ArrayList<>();
        List<String> sentDigests = new CopyOnWriteArrayList<>();
        long serverSent;
        long clientReceived;
        long clientRecords;
        long serverRecords;
        long wireRecords;
        long filtered;
        String received;
        try (KeyLogFile keys = KeyLogFile.open(keyFile);
                PcapNgWriter clientCapture = PcapNgWriter.open(clientFile, "client");
                PcapNgWriter serverCapture = PcapNgWriter.open(serverFile, "server");
                PcapNgWriter wireCapture = PcapNgWriter.open(wireFile, "client->server");
                VirtualNetwork net = VirtualNetwork.builder()
                        .mode(TimeMode.DETERMINISTIC)
                        .seed(17)
                        .build()) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net, 1);
            Host clientHost = net.newHost("client", "10.0.0.1");
            Host serverHost = net.newHost("server", "10.0.0.2");
            LinkConfig path = LinkConfig.delayed(Duration.ofMillis(20)).bitsPerSecond(20_000_000);
            Wire wire = net.newWire(clientHost, serverHost, path, path);
            // The wire as the network sees it, each direction an interface: every packet as it enters its link,
            // a dropped one with its reason. The filters stand in for the network's own taps.
            int toClient = wireCapture.addInterface("server->client");
            wire.aToB()
                    .update(c -> c.filter(packet -> {
                        wireCapture.write(
                                0,
                                net.clock().nanoTime(),
                                packet.source(),
                                packet.destination(),
                                packet.content(),
                                CaptureWriter.DEFAULT_HOP_LIMIT,
                                0,
                                null);
                        return false;
                    }));
            // The lossy direction: every 7th short-header (1-RTT) packet from the server is lost.
            int[] shortHeaders = {0};
            wire.bToA()
                    .update(c -> c.filter(packet -> {
                        ByteBuf b = packet.content();
                        boolean shortHeader = (b.getUnsignedByte(b.readerIndex()) & 0x80) == 0;
                        boolean drop = shortHeader && ++shortHeaders[0] % 7 == 3;
                        if (drop) {
                            wireCapture.writeDropped(
                                    toClient,
                                    net.clock().nanoTime(),
                                    packet.source(),
                                    packet.destination(),
                                    b,
                                    CaptureWriter.DEFAULT_HOP_LIMIT,
                                    0,
                                    DropReason.FILTERED);
                        } else {
                            wireCapture.write(
                                    toClient,
                                    net.clock().nanoTime(),
                                    packet.source(),
                                    packet.destination(),
                                    b,
                                    CaptureWriter.DEFAULT_HOP_LIMIT,
                                    0,
                                    null);
                        }
                        return drop;
                    }));

            X509Bundle[] certs = certificates();
            ChannelHandler serverCodec = new QuicServerCodecBuilder()
                    .sslContext(QuicSslContextBuilder.forServer(
                                    certs[1].getKeyPair().getPrivate(), null, certs[1].getCertificatePath())
                            .applicationProtocols(PROTOCOL)
                            .build())
                    .maxIdleTimeout(30, TimeUnit.SECONDS)
                    .initialMaxData(10_000_000)
                    .initialMaxStreamDataBidirectionalLocal(1_000_000)
                    .initialMaxStreamDataBidirectionalRemote(1_000_000)
                    .initialMaxStreamsBidirectional(10)
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public boolean isSharable() {
                            return true;
                        }
                    })
                    .streamHandler(new ChannelInitializer<QuicStreamChannel>() {
                        @Override
                        protected void initChannel(QuicStreamChannel ch) {
                            ch.pipeline().addLast(new FileService(sentDigests::add));
                        }
                    })
                    .build();
            // One end's key log is enough: both derive the same secrets.
            QuicSslContext clientSsl = QuicSslContextBuilder.forClient()
                    .trustManager(certs[0].getCertificate())
                    .applicationProtocols(PROTOCOL)
                    .keylog(keys)
                    .build();
            ChannelHandler clientCodec = new QuicClientCodecBuilder()
                    .sslEngineProvider(quic -> clientSsl.newEngine(quic.alloc(), "localhost", 443))
                    .maxIdleTimeout(30, TimeUnit.SECONDS)
                    .initialMaxData(10_000_000)
                    .initialMaxStreamDataBidirectionalLocal(1_000_000)
                    .initialMaxStreamDataBidirectionalRemote(1_000_000)
                    .build();
            Tap serverTap = new Tap(net, serverCapture, null);
            Tap clientTap = new Tap(net, clientCapture, clientTimes);
            bind(
                    net,
                    new Bootstrap()
                            .group(group)
                            .channel(VirtualDatagramChannel.class)
                            .handler(initializer(serverTap, serverCodec))
                            .bind(SERVER));
            Channel client = bind(
                    net,
                    new Bootstrap()
                            .group(group)
                            .channel(VirtualDatagramChannel.class)
                            .handler(initializer(clientTap, clientCodec))
                            .bind(CLIENT));

            QuicChannel connection = await(
                    net,
                    QuicChannel.newBootstrap(client)
                            .handler(new ChannelInboundHandlerAdapter())
                            .streamHandler(new ChannelInboundHandlerAdapter())
                            .remoteAddress(SERVER)
                            .connect());
            byte[] message = MESSAGE.getBytes(StandardCharsets.UTF_8);
            Promise<String> echoed = connection.eventLoop().newPromise();
            Receiver echo = new Receiver(message.length, echoed, true);
            ByteBuf request =
                    connection.alloc().buffer().writeByte(FileService.ECHO).writeBytes(message);
            openStream(net, connection, echo, request);
            await(net, echoed);
            received = new String(echo.bytes(), StandardCharsets.UTF_8);

            Promise<String> downloaded = connection.eventLoop().newPromise();
            ByteBuf download = connection
                    .alloc()
                    .buffer()
                    .writeByte(FileService.DOWNLOAD)
                    .writeLong(200_000)
                    .writeLong(5);
            openStream(net, connection, new Receiver(200_000, downloaded, false), download);
            String digest = await(net, downloaded);
            assertEquals(sentDigests.get(sentDigests.size() - 1), digest, "the download arrived whole");
            await(net, connection.close());
            net.runFor(Duration.ofMillis(100));

            serverSent = serverTap.written;
            clientReceived = clientTap.read;
            filtered = net.counters().dropped(DropReason.FILTERED);
            assertEquals(filtered, wireCapture.drops());
            assertTrue(filtered >= 3, "the lossy link dropped " + filtered + " packets");
            // Conservation across the three captures: what the server sent was either read by the client or dropped.
            assertEquals(serverSent, clientReceived + filtered, net.summary());
            assertEquals(clientTap.read + clientTap.written, clientCapture.packets());
            clientRecords = clientCapture.packets();
            serverRecords = serverCapture.packets();
            wireRecords = wireCapture.packets() + wireCapture.drops();
            // Each datagram is on the wire once: the server read all the client wrote, the client all but the drops.
            assertEquals(serverRecords, wireRecords);
            assertEquals(clientRecords + filtered, wireRecords);
            assertEquals(0, keys.linesAfterClose());
        }
        assertEquals(MESSAGE, received);

        String keep = System.getProperty("nettyvirtual.capture.keep");
        if (keep != null) { // -Dnettyvirtual.capture.keep=<dir>: the captures and key log stay there to look at
            Path to = Files.createDirectories(Path.of(keep));
            for (Path file : List.of(clientFile, serverFile, wireFile, keyFile)) {
                Files.copy(file, to.resolve(file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }

        List<String> keyLines = Files.readAllLines(keyFile);
        Set<String> labels = new TreeSet<>();
        for (String line : keyLines) {
            assertTrue(KEY_LINE.matcher(line).matches(), () -> "not an NSS key log line: " + line);
            labels.add(line.substring(0, line.indexOf(' ')));
        }
        assertTrue(
                labels.containsAll(Set.of(
                        "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
                        "SERVER_HANDSHAKE_TRAFFIC_SECRET",
                        "CLIENT_TRAFFIC_SECRET_0",
                        "SERVER_TRAFFIC_SECRET_0")),
                labels::toString);

        // The rest needs tshark: where it is missing the test ends here, reported as skipped.
        Tshark.assumeInstalled();
        String keylog = "tls.keylog_file:" + keyFile;
        for (Path file : List.of(clientFile, serverFile, wireFile)) {
            List<String> lines = Tshark.run(
                    "-o",
                    keylog,
                    "-r",
                    file.toString(),
                    "-T",
                    "fields",
                    "-E",
                    "separator=|",
                    "-e",
                    "udp.length",
                    "-e",
                    "frame.protocols");
            long expected = file == wireFile ? wireRecords : file == serverFile ? serverRecords : clientRecords;
            assertEquals(expected, lines.size(), file::toString);
            int empty = 0;
            for (String line : lines) {
                String[] f = line.split("\\|");
                if (f[0].equals("8")) {
                    // An empty datagram: Netty's QUIC codec writes one after its CONNECTION_CLOSE (see
                    // docs/capture.md); there is no QUIC packet in it to decode.
                    assertEquals("raw:ip:udp", f[1]);
                    empty++;
                    continue;
                }
                // QUIC; in the handshake packets, the TLS messages it carries (decrypted: the certificate too).
                assertTrue(
                        f[1].equals("raw:ip:udp:quic") || f[1].startsWith("raw:ip:udp:quic:tls"),
                        () -> file + " has a packet that is not QUIC: " + line);
            }
            assertTrue(empty <= 1, file + ": " + empty + " empty datagrams");
            assertEquals(
                    List.of(),
                    Tshark.run(
                            "-o",
                            keylog,
                            "-r",
                            file.toString(),
                            "-Y",
                            "quic.decryption_failed",
                            "-T",
                            "fields",
                            "-e",
                            "frame.number"),
                    file + ": packets that did not decrypt");
        }
        // The stream frames, decrypted: the echo both ways, the download.
        String hex = ByteBufUtil.hexDump(MESSAGE.getBytes(StandardCharsets.UTF_8));
        List<String> clientStreams = Tshark.run(
                "-o",
                keylog,
                "-r",
                clientFile.toString(),
                "-Y",
                "quic.stream_data",
                "-T",
                "fields",
                "-e",
                "quic.stream_data");
        String clientData = String.join(",", clientStreams).replace(":", "");
        assertEquals(2, countOf(clientData, hex), "the echo's request and response in the client's capture");
        assertTrue(clientStreams.size() > 200_000 / 1_400, "the download's frames: " + clientStreams.size());
        // Without the key log only the Initial packets decrypt: no stream frame is visible.
        assertEquals(
                List.of(),
                Tshark.run(
                        "-r", clientFile.toString(), "-Y", "quic.stream_data", "-T", "fields", "-e", "frame.number"));

        // The client's capture carries the virtual times at which its channel wrote and read, to the nanosecond.
        List<String> times = Tshark.run("-r", clientFile.toString(), "-T", "fields", "-e", "frame.time_epoch");
        assertEquals(
                clientTimes.stream()
                        .map(t -> String.format("%d.%09d", t / 1_000_000_000L, t % 1_000_000_000L))
                        .collect(Collectors.toList()),
                times);
        // The drops, each with its reason, decrypted in the wire's capture: stream data among them.
        List<String> dropped = Tshark.run(
                "-o",
                keylog,
                "-r",
                wireFile.toString(),
                "-Y",
                "frame.comment contains \"dropped\"",
                "-T",
                "fields",
                "-E",
                "separator=|",
                "-e",
                "frame.comment",
                "-e",
                "frame.interface_name",
                "-e",
                "quic.frame_type");
        assertEquals(filtered, dropped.size());
        int withStreamData = 0;
        for (String line : dropped) {
            assertTrue(line.startsWith("dropped: FILTERED|server->client|"), line);
            // Stream frames are types 0x08..0x0f; tshark prints the type in decimal.
            for (String type : line.substring(line.lastIndexOf('|') + 1).split(",")) {
                if (!type.isEmpty() && Integer.parseInt(type) >= 8 && Integer.parseInt(type) <= 15) {
                    withStreamData++;
                    break;
                }
            }
        }
        assertTrue(withStreamData > 0, "no dropped packet carried stream data: " + dropped);
    }

    private static int countOf(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static X509Bundle[] certificates() throws Exception {
        X509Bundle root = new CertificateBuilder()
                .subject("CN=capture test root")
                .rsa2048()
                .setIsCertificateAuthority(true)
                .buildSelfSigned();
        X509Bundle leaf = new CertificateBuilder()
                .subject("CN=localhost")
                .addSanDnsName("localhost")
                .rsa2048()
                .setKeyUsage(true, CertificateBuilder.KeyUsage.digitalSignature)
                .addExtendedKeyUsageServerAuth()
                .buildIssuedBy(root);
        return new X509Bundle[] {root, leaf};
    }

    private static ChannelInitializer<Channel> initializer(Tap tap, ChannelHandler codec) {
        return new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(tap, codec);
            }
        };
    }

    private static void openStream(VirtualNetwork net, QuicChannel on, ChannelHandler handler, ByteBuf request)
            throws Exception {
        QuicStreamChannel stream;
        try {
            stream = await(net, on.createStream(QuicStreamType.BIDIRECTIONAL, handler));
        } catch (Exception e) {
            request.release();
            throw e;
        }
        stream.writeAndFlush(request);
    }

    private static Channel bind(VirtualNetwork net, ChannelFuture bind) throws Exception {
        await(net, bind);
        return bind.channel();
    }

    private static <V> V await(VirtualNetwork net, Future<V> future) throws Exception {
        net.runUntil(future);
        if (!future.isSuccess()) {
            Throwable cause = future.cause();
            throw cause instanceof Exception ? (Exception) cause : new RuntimeException(cause);
        }
        return future.getNow();
    }

    /**
     * At the bottom of a UDP channel's pipeline: every datagram the channel reads and writes goes to a capture,
     * stamped with the network's virtual time, before it moves on (the codec may release it after).
     */
    @ChannelHandler.Sharable
    private static final class Tap extends ChannelDuplexHandler {
        private final VirtualNetwork net;
        private final CaptureWriter capture;
        private final List<Long> times;
        long read;
        long written;

        Tap(VirtualNetwork net, CaptureWriter capture, List<Long> times) {
            this.net = net;
            this.capture = capture;
            this.times = times;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof DatagramPacket) {
                DatagramPacket p = (DatagramPacket) msg;
                record(p.sender(), p.recipient(), p.content());
                read++;
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof DatagramPacket) {
                DatagramPacket p = (DatagramPacket) msg;
                InetSocketAddress sender = p.sender() != null
                        ? p.sender()
                        : (InetSocketAddress) ctx.channel().localAddress();
                record(sender, p.recipient(), p.content());
                written++;
            }
            ctx.write(msg, promise);
        }

        private void record(InetSocketAddress sender, InetSocketAddress recipient, ByteBuf content) {
            long now = net.clock().nanoTime();
            capture.write(now, sender, recipient, content);
            if (times != null) {
                times.add(now);
            }
        }
    }
}
