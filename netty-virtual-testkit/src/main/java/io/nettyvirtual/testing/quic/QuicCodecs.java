package io.nettyvirtual.testing.quic;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.util.concurrent.Future;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The QUIC codec set-up that the tests, the benchmarks and the demos share: TLS from {@link TestCertificates},
 * one application protocol, and flow-control limits large enough that a transfer is limited by the path, not by
 * the windows (16 MB per connection, 4 MB per stream, 200 bidirectional streams).
 *
 * <p>{@link #server} and {@link #client} return builders so that the caller adds what differs (the stream handler,
 * a handler in front of the codec) and calls {@code build()}; {@link #connect} starts a handshake between them.
 */
public final class QuicCodecs {
    /** The application protocol (ALPN) both ends offer. */
    public static final String PROTOCOL = "nv-test";
    /** The connection's flow-control window. */
    public static final long MAX_DATA = 16_000_000;
    /** Each stream's flow-control window. */
    public static final long MAX_STREAM_DATA = 4_000_000;
    /** How many bidirectional streams a client may open. */
    public static final long MAX_STREAMS = 200;

    private QuicCodecs() {}

    /**
     * A server codec builder for {@code localhost} with the shared limits, the given idle timeout and a sharable
     * no-op connection handler; the caller sets the stream handler.
     */
    public static QuicServerCodecBuilder server(long idleTimeoutMillis) throws Exception {
        return new QuicServerCodecBuilder()
                .sslContext(TestCertificates.server(PROTOCOL))
                .maxIdleTimeout(idleTimeoutMillis, TimeUnit.MILLISECONDS)
                .initialMaxData(MAX_DATA)
                .initialMaxStreamDataBidirectionalLocal(MAX_STREAM_DATA)
                .initialMaxStreamDataBidirectionalRemote(MAX_STREAM_DATA)
                .initialMaxStreamsBidirectional(MAX_STREAMS)
                .handler(new Sharable());
    }

    /**
     * A client codec builder that trusts {@link TestCertificates}' CA and checks the server's name
     * ({@code localhost}), with the shared limits and the given idle timeout.
     */
    public static QuicClientCodecBuilder client(long idleTimeoutMillis) throws Exception {
        QuicSslContext ssl = TestCertificates.client(PROTOCOL);
        return new QuicClientCodecBuilder()
                // Netty's QUIC client checks the server's name: the engine must know it.
                .sslEngineProvider(quic -> ssl.newEngine(quic.alloc(), "localhost", 443))
                .maxIdleTimeout(idleTimeoutMillis, TimeUnit.MILLISECONDS)
                .initialMaxData(MAX_DATA)
                .initialMaxStreamDataBidirectionalLocal(MAX_STREAM_DATA)
                .initialMaxStreamDataBidirectionalRemote(MAX_STREAM_DATA);
    }

    /**
     * Starts a handshake from {@code udp}, a datagram channel whose pipeline holds a {@link #client} codec, to
     * {@code server}. The connection and its streams get no-op handlers; streams are opened with their own.
     */
    public static Future<QuicChannel> connect(Channel udp, SocketAddress server) {
        return QuicChannel.newBootstrap(udp)
                .handler(new ChannelInboundHandlerAdapter())
                .streamHandler(new ChannelInboundHandlerAdapter())
                .remoteAddress(server)
                .connect();
    }

    /** The connection handler a server codec needs: one instance shared by every connection. */
    private static final class Sharable extends ChannelInboundHandlerAdapter {
        @Override
        public boolean isSharable() {
            return true;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.fireChannelActive();
        }
    }
}
