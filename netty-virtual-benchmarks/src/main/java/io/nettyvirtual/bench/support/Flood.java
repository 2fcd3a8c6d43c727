package io.nettyvirtual.bench.support;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.SegmentedDatagramPacket;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;

/**
 * The sending side of every flood benchmark, identical for the virtual, the NIO and the epoll channel: on its
 * event loop it writes bursts of {@value #BURST} datagrams (each a retained duplicate of one payload buffer, so no
 * benchmark copies bytes itself; or, with {@link #ownBuffers}, each a new buffer holding a copy of it; or, with
 * {@link #segmented}, one UDP GSO packet per burst), flushes after each burst, and goes on while the channel is
 * writable; when it is not, it waits for {@code channelWritabilityChanged}. Between bursts it yields the loop, so a
 * receiver on the same loop reads in between.
 */
public final class Flood extends ChannelInboundHandlerAdapter {
    /** Datagrams written per flush; equal to the default maxMessagesPerRead of datagram channels. */
    public static final int BURST = 16;

    private final ByteBuf payload;
    private final InetSocketAddress to;
    private final Runnable pump = this::pump;
    private ChannelHandlerContext ctx;
    private long remaining;
    private long sent;
    private boolean scheduled;
    private Promise<Void> done;
    private boolean ownBuffers;
    /** With {@link #segmented}: the payload repeated {@link #segments} times, or null (one datagram per write). */
    private ByteBuf burst;

    private int segments = 1;

    /**
     * Floods {@code to} with retained duplicates of {@code payload}; the caller keeps its reference and releases it
     * once the channel is closed and its loop has terminated.
     */
    public Flood(ByteBuf payload, InetSocketAddress to) {
        this.payload = payload;
        this.to = to;
    }

    /**
     * Whether each datagram gets a buffer of its own, allocated from the channel's allocator and filled with a copy of
     * the payload (as a codec encodes each message into a new buffer), instead of a retained duplicate of the shared
     * payload. Both transports then pay that copy; the virtual one hands the buffer over, where it copies a shared
     * buffer as the kernel copies every datagram. Set before {@link #start}.
     */
    public Flood ownBuffers(boolean own) {
        this.ownBuffers = own;
        return this;
    }

    /**
     * Whether each write carries up to {@code segments} datagrams as one UDP GSO packet (Linux's
     * {@code UDP_SEGMENT}, Netty's epoll {@code SegmentedDatagramPacket}) instead of one datagram: the kernel then
     * cuts it into datagrams of the payload's size, one system call for the lot. {@code burst} holds the payload
     * {@code segments} times over (shared buffers send retained slices of it; own buffers copy it); the caller keeps
     * it and releases it with the payload. Only for an epoll channel where the kernel has UDP GSO. Set before
     * {@link #start}.
     */
    public Flood segmented(ByteBuf burst, int segments) {
        if (segments < 1 || burst.readableBytes() != segments * payload.readableBytes()) {
            throw new IllegalArgumentException("segments " + segments + " of " + payload.readableBytes()
                    + " B: the burst must hold exactly that, not " + burst.readableBytes() + " B");
        }
        this.burst = burst;
        this.segments = segments;
        return this;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Sends {@code n} more datagrams ({@link Long#MAX_VALUE}: for ever); the future completes on the channel's loop
     * once the last one is written. Call from any thread.
     */
    public Future<Void> start(long n) {
        Promise<Void> p = ctx.executor().newPromise();
        ctx.executor().execute(() -> {
            remaining = n;
            done = p;
            pump();
        });
        return p;
    }

    /** Datagrams written so far; read it on the channel's loop, or after a {@link #start} future completed. */
    public long sent() {
        return sent;
    }

    private void pump() {
        scheduled = false;
        Channel ch = ctx.channel();
        int n = 0;
        while (remaining > 0 && n < BURST && ch.isWritable()) {
            if (burst != null) {
                int k = (int) Math.min(Math.min(segments, remaining), BURST - n);
                int bytes = k * payload.readableBytes();
                ByteBuf content = ownBuffers
                        ? ctx.alloc().directBuffer(bytes).writeBytes(burst, burst.readerIndex(), bytes)
                        : burst.retainedSlice(burst.readerIndex(), bytes);
                ctx.write(new SegmentedDatagramPacket(content, payload.readableBytes(), to), ctx.voidPromise());
                remaining -= k;
                n += k;
                continue;
            }
            ByteBuf content = ownBuffers
                    ? ctx.alloc()
                            .directBuffer(payload.readableBytes())
                            .writeBytes(payload, payload.readerIndex(), payload.readableBytes())
                    : payload.retainedDuplicate();
            ctx.write(new DatagramPacket(content, to), ctx.voidPromise());
            remaining--;
            n++;
        }
        sent += n;
        if (n > 0) {
            ctx.flush();
        }
        if (remaining == 0) {
            Promise<Void> d = done;
            done = null;
            if (d != null) {
                d.trySuccess(null);
            }
        } else if (ch.isWritable() && !scheduled) {
            scheduled = true;
            ctx.executor().execute(pump);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        remaining = 0;
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof ClosedChannelException) {
            remaining = 0; // writes still queued when the benchmark closed the channel
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // Never pump from here: flush() fires this synchronously when the outbound buffer drains, and pumping
        // inside it would recurse and starve everything else on the loop (a receiver on the same loop included).
        if (ctx.channel().isWritable() && remaining > 0 && !scheduled) {
            scheduled = true;
            ctx.executor().execute(pump);
        }
        ctx.fireChannelWritabilityChanged();
    }
}
