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
import io.netty.handler.codec.quic.QuicConnectionPathStats;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.channel.VirtualDatagramChannel;
import io.nettyvirtual.channel.VirtualEventLoopGroup;
import io.nettyvirtual.network.Host;
import io.nettyvirtual.network.Switch;
import io.nettyvirtual.network.Wire;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.testing.quic.FileService;
import io.nettyvirtual.testing.quic.Payload;
import io.nettyvirtual.testing.quic.QuicCodecs;
import io.nettyvirtual.testing.quic.Receiver;
import io.nettyvirtual.time.TimeMode;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A QUIC server ({@link FileService} on every stream) and a client on a virtual network: unchanged Netty QUIC code
 * on {@link VirtualDatagramChannel}s. Build the path between {@link #clientHost} and {@link #serverHost} with
 * {@link #wire} or {@link #viaSwitch}, then {@link #start()}, {@link #connect()} and use the helpers. In
 * deterministic mode they drive the network; in the other modes they block, as ordinary Netty code does.
 */
final class QuicRig implements AutoCloseable {
    static final InetSocketAddress SERVER = new InetSocketAddress("10.0.0.2", 4433);
    static final InetSocketAddress CLIENT = new InetSocketAddress("10.0.0.1", 0);
    /** How long a blocking wait may take in wall time before the test fails (threaded and real-time modes). */
    private static final long WALL_TIMEOUT_SECONDS = 120;

    final VirtualNetwork net;
    final VirtualEventLoopGroup group;
    final Host clientHost;
    final Host serverHost;
    final long wallStart = System.nanoTime();

    /** The server's side of every connection, as accepted. */
    final List<QuicChannel> serverConnections = new CopyOnWriteArrayList<>();
    /** Digests of what the server sent on download streams, in completion order. */
    final List<String> sentDigests = new CopyOnWriteArrayList<>();
    /** Every datagram the client's UDP channel read ("R") and wrote ("W"): virtual time and size. */
    final List<String> clientTrace = Collections.synchronizedList(new ArrayList<>());
    /** Virtual time of the last datagram the client's UDP channel read and wrote. */
    volatile long clientLastRead;

    volatile long clientLastWrite;
    private volatile long clientBytesRead;

    private long idleTimeoutMillis = 30_000;
    Channel serverChannel;
    Channel clientChannel;
    QuicChannel connection;

    QuicRig(TimeMode mode, long seed) {
        this(mode, seed, mode == TimeMode.DETERMINISTIC ? 1 : 2);
    }

    /** A network, its loops and two hosts; QUIC on it runs in its virtual time (see {@link QuicVirtualTime}). */
    QuicRig(TimeMode mode, long seed, int loops) {
        net = VirtualNetwork.builder().mode(mode).seed(seed).build();
        group = new VirtualEventLoopGroup(net, loops);
        clientHost = net.newHost("client", "10.0.0.1");
        serverHost = net.newHost("server", "10.0.0.2");
    }

    /** A wire between client and server with the same settings both ways. */
    Wire wire(LinkConfig config) {
        return wire(config, config);
    }

    /** A wire between client and server; {@link Wire#aToB()} is the client-to-server direction. */
    Wire wire(LinkConfig toServer, LinkConfig toClient) {
        return net.newWire(clientHost, serverHost, toServer, toClient);
    }

    /** Client and server plugged into a switch, each by its own wire; returns {client's wire, server's wire}. */
    Wire[] viaSwitch(LinkConfig clientLink, LinkConfig serverLink) {
        Switch sw = net.newSwitch("switch");
        return new Wire[] {net.newWire(clientHost, sw, clientLink), net.newWire(serverHost, sw, serverLink)};
    }

    /** The QUIC idle timeout of both ends; set before {@link #start()}. */
    QuicRig idleTimeout(long millis) {
        idleTimeoutMillis = millis;
        return this;
    }

    /** Binds the server's and the client's UDP channels, each with its QUIC codec. */
    QuicRig start() throws Exception {
        ChannelHandler serverCodec = QuicCodecs.server(idleTimeoutMillis)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public boolean isSharable() {
                        return true;
                    }

                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        serverConnections.add((QuicChannel) ctx.channel());
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
        ChannelHandler clientCodec = QuicCodecs.client(idleTimeoutMillis).build();
        serverChannel = bound(new Bootstrap()
                .group(group)
                .channel(VirtualDatagramChannel.class)
                .handler(serverCodec)
                .bind(SERVER));
        clientChannel = bound(new Bootstrap()
                .group(group)
                .channel(VirtualDatagramChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new Activity(), clientCodec);
                    }
                })
                .bind(CLIENT));
        return this;
    }

    private Channel bound(ChannelFuture bind) throws Exception {
        await(bind);
        return bind.channel();
    }

    /** Starts a handshake on the client's UDP channel (which takes any number of connections). */
    Future<QuicChannel> connectAsync() {
        return QuicCodecs.connect(clientChannel, SERVER);
    }

    /** Runs a handshake and makes its connection the one the helpers use. */
    QuicChannel connect() throws Exception {
        connection = await(connectAsync());
        return connection;
    }

    /** Starts an echo of {@code message} on a new stream of {@code on}; completes with what came back. */
    Future<byte[]> echoAsync(QuicChannel on, byte[] message) throws Exception {
        Promise<String> done = on.eventLoop().newPromise();
        Promise<byte[]> echoed = on.eventLoop().newPromise();
        Receiver receiver = new Receiver(message.length, done, true);
        done.addListener(f -> {
            if (f.isSuccess()) {
                echoed.trySuccess(receiver.bytes());
            } else {
                echoed.tryFailure(f.cause());
            }
        });
        ByteBuf request = on.alloc().buffer(1 + message.length);
        request.writeByte(FileService.ECHO).writeBytes(message);
        openStream(on, receiver, request);
        return echoed;
    }

    /** Echoes {@code message} on a new stream of the connection and returns what came back. */
    String echo(String message) throws Exception {
        return new String(
                await(echoAsync(connection, message.getBytes(StandardCharsets.UTF_8))), StandardCharsets.UTF_8);
    }

    /** Starts a download of {@code size} bytes of {@link Payload} seeded with {@code seed}; completes with its SHA-256. */
    Future<String> downloadAsync(QuicChannel on, long size, long seed) throws Exception {
        Promise<String> done = on.eventLoop().newPromise();
        openStream(on, new Receiver(size, done, false), FileService.downloadRequest(on.alloc(), size, seed));
        return done;
    }

    /** Downloads {@code size} bytes on the connection; returns what it took. */
    Transfer download(long size, long seed) throws Exception {
        long virtualStart = net.clock().nanoTime();
        long wallStart = System.nanoTime();
        String received = await(downloadAsync(connection, size, seed));
        return new Transfer(
                size,
                net.clock().nanoTime() - virtualStart,
                System.nanoTime() - wallStart,
                received,
                sentDigests.get(sentDigests.size() - 1));
    }

    private void openStream(QuicChannel on, ChannelHandler handler, ByteBuf request) throws Exception {
        QuicStreamChannel stream;
        try {
            stream = await(on.createStream(QuicStreamType.BIDIRECTIONAL, handler));
        } catch (Exception e) {
            request.release();
            throw e;
        }
        stream.writeAndFlush(request);
    }

    /** quiche's view of the client's path. */
    QuicConnectionPathStats clientPathStats() throws Exception {
        return await(connection.collectPathStats(0));
    }

    /**
     * Waits for {@code future}: in deterministic mode by driving the network until it completes, otherwise by
     * blocking. Returns its value or throws its failure.
     */
    <V> V await(Future<V> future) throws Exception {
        if (net.mode() == TimeMode.DETERMINISTIC) {
            net.runUntil(future);
            if (!future.isSuccess()) {
                throw rethrow(future.cause());
            }
            return future.getNow();
        }
        try {
            return future.get(WALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        }
    }

    private static Exception rethrow(Throwable t) {
        if (t instanceof Exception) {
            return (Exception) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        return new RuntimeException(t);
    }

    /** UDP payload bytes the client's channel has read so far. */
    long clientTraceBytesRead() {
        return clientBytesRead;
    }

    /** Milliseconds of virtual time so far. */
    double virtualMillis() {
        return net.clock().nanoTime() / 1e6;
    }

    /** Milliseconds of wall time since the rig was built. */
    double wallMillis() {
        return (System.nanoTime() - wallStart) / 1e6;
    }

    /** Prints (and returns) a line for the test log: what ran, in how much virtual and wall time. */
    String report(String what) {
        String line = String.format(
                "%s: %.1f ms virtual, %.1f ms wall (%s, seed %d)",
                what, virtualMillis(), wallMillis(), net.mode(), net.seed());
        System.out.println(line);
        return line;
    }

    @Override
    public void close() {
        net.close();
    }

    /** What a download took. */
    static final class Transfer {
        final long bytes;
        final long virtualNanos;
        final long wallNanos;
        final String receivedSha256;
        final String sentSha256;

        Transfer(long bytes, long virtualNanos, long wallNanos, String receivedSha256, String sentSha256) {
            this.bytes = bytes;
            this.virtualNanos = virtualNanos;
            this.wallNanos = wallNanos;
            this.receivedSha256 = receivedSha256;
            this.sentSha256 = sentSha256;
        }

        double virtualMillis() {
            return virtualNanos / 1e6;
        }

        double wallMillis() {
            return wallNanos / 1e6;
        }

        @Override
        public String toString() {
            return String.format(
                    "%,d bytes in %.1f ms virtual (%.2f Mbit/s), %.1f ms wall",
                    bytes, virtualMillis(), bytes * 8e3 / virtualNanos, wallMillis());
        }
    }

    /** In front of the client's QUIC codec: notes every datagram read and written. */
    private final class Activity extends ChannelDuplexHandler {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof DatagramPacket) {
                long now = net.clock().nanoTime();
                int size = ((DatagramPacket) msg).content().readableBytes();
                clientLastRead = now;
                clientBytesRead += size;
                clientTrace.add("R " + now + " " + size);
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof DatagramPacket) {
                long now = net.clock().nanoTime();
                clientLastWrite = now;
                clientTrace.add(
                        "W " + now + " " + ((DatagramPacket) msg).content().readableBytes());
            }
            ctx.write(msg, promise);
        }
    }
}
