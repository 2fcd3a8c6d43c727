package io.nettyvirtual.bench.support;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.channel.VirtualDatagramChannel;
import io.nettyvirtual.channel.VirtualEventLoopGroup;
import io.nettyvirtual.network.Host;
import io.nettyvirtual.network.link.LinkConfig;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The first-run scenario, as a test would write it: one UDP flow of {@value #SIZE}-byte datagrams paced by a
 * timer ({@code scheduleAtFixedRate}, one datagram per tick, each in a buffer of its own) at 12 Mbit/s into a wire
 * of 10 Mbit/s and 50 ms one-way delay with the default queue, for a given span of virtual time, on a deterministic
 * network built and closed inside {@link #run}. The timer writes whether or not the channel is writable, as a
 * paced sender does: once the wire's queue is full, the channel holds the excess (2 Mbit/s of it) in its outbound
 * buffer, as Netty's real channels hold writes a full socket refuses, and the close fails what is left. The wire
 * carries its full rate; ns-3's counterpart ({@code ns3/paced-flow/}) drops the excess at its device queue
 * instead, and counts 30 bytes of headers per datagram against the rate, where this wire counts the payload.
 */
public final class PacedFlow {
    /** Datagram payload, bytes. */
    public static final int SIZE = 1200;
    /** The sender's rate. */
    public static final long SEND_BITS_PER_SECOND = 12_000_000;
    /** The wire's rate. */
    public static final long WIRE_BITS_PER_SECOND = 10_000_000;
    /** The wire's one-way delay. */
    public static final Duration DELAY = Duration.ofMillis(50);
    /** Time between two datagrams: 800 µs. */
    public static final long INTERVAL_NANOS = SIZE * 8 * 1_000_000_000L / SEND_BITS_PER_SECOND;

    private PacedFlow() {}

    /** What one run did. */
    public static final class Outcome {
        /** Datagrams the timer wrote. */
        public final long sent;
        /** Datagrams that reached the receiver. */
        public final long delivered;
        /** Datagrams still waiting in the sender's channel when it closed, failed by the close. */
        public final long unsent;

        Outcome(long sent, long delivered, long unsent) {
            this.sent = sent;
            this.delivered = delivered;
            this.unsent = unsent;
        }

        @Override
        public String toString() {
            return "sent " + sent + ", delivered " + delivered + ", unsent at close " + unsent;
        }
    }

    /** Builds the network, runs the flow for {@code virtualTime}, closes everything and says what happened. */
    public static Outcome run(Duration virtualTime, long seed) {
        if (virtualTime.isNegative() || virtualTime.isZero()) {
            throw new IllegalArgumentException("virtualTime must be positive: " + virtualTime);
        }
        try (VirtualNetwork net = VirtualNetwork.create(seed)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net);
            Host a = net.newHost("a", "10.0.0.1");
            Host b = net.newHost("b", "10.0.0.2");
            net.newWire(a, b, LinkConfig.delayed(DELAY).bitsPerSecond(WIRE_BITS_PER_SECOND));
            Sink sink = new Sink();
            InetSocketAddress to = new InetSocketAddress("10.0.0.2", 9000);
            net.runUntil(new Bootstrap()
                    .group(group)
                    .channel(VirtualDatagramChannel.class)
                    .handler(sink)
                    .bind(to));
            Pacer pacer = new Pacer(to);
            Channel tx = net.runUntil(new Bootstrap()
                            .group(group)
                            .channel(VirtualDatagramChannel.class)
                            .handler(pacer)
                            .bind(new InetSocketAddress("10.0.0.1", 9001)))
                    .channel();
            net.runFor(virtualTime);
            net.runUntil(tx.close());
            return new Outcome(pacer.sent, sink.datagrams(), pacer.unsent);
        }
    }

    /** Writes one datagram per tick of a fixed-rate timer, from the channel's activation to its close. */
    private static final class Pacer extends ChannelInboundHandlerAdapter {
        private final InetSocketAddress to;
        private ScheduledFuture<?> timer;
        long sent;
        long unsent;

        Pacer(InetSocketAddress to) {
            this.to = to;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            timer = ctx.executor()
                    .scheduleAtFixedRate(
                            () -> {
                                ByteBuf b = ctx.alloc().directBuffer(SIZE).writeZero(SIZE);
                                ctx.writeAndFlush(new DatagramPacket(b, to), ctx.voidPromise());
                                sent++;
                            },
                            0,
                            INTERVAL_NANOS,
                            TimeUnit.NANOSECONDS);
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (timer != null) {
                timer.cancel(false);
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof ClosedChannelException) {
                unsent++; // a write still waiting in the channel when the run closed it
            } else {
                ctx.fireExceptionCaught(cause);
            }
        }
    }
}
