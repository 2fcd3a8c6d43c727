package io.nettyvirtual.quic;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
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
import io.netty.handler.codec.quic.QuicPathEvent;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.channel.VirtualDatagramChannel;
import io.nettyvirtual.channel.VirtualEventLoopGroup;
import io.nettyvirtual.network.Host;
import io.nettyvirtual.network.Interface;
import io.nettyvirtual.network.Router;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.testing.quic.FileService;
import io.nettyvirtual.testing.quic.QuicCodecs;
import io.nettyvirtual.testing.quic.Receiver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Netty's QUIC codec on a small internet, in deterministic virtual time: an ISP router with a data-centre subnet
 * (203.0.113.0/24, where the servers are) and a subnet towards its customers (198.51.100.0/24), and whatever the
 * test puts behind it (a home router with a NAT, a firewall, a phone with two interfaces). The servers run
 * {@link FileService} on every stream and record the path events quiche reports ({@link QuicPathEvent}); the
 * clients record every datagram they write and read, with its virtual time.
 */
final class QuicInternet implements AutoCloseable {
    /** The data-centre host's address, on the ISP's {@code dc} subnet. */
    static final String SERVER_ADDRESS = "203.0.113.10";

    final VirtualNetwork net;
    final VirtualEventLoopGroup group;
    final Router isp;
    final Interface ispCustomers;
    final Host serverHost;

    /** The server's side of every connection, as it became active. */
    final List<QuicChannel> serverConnections = new ArrayList<>();
    /** Each path event the server's connections saw: virtual time in ns and the event. */
    final List<String> serverPathEvents = new ArrayList<>();
    /** Digests of what the servers sent on download streams, in completion order. */
    final List<String> sentDigests = new ArrayList<>();
    /** Every datagram a client wrote: "virtual ns size", in order. */
    final List<String> clientWrites = new ArrayList<>();
    /** Every datagram a client read: "virtual ns sender size", in order. */
    final List<String> clientReads = new ArrayList<>();

    private long idleTimeoutMillis = 30_000;

    /** The ISP router and the server host, 5 ms from it. */
    QuicInternet(long seed) {
        net = VirtualNetwork.create(seed);
        group = new VirtualEventLoopGroup(net, 1);
        isp = net.newRouter("isp");
        ispCustomers = isp.newInterface("customers", "198.51.100.1/24");
        Interface dc = isp.newInterface("dc", "203.0.113.1/24");
        serverHost = net.newHost("server", SERVER_ADDRESS + "/24").defaultGateway("203.0.113.1");
        net.newWire(serverHost, dc, LinkConfig.delayed(Duration.ofMillis(5)));
    }

    /** The QUIC idle timeout of every end started afterwards. */
    QuicInternet idleTimeout(long millis) {
        idleTimeoutMillis = millis;
        return this;
    }

    /**
     * A home router: {@code wan} at {@code wanAddress} on the ISP's customer subnet, 10 ms from the ISP, and
     * {@code lan} at {@code lanAddress}. The caller adds a NAT or a firewall.
     */
    Router home(String name, String wanAddress, String lanAddress) {
        Router r = net.newRouter(name);
        Interface wan = r.newInterface("wan", wanAddress);
        r.newInterface("lan", lanAddress);
        r.defaultRoute("198.51.100.1");
        net.newWire(wan, ispCustomers, LinkConfig.delayed(Duration.ofMillis(10)));
        return r;
    }

    /** A server UDP channel bound to {@code port} on the server host; {@code codec} adjusts its codec. */
    Channel startServer(int port, UnaryOperator<QuicServerCodecBuilder> codec) throws Exception {
        ChannelHandler serverCodec = codec.apply(QuicCodecs.server(idleTimeoutMillis))
                .handler(new ServerConnection())
                .streamHandler(new ChannelInitializer<QuicStreamChannel>() {
                    @Override
                    protected void initChannel(QuicStreamChannel ch) {
                        ch.pipeline().addLast(new FileService(sentDigests::add));
                    }
                })
                .build();
        return await(new Bootstrap()
                        .group(group)
                        .channel(VirtualDatagramChannel.class)
                        .handler(serverCodec)
                        .bind(new InetSocketAddress(SERVER_ADDRESS, port)))
                .channel();
    }

    /** A server UDP channel on {@code port} with the shared codec settings. */
    Channel startServer(int port) throws Exception {
        return startServer(port, UnaryOperator.identity());
    }

    /** A client UDP channel bound to {@code local} (a host's address, or the wildcard on the default host). */
    Channel startClient(InetSocketAddress local) throws Exception {
        ChannelHandler clientCodec = QuicCodecs.client(idleTimeoutMillis).build();
        return await(new Bootstrap()
                        .group(group)
                        .channel(VirtualDatagramChannel.class)
                        .handler(new ChannelInitializer<Channel>() {
                            @Override
                            protected void initChannel(Channel ch) {
                                ch.pipeline().addLast(new Activity(), clientCodec);
                            }
                        })
                        .bind(local))
                .channel();
    }

    /** Starts a handshake from {@code client} to the server's {@code port}. */
    Future<QuicChannel> connect(Channel client, int port) {
        return QuicCodecs.connect(client, new InetSocketAddress(SERVER_ADDRESS, port));
    }

    /** Starts a download of {@code size} bytes of payload seeded with {@code seed}; completes with its SHA-256. */
    Future<String> download(QuicChannel on, long size, long seed) throws Exception {
        Promise<String> done = on.eventLoop().newPromise();
        ByteBuf request = FileService.downloadRequest(on.alloc(), size, seed);
        QuicStreamChannel stream;
        try {
            stream = await(on.createStream(QuicStreamType.BIDIRECTIONAL, new Receiver(size, done, false)));
        } catch (Exception e) {
            request.release();
            throw e;
        }
        stream.writeAndFlush(request);
        return done;
    }

    /** Drives the network until {@code future} completes; returns its value or throws its failure. */
    <V> V await(Future<V> future) throws Exception {
        net.runUntil(future);
        if (!future.isSuccess()) {
            Throwable t = future.cause();
            if (t instanceof Exception) {
                throw (Exception) t;
            }
            throw (Error) t;
        }
        return future.getNow();
    }

    private ChannelFuture await(ChannelFuture future) throws Exception {
        net.runUntil(future);
        if (!future.isSuccess()) {
            throw new AssertionError("bind failed", future.cause());
        }
        return future;
    }

    /** The virtual time in ns. */
    long now() {
        return net.clock().nanoTime();
    }

    /** Prints a line for the test log with the virtual time and the seed. */
    void report(String what) {
        System.out.printf("%s: at %.3f ms virtual (seed %d)%n", what, now() / 1e6, net.seed());
    }

    @Override
    public void close() {
        net.close();
    }

    /** The server's connection handler, shared by every connection: notes the connection and its path events. */
    private final class ServerConnection extends ChannelInboundHandlerAdapter {
        @Override
        public boolean isSharable() {
            return true;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            serverConnections.add((QuicChannel) ctx.channel());
            ctx.fireChannelActive();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof QuicPathEvent) {
                serverPathEvents.add(now() + " " + evt);
            }
            ctx.fireUserEventTriggered(evt);
        }
    }

    /** In front of a client's QUIC codec: notes every datagram read and written. */
    private final class Activity extends ChannelDuplexHandler {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof DatagramPacket) {
                DatagramPacket p = (DatagramPacket) msg;
                clientReads.add(now() + " " + p.sender() + " " + p.content().readableBytes());
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof DatagramPacket) {
                clientWrites.add(now() + " " + ((DatagramPacket) msg).content().readableBytes());
            }
            ctx.write(msg, promise);
        }
    }
}
