package io.nettyvirtual.quic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http3.DefaultHttp3DataFrame;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3ClientConnectionHandler;
import io.netty.handler.codec.http3.Http3DataFrame;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.http3.Http3RequestStreamInboundHandler;
import io.netty.handler.codec.http3.Http3ServerConnectionHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.capture.NetworkCapture;
import io.nettyvirtual.channel.VirtualDatagramChannel;
import io.nettyvirtual.channel.VirtualEventLoopGroup;
import io.nettyvirtual.network.Host;
import io.nettyvirtual.network.Wire;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.testing.Tshark;
import io.nettyvirtual.time.TimeMode;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * An HTTP/3 request and response (Netty's {@code netty-codec-http3}) over the virtual network, captured on the wire
 * by {@link NetworkCapture} with {@link KeyLogFile}'s key log: with the key log tshark decrypts the QUIC packets and
 * shows the HTTP/3 frames, the request's and the response's {@code HEADERS} and the response's {@code DATA}, and
 * the control streams' {@code SETTINGS}. Skipped, after the exchange itself is checked, where tshark is missing.
 */
@EnabledOnOs(
        value = OS.LINUX,
        architectures = {"amd64", "x86_64"})
class Http3CaptureTest {
    /** HTTP/3's port, which Wireshark decodes as QUIC without being told. */
    private static final InetSocketAddress SERVER = new InetSocketAddress("10.0.0.2", 443);

    private static final InetSocketAddress CLIENT = new InetSocketAddress("10.0.0.1", 0);
    private static final String PATH = "/hello";
    /**
     * The response body: small enough that the response's HEADERS and DATA frames travel in one QUIC packet, since
     * tshark (4.0) shows an HTTP/3 frame only when it is whole in one packet's STREAM frame.
     */
    private static final int BODY = 1_000;
    /** HTTP/3 frame types (RFC 9114, 7.2). */
    private static final int DATA = 0;

    private static final int HEADERS = 1;
    private static final int SETTINGS = 4;

    @TempDir
    Path dir;

    @Test
    void tsharkShowsTheHttp3FramesOfACapturedRequest() throws Exception {
        Path captureFile = dir.resolve("h3.pcapng");
        Path keyFile = dir.resolve("h3.keys");
        byte[] body = new byte[BODY];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        String[] status = new String[1];
        try (KeyLogFile keys = KeyLogFile.open(keyFile);
                NetworkCapture capture = NetworkCapture.open(captureFile);
                VirtualNetwork net = VirtualNetwork.builder()
                        .mode(TimeMode.DETERMINISTIC)
                        .seed(17)
                        .build()) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net, 1);
            Host clientHost = net.newHost("client", "10.0.0.1");
            Host serverHost = net.newHost("server", "10.0.0.2");
            Wire wire = net.newWire(
                    clientHost,
                    serverHost,
                    LinkConfig.delayed(Duration.ofMillis(10)).bitsPerSecond(50_000_000));
            wire.aToB().addTap(capture);
            wire.bToA().addTap(capture);

            X509Bundle[] certs = certificates();
            QuicSslContext serverSsl = QuicSslContextBuilder.forServer(
                            certs[1].getKeyPair().getPrivate(), null, certs[1].getCertificatePath())
                    .applicationProtocols(Http3.supportedApplicationProtocols())
                    .build();
            ChannelHandler serverCodec = Http3.newQuicServerCodecBuilder()
                    .sslContext(serverSsl)
                    .maxIdleTimeout(30, TimeUnit.SECONDS)
                    .initialMaxData(1_000_000)
                    .initialMaxStreamDataBidirectionalLocal(100_000)
                    .initialMaxStreamDataBidirectionalRemote(100_000)
                    .initialMaxStreamsBidirectional(10)
                    .handler(new ChannelInitializer<QuicChannel>() {
                        @Override
                        protected void initChannel(QuicChannel ch) {
                            ch.pipeline().addLast(new Http3ServerConnectionHandler(new Responder(body)));
                        }
                    })
                    .build();
            QuicSslContext clientSsl = QuicSslContextBuilder.forClient()
                    .trustManager(certs[0].getCertificate())
                    .applicationProtocols(Http3.supportedApplicationProtocols())
                    .keylog(keys)
                    .build();
            ChannelHandler clientCodec = Http3.newQuicClientCodecBuilder()
                    .sslEngineProvider(quic -> clientSsl.newEngine(quic.alloc(), "localhost", 443))
                    .maxIdleTimeout(30, TimeUnit.SECONDS)
                    .initialMaxData(1_000_000)
                    .initialMaxStreamDataBidirectionalLocal(100_000)
                    .build();
            bind(
                    net,
                    new Bootstrap()
                            .group(group)
                            .channel(VirtualDatagramChannel.class)
                            .handler(serverCodec),
                    SERVER);
            Channel client = bind(
                    net,
                    new Bootstrap()
                            .group(group)
                            .channel(VirtualDatagramChannel.class)
                            .handler(clientCodec),
                    CLIENT);

            QuicChannel connection = await(
                    net,
                    QuicChannel.newBootstrap(client)
                            .handler(new Http3ClientConnectionHandler())
                            .remoteAddress(SERVER)
                            .connect());
            Promise<Void> done = connection.eventLoop().newPromise();
            QuicStreamChannel request =
                    await(net, Http3.newRequestStream(connection, new Http3RequestStreamInboundHandler() {
                        @Override
                        protected void channelRead(ChannelHandlerContext ctx, Http3HeadersFrame frame) {
                            status[0] = String.valueOf(frame.headers().status());
                            ReferenceCountUtil.release(frame);
                        }

                        @Override
                        protected void channelRead(ChannelHandlerContext ctx, Http3DataFrame frame) {
                            ByteBuf content = frame.content();
                            byte[] bytes = new byte[content.readableBytes()];
                            content.readBytes(bytes);
                            received.writeBytes(bytes);
                            frame.release();
                        }

                        @Override
                        protected void channelInputClosed(ChannelHandlerContext ctx) {
                            done.trySuccess(null);
                        }
                    }));
            Http3HeadersFrame headers = new DefaultHttp3HeadersFrame();
            headers.headers()
                    .method("GET")
                    .path(PATH)
                    .authority("localhost:443")
                    .scheme("https");
            request.writeAndFlush(headers).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
            await(net, done);
            await(net, connection.close());
            net.runFor(Duration.ofMillis(100));
            assertEquals(0, keys.linesAfterClose());
        }
        assertEquals("200", status[0]);
        assertEquals(new String(body, StandardCharsets.US_ASCII), received.toString(StandardCharsets.US_ASCII));

        String keep = System.getProperty("nettyvirtual.capture.keep");
        if (keep != null) { // -Dnettyvirtual.capture.keep=<dir>: the capture and key log stay there to look at
            Path to = Files.createDirectories(Path.of(keep));
            for (Path file : List.of(captureFile, keyFile)) {
                Files.copy(file, to.resolve(file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }

        // Where tshark is missing the test ends here, reported as skipped.
        Tshark.assumeInstalled();
        List<String> frames = Tshark.run(
                "-o",
                "tls.keylog_file:" + keyFile,
                "-r",
                captureFile.toString(),
                "-Y",
                "http3",
                "-T",
                "fields",
                "-E",
                "separator=|",
                "-E",
                "aggregator=,",
                "-e",
                "frame.interface_name",
                "-e",
                "http3.frame_type",
                "-e",
                "http3.frame_length");
        assertTrue(!frames.isEmpty(), "tshark found no HTTP/3 frame");
        List<String> toServer = new ArrayList<>();
        List<String> toClient = new ArrayList<>();
        int dataBytes = 0;
        for (String line : frames) {
            String[] f = line.split("\\|", -1);
            String[] types = f[1].split(",");
            String[] lengths = f[2].split(",");
            for (int i = 0; i < types.length; i++) {
                int type = Integer.decode(types[i]);
                (f[0].endsWith("client->server") ? toServer : toClient).add(name(type));
                if (type == DATA && f[0].endsWith("server->client")) {
                    dataBytes += Integer.parseInt(lengths[i]);
                }
            }
        }
        assertTrue(toServer.contains("SETTINGS") && toServer.contains("HEADERS"), "client->server: " + toServer);
        assertTrue(
                toClient.contains("SETTINGS") && toClient.contains("HEADERS") && toClient.contains("DATA"),
                "server->client: " + toClient);
        assertEquals(BODY, dataBytes, "the response's DATA frames carry the body");
        assertEquals(
                List.of(),
                Tshark.run(
                        "-o",
                        "tls.keylog_file:" + keyFile,
                        "-r",
                        captureFile.toString(),
                        "-Y",
                        "quic.decryption_failed",
                        "-T",
                        "fields",
                        "-e",
                        "frame.number"),
                "packets that did not decrypt");
    }

    private static String name(int type) {
        switch (type) {
            case DATA:
                return "DATA";
            case HEADERS:
                return "HEADERS";
            case SETTINGS:
                return "SETTINGS";
            default:
                return "0x" + Integer.toHexString(type);
        }
    }

    /** Answers every request with 200 and {@code body}. */
    private static final class Responder extends ChannelInitializer<QuicStreamChannel> {
        private final byte[] body;

        Responder(byte[] body) {
            this.body = body;
        }

        @Override
        protected void initChannel(QuicStreamChannel ch) {
            ch.pipeline().addLast(new Http3RequestStreamInboundHandler() {
                @Override
                protected void channelRead(ChannelHandlerContext ctx, Http3HeadersFrame frame) {
                    ReferenceCountUtil.release(frame);
                }

                @Override
                protected void channelRead(ChannelHandlerContext ctx, Http3DataFrame frame) {
                    frame.release();
                }

                @Override
                protected void channelInputClosed(ChannelHandlerContext ctx) {
                    Http3HeadersFrame headers = new DefaultHttp3HeadersFrame();
                    headers.headers().status("200").addInt("content-length", body.length);
                    ctx.write(headers);
                    ctx.writeAndFlush(new DefaultHttp3DataFrame(Unpooled.wrappedBuffer(body)))
                            .addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
                }
            });
        }
    }

    private static X509Bundle[] certificates;

    private static synchronized X509Bundle[] certificates() throws Exception {
        if (certificates == null) {
            X509Bundle root = new CertificateBuilder()
                    .subject("CN=http3 capture test root")
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
            certificates = new X509Bundle[] {root, leaf};
        }
        return certificates;
    }

    private static Channel bind(VirtualNetwork net, Bootstrap bootstrap, InetSocketAddress address) throws Exception {
        ChannelFuture bind = bootstrap.bind(address);
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
}
