package io.nettyvirtual.quic;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicConnectionPathStats;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.nettyvirtual.testing.quic.QuicCodecs;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A QUIC echo server and a client on two NIO datagram channels over loopback, with an optional handler
 * in front of each QUIC codec.
 */
final class QuicEchoPair implements AutoCloseable {

    private static final long TIMEOUT_SECONDS = 20;

    private final Channel server;
    private final Channel client;
    private Future<QuicChannel> connecting;

    private QuicEchoPair(Channel server, Channel client) {
        this.server = server;
        this.client = client;
    }

    /**
     * Binds the server and the client.
     *
     * @param group         the loops of both datagram channels (and so of the QUIC codec)
     * @param front         makes the handler placed in front of each QUIC codec, or {@code null}
     * @param idleTimeoutMs the QUIC idle timeout of both ends
     */
    static QuicEchoPair bind(EventLoopGroup group, Supplier<ChannelHandler> front, long idleTimeoutMs)
            throws Exception {
        ChannelHandler serverCodec = QuicCodecs.server(idleTimeoutMs)
                .streamHandler(new EchoHandler())
                .build();
        ChannelHandler clientCodec = QuicCodecs.client(idleTimeoutMs).build();
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        Channel server = new Bootstrap()
                .group(group)
                .channel(NioDatagramChannel.class)
                .handler(pipeline(front, serverCodec))
                .bind(loopback)
                .sync()
                .channel();
        Channel client = new Bootstrap()
                .group(group)
                .channel(NioDatagramChannel.class)
                .handler(pipeline(front, clientCodec))
                .bind(loopback)
                .sync()
                .channel();
        return new QuicEchoPair(server, client);
    }

    private static ChannelHandler pipeline(Supplier<ChannelHandler> front, ChannelHandler codec) {
        return new ChannelInitializer<DatagramChannel>() {
            @Override
            protected void initChannel(DatagramChannel ch) {
                if (front != null) {
                    ch.pipeline().addLast(front.get());
                }
                ch.pipeline().addLast(codec);
            }
        };
    }

    /** Runs the handshake. */
    QuicChannel connect() throws Exception {
        connectAsync();
        return connection();
    }

    /** Starts the handshake. */
    Future<QuicChannel> connectAsync() {
        connecting = QuicCodecs.connect(client, server.localAddress());
        return connecting;
    }

    /** The client's connection, once the handshake is done. */
    QuicChannel connection() throws Exception {
        return connecting.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** Sends {@code message} on a new bidirectional stream and returns what comes back. */
    String echo(String message) throws Exception {
        int expected = message.getBytes(StandardCharsets.UTF_8).length;
        QuicChannel connection = connection();
        Promise<String> reply = connection.eventLoop().newPromise();
        QuicStreamChannel stream = connection
                .createStream(QuicStreamType.BIDIRECTIONAL, new ChannelInboundHandlerAdapter() {
                    private final StringBuilder received = new StringBuilder();

                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ByteBuf buf = (ByteBuf) msg;
                        try {
                            received.append(buf.toString(StandardCharsets.UTF_8));
                        } finally {
                            buf.release();
                        }
                        if (received.length() >= expected) {
                            reply.trySuccess(received.toString());
                        }
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        reply.tryFailure(cause);
                    }
                })
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        ByteBuf out = stream.alloc().directBuffer(expected);
        out.writeCharSequence(message, StandardCharsets.UTF_8);
        stream.writeAndFlush(out).sync();
        try {
            return reply.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } finally {
            stream.close().sync();
        }
    }

    /** quiche's statistics of the client's active path. */
    QuicConnectionPathStats clientPathStats() throws Exception {
        return connection().collectPathStats(0).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        if (connecting != null && connecting.isSuccess()) {
            connecting.getNow().close().sync();
        }
        client.close().sync();
        server.close().sync();
    }

    /** Writes back whatever a stream receives. */
    @ChannelHandler.Sharable
    private static final class EchoHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }
    }
}
