package io.nettyvirtual.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.channel.VirtualDatagramChannel;
import io.nettyvirtual.channel.VirtualEventLoopGroup;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.quic.QuicVirtualTime;
import io.nettyvirtual.testing.quic.FileService;
import io.nettyvirtual.testing.quic.Payload;
import io.nettyvirtual.testing.quic.QuicCodecs;
import io.nettyvirtual.time.TimeMode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Benchmark 5, QUIC: a client downloads 10 MiB from a server on one QUIC stream (handshake included), with
 * Netty's QUIC codec unchanged and the same handlers on both transports.
 * <ul>
 *   <li>{@code virtual}: a deterministic {@link VirtualNetwork}, one wire of 10 Mbit/s and 50 ms one-way delay
 *       each way, one loop, driven by the benchmark thread; quiche runs on the network's virtual clock because
 *       {@code netty-virtual-quic} is on the class path. Every packet is delivered at its exact arrival time, one
 *       read each, and the client acknowledges nearly every packet. The aux counter {@code virtualMillis} is the
 *       virtual time of the download (request to FIN), which the wire bounds from below at 8.4 s (10 MiB at
 *       10 Mbit/s).</li>
 *   <li>{@code virtual-slotted}: the same wire delivering in 4 ms slots ({@link LinkConfig#slot}, tc-netem's
 *       {@code slot}: Wi-Fi aggregation, cellular grants): packets that cross it within one slot are read as one
 *       burst, as NIO reads loopback, so quiche acknowledges once per slot. Up to 4 ms more one-way delay.</li>
 *   <li>{@code nio}: {@link NioDatagramChannel}s on 127.0.0.1, two NIO loops, no shaping: as fast as loopback and
 *       two cores allow.</li>
 *   <li>{@code realtime} (given explicitly, e.g. {@code -p transport=realtime}; not a default, since a shot takes
 *       the wire's ~9.4 s): the {@code virtual} network in {@link TimeMode#REAL_TIME}, quiche on the real clock: the
 *       same transfer on the wall clock, the yardstick a user would otherwise run.</li>
 * </ul>
 * The score is wall time per transfer (single shot). The 10 MiB (the seeded {@link Payload} stream, whose SHA-256 the
 * QUIC module's tests check) is made once per trial; the server sends slices of it and the client compares every
 * byte it receives with it at its offset: a transfer that is short, long or damaged fails the benchmark. Neither end
 * makes or hashes bytes during the transfer, so the score is the transfer's (the codec, quiche, the transport), as
 * the flood benchmarks write slices of one payload; making and hashing 10 MiB per transfer took about 14 ms of CPU,
 * which loopback spreads over its two threads and the one-thread virtual run pays in full.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
// Both transports keep speeding up over the first transfers of a JVM (JIT): the virtual ones for about 80 transfers,
// loopback's for 35 to 45, when its wall time halves (from ~56 to ~28 ms here). With 30 warm-up shots the measured
// ones straddled that step, and loopback's fork medians ranged from 33 to 63 ms. 100 warm-up shots.
@Warmup(iterations = QuicTransferBenchmark.WARMUPS)
@Measurement(iterations = 10)
// Netty's default leak detector (SIMPLE) records a stack trace for a sample of buffers: it showed in the profile,
// for both transports. Off, as in ScaleProbe.
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
public class QuicTransferBenchmark {
    /** Warm-up shots per fork: past the JIT's last step on both transports. */
    static final int WARMUPS = 100;

    static final long SIZE = 10L * 1024 * 1024;
    static final long PAYLOAD_SEED = 7;
    static final long NETWORK_SEED = 2026;
    private static final long NIO_TIMEOUT_SECONDS = 120;

    /** Slot of the {@code virtual-slotted} wire. */
    static final Duration SLOT = Duration.ofMillis(4);

    /** The slot of {@code virtual-slotted}: {@link #SLOT} under JMH, any under {@link #main}. */
    private Duration slot = SLOT;

    @Param({"virtual", "virtual-slotted", "nio"})
    public String transport;

    /** Virtual wire: {@code 10mbit} (10 Mbit/s, 50 ms one-way; the benchmark) or {@code ideal} (no delay, no rate). */
    @Param({"10mbit"})
    public String wire;

    /** NIO loops (threads) for the two loopback channels: 2 (the benchmark) or 1 (same thread count as virtual). */
    @Param({"2"})
    public int nioLoops;

    /** The 10 MiB both ends of every transfer share: the server sends slices of it, the client compares with it. */
    private ByteBuf payload;
    /** Its SHA-256, for {@link #main}'s report. */
    private String expectedSha256;

    // virtual: a fresh network per transfer, so that every transfer starts at virtual time 0 and is the same run
    private VirtualNetwork net;
    // nio: the loops and the two bound channels live for the trial; each transfer is a new QUIC connection
    private EventLoopGroup nioGroup;
    private Channel serverChannel;
    private Channel clientChannel;
    private InetSocketAddress serverAddress;

    /** Virtual nanoseconds of the last download (virtual transports; in real time, the wall clock's). */
    long lastVirtualNanos;

    /** Virtual milliseconds of the download, reported next to the wall time. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class VirtualTime {
        public double virtualMillis;
    }

    @Setup(Level.Trial)
    public void setUpTrial() throws Exception {
        payload = Unpooled.directBuffer((int) SIZE);
        MessageDigest digest = Payload.sha256();
        Payload stream = new Payload(PAYLOAD_SEED);
        while (payload.isWritable()) {
            stream.writeTo(payload, Math.min(Payload.maxChunk(), payload.writableBytes()), digest);
        }
        expectedSha256 = Payload.hex(digest.digest());
        if (transport.equals("nio")) {
            nioGroup = new MultiThreadIoEventLoopGroup(nioLoops, NioIoHandler.newFactory());
            InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            serverChannel = new Bootstrap()
                    .group(nioGroup)
                    .channel(NioDatagramChannel.class)
                    .handler(serverCodec())
                    .bind(loopback)
                    .sync()
                    .channel();
            clientChannel = new Bootstrap()
                    .group(nioGroup)
                    .channel(NioDatagramChannel.class)
                    .handler(clientCodec())
                    .bind(loopback)
                    .sync()
                    .channel();
            serverAddress = (InetSocketAddress) serverChannel.localAddress();
        } else if (!transport.startsWith("virtual") && !isRealTime()) {
            throw new IllegalArgumentException(
                    "transport " + transport + " (expected virtual, virtual-slotted, nio or realtime)");
        }
    }

    @Setup(Level.Invocation)
    public void setUpTransfer() throws Exception {
        if (transport.startsWith("virtual") || isRealTime()) {
            net = VirtualNetwork.builder()
                    .mode(isRealTime() ? TimeMode.REAL_TIME : TimeMode.DETERMINISTIC)
                    .seed(NETWORK_SEED)
                    .build();
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net, 1);
            LinkConfig link = wire.equals("ideal")
                    ? LinkConfig.ideal()
                    : LinkConfig.delayed(Duration.ofMillis(50)).bitsPerSecond(10_000_000);
            if (transport.equals("virtual-slotted")) {
                link = link.slot(slot);
            }
            net.newWire(net.newHost("client", "10.0.0.1"), net.newHost("server", "10.0.0.2"), link);
            serverAddress = new InetSocketAddress("10.0.0.2", 4433);
            Bootstrap b = new Bootstrap().group(group).channel(VirtualDatagramChannel.class);
            serverChannel = bound(b.clone().handler(serverCodec()).bind(serverAddress));
            clientChannel = bound(b.clone().handler(clientCodec()).bind(new InetSocketAddress("10.0.0.1", 0)));
            if (QuicVirtualTime.isEnabled(net) == isRealTime()) {
                throw new IllegalStateException(
                        isRealTime()
                                ? "quiche is on a virtual clock in real-time mode"
                                : "quiche is not on the network's virtual clock");
            }
        }
    }

    /** One transfer: handshake, request, 10 MiB down to the FIN; returns the bytes received, all checked. */
    @Benchmark
    public long transfer(VirtualTime v) throws Exception {
        long received = transferOnce();
        v.virtualMillis = lastVirtualNanos / 1e6;
        return received;
    }

    long transferOnce() throws Exception {
        QuicChannel connection = await(QuicCodecs.connect(clientChannel, serverAddress));
        try {
            Promise<Long> done = connection.eventLoop().newPromise();
            QuicStreamChannel stream =
                    await(connection.createStream(QuicStreamType.BIDIRECTIONAL, new Download(payload, done)));
            long virtualStart = net != null ? net.clock().nanoTime() : 0;
            stream.writeAndFlush(FileService.downloadRequest(stream.alloc(), SIZE, PAYLOAD_SEED));
            long received = await(done);
            lastVirtualNanos = net != null ? net.clock().nanoTime() - virtualStart : 0;
            return received;
        } finally {
            await(connection.close());
        }
    }

    /**
     * Virtual transfers outside JMH, with the wall time of each, the median of the second half and the network's
     * summary (datagrams, drops) of the last: {@code java -cp benchmarks.jar
     * io.nettyvirtual.bench.QuicTransferBenchmark [10mbit|ideal] [runs] [slot in ms, 0 for exact delivery]}.
     */
    public static void main(String[] args) throws Exception {
        QuicTransferBenchmark b = new QuicTransferBenchmark();
        b.wire = args.length > 0 ? args[0] : "10mbit";
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        double slotMillis = args.length > 2 ? Double.parseDouble(args[2]) : 0;
        b.transport = slotMillis > 0 ? "virtual-slotted" : "virtual";
        b.slot = Duration.ofNanos(Math.round(slotMillis * 1e6));
        b.setUpTrial();
        double[] walls = new double[runs];
        for (int i = 0; i < runs; i++) {
            b.setUpTransfer();
            long t0 = System.nanoTime();
            b.transferOnce();
            long wall = System.nanoTime() - t0;
            walls[i] = wall / 1e6;
            if (i == runs - 1) {
                System.out.print(b.net.summary());
            }
            System.out.printf(
                    java.util.Locale.ROOT,
                    "run %d: %.1f ms wall, %.1f ms virtual, all bytes of %s ok%n",
                    i,
                    wall / 1e6,
                    b.lastVirtualNanos / 1e6,
                    b.expectedSha256.substring(0, 16));
            b.tearDownTransfer();
        }
        b.tearDownTrial();
        double[] tail = java.util.Arrays.copyOfRange(walls, runs / 2, runs);
        java.util.Arrays.sort(tail);
        System.out.printf(
                java.util.Locale.ROOT,
                "median wall of runs %d to %d: %.1f ms%n",
                runs / 2,
                runs - 1,
                tail[tail.length / 2]);
    }

    @TearDown(Level.Invocation)
    public void tearDownTransfer() {
        if (net != null) {
            net.close();
            net = null;
        }
    }

    @TearDown(Level.Trial)
    public void tearDownTrial() throws Exception {
        tearDownTransfer();
        if (nioGroup != null) {
            serverChannel.close().sync();
            clientChannel.close().sync();
            nioGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            nioGroup = null;
        }
        if (payload != null) {
            payload.release();
            payload = null;
        }
    }

    /** The wall-clock yardstick: the same network in real-time mode (not in the default parameters: ~9.4 s a shot). */
    private boolean isRealTime() {
        return transport.equals("realtime");
    }

    /**
     * Waits for {@code f}: deterministic network, by running it until {@code f} is done; NIO and real time, by
     * blocking.
     */
    private <V> V await(Future<V> f) throws Exception {
        if (net != null && !isRealTime()) {
            net.runUntil(f);
        } else if (!f.await(NIO_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("timed out after " + NIO_TIMEOUT_SECONDS + " s");
        }
        if (!f.isSuccess()) {
            throw new IllegalStateException(f.cause());
        }
        return f.getNow();
    }

    private Channel bound(io.netty.channel.ChannelFuture bind) throws Exception {
        await(bind);
        return bind.channel();
    }

    private ChannelHandler serverCodec() throws Exception {
        return QuicCodecs.server(30_000)
                .streamHandler(new ChannelInitializer<QuicStreamChannel>() {
                    @Override
                    protected void initChannel(QuicStreamChannel ch) {
                        ch.pipeline().addLast(new FileService(payload, PAYLOAD_SEED));
                    }
                })
                .build();
    }

    private ChannelHandler clientCodec() throws Exception {
        return QuicCodecs.client(30_000).build();
    }

    /**
     * Client side: compares every byte that arrives with the payload at its offset; done at the server's FIN, with
     * the byte count if the whole payload came.
     */
    static final class Download extends ChannelInboundHandlerAdapter {
        private final ByteBuf expected;
        private final Promise<Long> done;
        private long received;

        Download(ByteBuf expected, Promise<Long> done) {
            this.expected = expected;
            this.done = done;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            try {
                int n = in.readableBytes();
                // ByteBuffer.mismatch is the JDK's vectorized compare; ByteBufUtil.equals goes a long at a time.
                if (received + n > expected.readableBytes()
                        || in.nioBuffer().mismatch(expected.nioBuffer(expected.readerIndex() + (int) received, n))
                                >= 0) {
                    done.tryFailure(new IllegalStateException("damaged transfer: the " + n + " bytes at offset "
                            + received + " differ from the payload"));
                }
                received += n;
            } finally {
                in.release();
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownReadComplete) { // the server's FIN
                finish();
                ctx.close();
            }
            ctx.fireUserEventTriggered(evt);
        }

        private void finish() {
            if (received == expected.readableBytes()) {
                done.trySuccess(received);
            } else {
                done.tryFailure(new IllegalStateException(
                        "received " + received + " of " + expected.readableBytes() + " bytes"));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            done.tryFailure(
                    new IllegalStateException("stream closed after " + received + " of " + expected.readableBytes()));
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            done.tryFailure(cause);
        }
    }
}
