package io.nettyvirtual.bench.support;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.Future;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.channel.VirtualDatagramChannel;
import io.nettyvirtual.channel.VirtualEventLoopGroup;
import io.nettyvirtual.network.Host;
import java.net.InetSocketAddress;

/**
 * One sender flooding one receiver, on the virtual transport or on NIO or epoll loopback, with the same handlers
 * ({@link Flood}, {@link Sink}) and the same channel options.
 */
public abstract class FloodPair implements AutoCloseable {
    /** SO_RCVBUF of the receiver (the kernel's net.core.rmem_max here), so NIO drops as little as it can. */
    public static final int RECEIVE_BUFFER = 4 << 20;

    protected final Sink sink = new Sink();
    protected ByteBuf payload;
    protected Flood flood;
    private long counted;

    /** Sends {@code n} datagrams and returns how many were delivered since the previous call. */
    public final long flood(long n) {
        send(n);
        long now = sink.datagrams();
        long d = now - counted;
        counted = now;
        return d;
    }

    protected abstract void send(long n);

    public Sink sink() {
        return sink;
    }

    public Flood source() {
        return flood;
    }

    /**
     * The pair for {@code transport}: "virtual" (deterministic, ideal wire), "nio" (127.0.0.1), "epoll" (127.0.0.1,
     * sendmmsg/recvmmsg) or "epoll-gso" (127.0.0.1, UDP GSO on the sender and GRO on the receiver).
     */
    public static FloodPair create(String transport, int size) throws Exception {
        return create(transport, size, false);
    }

    /** The same, the sender giving each datagram a buffer of its own if {@code ownBuffers} ({@link Flood#ownBuffers}). */
    public static FloodPair create(String transport, int size, boolean ownBuffers) throws Exception {
        FloodPair pair;
        switch (transport) {
            case "virtual":
                pair = new Virtual(size);
                break;
            case "nio":
                pair = new Nio(size);
                break;
            case "epoll":
                pair = new Epoll(size, false);
                break;
            case "epoll-gso":
                pair = new Epoll(size, true);
                break;
            default:
                throw new IllegalArgumentException(
                        "transport: " + transport + " (expected virtual, nio, epoll or epoll-gso)");
        }
        pair.flood.ownBuffers(ownBuffers);
        return pair;
    }

    static ByteBuf payload(int size) {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(size, size);
        for (int i = 0; i < size; i++) {
            b.writeByte(i);
        }
        return b;
    }

    /**
     * The receiver's options, for both transports: a fixed receive buffer that fits the datagram (NIO's default of
     * 2,048 bytes would truncate 8 KB) reading up to 16 datagrams per read loop (an allocator set by hand reads one
     * unless told otherwise), and a large SO_RCVBUF.
     */
    static Bootstrap configure(Bootstrap b, int size) {
        return b.option(ChannelOption.SO_RCVBUF, RECEIVE_BUFFER)
                .option(
                        ChannelOption.RCVBUF_ALLOCATOR,
                        new FixedRecvByteBufAllocator(Math.max(2048, size)).maxMessagesPerRead(Flood.BURST));
    }

    /** Two hosts on an ideal wire, one loop, deterministic mode: the calling thread drives it. */
    public static final class Virtual extends FloodPair {
        public final VirtualNetwork net;
        private long target;

        Virtual(int size) {
            net = VirtualNetwork.create(4);
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Host a = net.newHost("a", "10.0.0.1");
            Host b = net.newHost("b", "10.0.0.2");
            net.newWire(a, b);
            InetSocketAddress to = new InetSocketAddress("10.0.0.2", 9000);
            Channel rx = net.runUntil(configure(new Bootstrap(), size)
                            .group(group)
                            .channel(VirtualDatagramChannel.class)
                            .handler(sink)
                            .bind(to))
                    .channel();
            payload = payload(size);
            flood = new Flood(payload, to);
            net.runUntil(configure(new Bootstrap(), size)
                            .group(group)
                            .channel(VirtualDatagramChannel.class)
                            .handler(flood)
                            .bind(new InetSocketAddress("10.0.0.1", 9001)))
                    .channel();
            if (!rx.isActive()) {
                throw new IllegalStateException("receiver not bound");
            }
        }

        @Override
        protected void send(long n) {
            target += n;
            flood.start(n);
            // Returns when all arrived, or when the simulation is idle (some were dropped).
            net.runUntil(() -> sink.datagrams() >= target);
            target = sink.datagrams();
        }

        @Override
        public void close() {
            net.close();
            payload.release();
        }
    }

    /** Whether this JVM can run {@code transport} here: epoll needs Linux and its native library, GSO the kernel's. */
    public static boolean isAvailable(String transport) {
        switch (transport) {
            case "epoll":
                return io.netty.channel.epoll.Epoll.isAvailable();
            case "epoll-gso":
                return io.netty.channel.epoll.Epoll.isAvailable()
                        && EpollDatagramChannel.isSegmentedDatagramPacketSupported();
            default:
                return true;
        }
    }

    /**
     * Two EpollDatagramChannels on 127.0.0.1, each on its own loop thread of a two-thread group: Netty's fastest
     * real UDP transport. The sender's bursts of {@link Flood#BURST} datagrams go out in one {@code sendmmsg} (epoll
     * writes all flushed datagrams so); the receiver reads up to {@link Flood#BURST} per {@code recvmmsg}
     * ({@code MAX_DATAGRAM_PAYLOAD_SIZE}). With {@code gso}, the sender writes each burst as one UDP GSO packet of
     * up to {@link #GSO_BYTES} bytes and the receiver asks for UDP GRO, so loopback carries a burst as one packet
     * and the receiver reads it with one {@code recvmsg} into a 64 KiB buffer.
     */
    public static final class Epoll extends FloodPair {
        /** Largest GSO packet the sender builds: under the 64 KiB of one IP packet. */
        public static final int GSO_BYTES = 65_000;

        private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
        private ByteBuf burst;

        Epoll(int size, boolean gso) throws InterruptedException {
            if (!isAvailable(gso ? "epoll-gso" : "epoll")) {
                group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
                throw new IllegalStateException((gso ? "epoll-gso" : "epoll") + " is not available here: "
                        + io.netty.channel.epoll.Epoll.unavailabilityCause());
            }
            Bootstrap rxb = configure(new Bootstrap(), size).group(group).channel(EpollDatagramChannel.class);
            if (gso) {
                // GRO: one recvmsg returns a whole coalesced GSO packet, so the buffer must hold one. (With
                // MAX_DATAGRAM_PAYLOAD_SIZE set, epoll would use recvmmsg with datagram-sized slots, which would
                // truncate coalesced reads.)
                rxb.option(
                                ChannelOption.RCVBUF_ALLOCATOR,
                                new FixedRecvByteBufAllocator(65_536).maxMessagesPerRead(Flood.BURST))
                        .option(EpollChannelOption.UDP_GRO, true);
            } else {
                // recvmmsg: one receive buffer cut into BURST slots of the datagram's size
                int slot = Math.max(2048, size);
                rxb.option(
                                ChannelOption.RCVBUF_ALLOCATOR,
                                new FixedRecvByteBufAllocator(slot * Flood.BURST).maxMessagesPerRead(Flood.BURST))
                        .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, slot);
            }
            Channel rx = rxb.handler(sink)
                    .bind(new InetSocketAddress("127.0.0.1", 0))
                    .sync()
                    .channel();
            payload = payload(size);
            flood = new Flood(payload, (InetSocketAddress) rx.localAddress());
            if (gso) {
                int segments = Math.max(1, Math.min(Flood.BURST, GSO_BYTES / size));
                burst = PooledByteBufAllocator.DEFAULT.directBuffer(segments * size);
                for (int i = 0; i < segments; i++) {
                    burst.writeBytes(payload, payload.readerIndex(), size);
                }
                flood.segmented(burst, segments);
            }
            configure(new Bootstrap(), size)
                    .group(group)
                    .channel(EpollDatagramChannel.class)
                    .handler(flood)
                    .bind(new InetSocketAddress("127.0.0.1", 0))
                    .sync();
        }

        @Override
        protected void send(long n) {
            flood.start(n).syncUninterruptibly();
        }

        @Override
        public void close() {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS)
                    .syncUninterruptibly();
            payload.release();
            if (burst != null) {
                burst.release();
            }
        }
    }

    /** Two NioDatagramChannels on 127.0.0.1, each on its own loop thread of a two-thread group. */
    public static final class Nio extends FloodPair {
        private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());

        Nio(int size) throws InterruptedException {
            Channel rx = configure(new Bootstrap(), size)
                    .group(group)
                    .channel(NioDatagramChannel.class)
                    .handler(sink)
                    .bind(new InetSocketAddress("127.0.0.1", 0))
                    .sync()
                    .channel();
            payload = payload(size);
            flood = new Flood(payload, (InetSocketAddress) rx.localAddress());
            configure(new Bootstrap(), size)
                    .group(group)
                    .channel(NioDatagramChannel.class)
                    .handler(flood)
                    .bind(new InetSocketAddress("127.0.0.1", 0))
                    .sync();
        }

        @Override
        protected void send(long n) {
            Future<Void> f = flood.start(n);
            f.syncUninterruptibly();
        }

        @Override
        public void close() {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS)
                    .syncUninterruptibly();
            payload.release();
        }
    }
}
