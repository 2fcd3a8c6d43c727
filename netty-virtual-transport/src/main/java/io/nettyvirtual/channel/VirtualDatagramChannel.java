package io.nettyvirtual.channel;

import io.netty.buffer.ByteBuf;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandle;
import io.netty.channel.IoRegistration;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.internal.StringUtil;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.network.Host;
import io.nettyvirtual.packet.Packet;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.NotYetConnectedException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link DatagramChannel} on a {@link VirtualNetwork}: use it with a {@link VirtualEventLoopGroup} in place of
 * {@code NioDatagramChannel} and {@code NioEventLoopGroup}; the rest of a bootstrap and pipeline stays as it is.
 *
 * <p>It behaves as {@code NioDatagramChannel} does: it binds to an {@link InetSocketAddress} of a host on the
 * network (IPv4 or IPv6; port 0 takes an ephemeral port; a wildcard or loopback address binds on the network's
 * default host), throws {@link BindException} when the address is taken, binds implicitly on the first send,
 * honours {@code DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION}, connects and disconnects (a connected channel writes bare
 * {@link ByteBuf}s and reads only from its peer), reads {@link DatagramPacket}s with sender and recipient set,
 * applies back-pressure through {@code autoRead} and {@code read()}, and delivers datagrams of up to 65,507 bytes
 * (65,527 over IPv6) whole. As with NIO, a read's recipient is the channel's local address (a wildcard address for
 * a channel bound to one), a connected channel fails a write to another address with
 * {@link AlreadyConnectedException}, a write of a buffer already released fails with
 * {@code IllegalReferenceCountException} and a datagram to port 0 with "Can't send to port 0".
 *
 * <p><b>Port unreachable.</b> When a datagram from a connected channel to its peer is dropped because nothing is
 * bound at the peer's port, the channel gets the error Linux reports after ICMP port unreachable: a
 * {@link PortUnreachableException}, once, through {@code exceptionCaught} when the channel is reading, or else as
 * the failure of its next write (that datagram is not sent). The channel stays open. Unconnected channels ignore
 * the error, as on Linux. It is reported when the peer host's ICMP port-unreachable message arrives back, one
 * return trip after the datagram was dropped (and not at all if the message is lost on the way).
 *
 * <p><b>Buffers.</b> A written buffer is handed to the receiver without copying when the channel owns it
 * exclusively (a reference count of one all the way down its derivation chain, writable, not composite), which is
 * the case for a buffer freshly allocated and written once. A buffer that is still referenced elsewhere (written
 * with {@code retain()}, a retained slice or duplicate of a buffer kept by the caller), read-only or composite is
 * copied when it is sent, as a kernel copies it, so later changes by the sender cannot reach the receiver.
 *
 * <p><b>ECN.</b> Every datagram carries an ECN codepoint (RFC 3168). The channel sends the two low bits of
 * {@code ChannelOption.IP_TOS} (as Linux does; 0, Not-ECT, by default), or a datagram's own codepoint when it is
 * written as an {@link EcnDatagramPacket}. It reads a datagram that arrives ECN-capable or marked CE by a queue on
 * the way as an {@link EcnDatagramPacket}, and a Not-ECT one as a plain {@link DatagramPacket};
 * {@link EcnDatagramPacket#ecnOf(DatagramPacket)} gives the codepoint of either.
 *
 * <p><b>Don't fragment.</b> With {@link VirtualChannelOption#IP_DONTFRAGMENT} set, the datagrams sent are marked
 * not to be fragmented: a link whose MTU one exceeds drops it and counts the drop, as a router drops an IPv4 packet
 * with DF set. A send larger than the host's own interface MTU is not refused locally (Linux's EMSGSIZE,
 * "Message too long"): a host has no interface MTU.
 *
 * <p>Multicast is not supported: those methods return a failed future.
 */
public class VirtualDatagramChannel extends UnicastDatagramChannel {
    // Over 400 lines because it is Netty's channel contract (lifecycle, bind/connect, the write and read paths over
    // the outbound buffer and the receive allocator) with its Javadoc; what it would hide is in ChannelEndpoint,
    // SourceAddress, DatagramMessages and UnicastDatagramChannel.
    /** The largest UDP payload over IPv4: 65,535 - 8 (UDP header) - 20 (IPv4 header). */
    public static final int MAX_DATAGRAM_SIZE = 65_507;
    /** The largest UDP payload over IPv6 without jumbograms: 65,535 - 8 (UDP header). */
    public static final int MAX_DATAGRAM_SIZE_IPV6 = 65_527;

    private static final ChannelMetadata METADATA = new ChannelMetadata(true, 16);

    private final VirtualDatagramChannelConfig config = new VirtualDatagramChannelConfig(this);
    private final ChannelEndpoint endpoint = new ChannelEndpoint(this);
    private final AtomicBoolean readScheduled = new AtomicBoolean();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final SourceAddress source = new SourceAddress();
    private final Runnable readTask = this::readInbound;
    private final Runnable flushTask = this::flushPending;

    private volatile boolean open = true;
    private volatile InetSocketAddress local;
    private volatile InetSocketAddress remote;
    private volatile Host host;
    private volatile boolean writePending;
    private boolean readRequested;
    private IoRegistration registration;
    private final ChannelFuture closeFuture = new VirtualCloseFuture(this, super.closeFuture());

    /** Creates an unregistered channel; register it with a {@link VirtualEventLoopGroup}. */
    public VirtualDatagramChannel() {
        super(null);
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }

    @Override
    public VirtualDatagramChannelConfig config() {
        return config;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isActive() {
        return open && (config.activeOnRegistration() && isRegistered() || local != null);
    }

    @Override
    public boolean isConnected() {
        return remote != null;
    }

    @Override
    protected SocketAddress localAddress0() {
        return local;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return remote;
    }

    /** The network this channel's event loop belongs to; the channel must be registered. */
    public VirtualNetwork network() {
        return ((VirtualEventLoop) eventLoop()).network();
    }

    @Override
    protected boolean isCompatible(EventLoop loop) {
        return loop instanceof VirtualEventLoop;
    }

    @Override
    public ChannelPromise newPromise() {
        return new VirtualChannelPromise(this);
    }

    /**
     * Completes when the channel has closed. Waiting on it ({@code sync()}, {@code await()}) from the thread that
     * drives a deterministic network drives the network until then, as {@code network.runUntil(closeFuture())}
     * does; inside the simulation (a handler or task) the wait fails at once: add a listener instead.
     */
    @Override
    public ChannelFuture closeFuture() {
        ChannelFuture f = closeFuture;
        return f != null ? f : super.closeFuture(); // null only during the superclass's constructor
    }

    @Override
    protected AbstractUnsafe newUnsafe() {
        return new VirtualUnsafe();
    }

    // Route the common outbound calls through newPromise(), so blocking on them from the thread that drives a
    // deterministic simulation fails with advice instead of Netty's generic message.

    @Override
    public ChannelFuture bind(SocketAddress localAddress) {
        return bind(localAddress, newPromise());
    }

    @Override
    public ChannelFuture connect(SocketAddress remoteAddress) {
        return connect(remoteAddress, newPromise());
    }

    @Override
    public ChannelFuture connect(SocketAddress remoteAddress, SocketAddress localAddress) {
        return connect(remoteAddress, localAddress, newPromise());
    }

    @Override
    public ChannelFuture disconnect() {
        return disconnect(newPromise());
    }

    @Override
    public ChannelFuture close() {
        return close(newPromise());
    }

    @Override
    public ChannelFuture deregister() {
        return deregister(newPromise());
    }

    @Override
    public ChannelFuture write(Object msg) {
        return write(msg, newPromise());
    }

    @Override
    public ChannelFuture writeAndFlush(Object msg) {
        return writeAndFlush(msg, newPromise());
    }

    @Override
    public ChannelFuture write(Object msg, ChannelPromise promise) {
        if (!open) {
            return failClosed(msg, promise);
        }
        if (DatagramMessages.isReleased(msg)) {
            return DatagramMessages.failReleased(msg, promise);
        }
        return super.write(msg, promise);
    }

    @Override
    public ChannelFuture writeAndFlush(Object msg, ChannelPromise promise) {
        if (!open) {
            return failClosed(msg, promise);
        }
        if (DatagramMessages.isReleased(msg)) {
            return DatagramMessages.failReleased(msg, promise);
        }
        return super.writeAndFlush(msg, promise);
    }

    private ChannelFuture failClosed(Object msg, ChannelPromise promise) {
        ReferenceCountUtil.release(msg);
        promise.tryFailure(
                new ClosedChannelError(this + " is closed; cannot write " + StringUtil.simpleClassName(msg)));
        return promise;
    }

    @Override
    protected void doRegister(ChannelPromise promise) {
        VirtualNetwork net = network();
        if (net.isClosed()) {
            promise.setFailure(new RejectedExecutionException("cannot register " + this + ": " + net + " is closed"));
            return;
        }
        ((IoEventLoop) eventLoop()).register((VirtualUnsafe) unsafe()).addListener(f -> {
            if (f.isSuccess()) {
                registration = (IoRegistration) f.getNow();
                promise.setSuccess();
            } else {
                promise.setFailure(f.cause());
            }
        });
    }

    @Override
    protected void doDeregister() {
        IoRegistration r = registration;
        if (r != null) {
            registration = null;
            r.cancel();
        }
    }

    @Override
    protected void doBind(SocketAddress localAddress) throws Exception {
        InetSocketAddress requested = DatagramMessages.checkAddress(localAddress, "local address");
        VirtualNetwork net = network();
        if (net.isClosed()) {
            throw new IllegalStateException("cannot bind to " + requested + ": " + net + " is closed");
        }
        Host h = net.hostOwning(requested.getAddress());
        if (h == null) {
            throw new BindException("Cannot assign requested address: "
                    + requested.getAddress().getHostAddress() + " is not owned by any host of " + net);
        }
        if (local != null) {
            throw new BindException("already bound to " + local + "; cannot bind to " + requested);
        }
        local = h.bind(endpoint, requested);
        host = h;
    }

    private void ensureBound(InetSocketAddress destination) throws Exception {
        if (local == null) {
            boolean v6 = destination != null && destination.getAddress() instanceof Inet6Address;
            doBind(new InetSocketAddress(v6 ? SourceAddress.ANY6 : SourceAddress.ANY4, 0));
        }
    }

    private void doConnect(SocketAddress remoteAddress, SocketAddress localAddress) throws Exception {
        InetSocketAddress to = DatagramMessages.checkAddress(remoteAddress, "remote address");
        if (localAddress != null) {
            doBind(localAddress);
        } else {
            ensureBound(to);
        }
        remote = to;
    }

    @Override
    protected void doDisconnect() {
        remote = null;
        endpoint.clearError();
    }

    @Override
    protected void doClose() {
        if (!open) {
            return;
        }
        open = false;
        Host h = host;
        InetSocketAddress l = local;
        if (h != null && l != null) {
            h.unbind(endpoint, l);
        }
        remote = null;
        endpoint.drain();
    }

    @Override
    protected void doBeginRead() {
        readRequested = true;
        if (endpoint.hasInbound() || endpoint.hasPendingError()) {
            scheduleRead();
        }
    }

    /** Queues a read on the loop, once until it runs; from any thread. */
    void scheduleRead() {
        if (readScheduled.compareAndSet(false, true)) {
            try {
                eventLoop().execute(readTask);
            } catch (RejectedExecutionException e) {
                // The loop is shutting down and closes this channel, which releases what is queued.
                readScheduled.set(false);
            }
        }
    }

    private void readInbound() {
        readScheduled.set(false);
        if (!readRequested || !open) {
            return;
        }
        RecvByteBufAllocator.Handle handle = unsafe().recvBufAllocHandle();
        handle.reset(config);
        ChannelPipeline pipeline = pipeline();
        InetSocketAddress recipient = local;
        boolean read = false;
        do {
            Packet p = endpoint.poll();
            if (p == null) {
                break;
            }
            readRequested = false;
            read = true;
            handle.attemptedBytesRead(p.size());
            handle.lastBytesRead(Math.max(1, p.size()));
            handle.incMessagesRead(1);
            // As NioDatagramChannel: the recipient is the local address (wildcard for a wildcard-bound channel).
            int ecn = p.ecn();
            pipeline.fireChannelRead(
                    ecn == EcnDatagramPacket.NOT_ECT
                            ? new DatagramPacket(p.content(), recipient, p.source())
                            : new EcnDatagramPacket(p.content(), recipient, p.source(), ecn));
        } while (open && handle.continueReading());
        handle.readComplete();
        if (read) {
            pipeline.fireChannelReadComplete();
        }
        IOException error = endpoint.takeError();
        if (error != null) {
            // As NIO: a PortUnreachableException from a read is passed on and does not close the channel.
            pipeline.fireExceptionCaught(error);
        }
        if (readRequested && endpoint.hasInbound()) {
            scheduleRead();
        }
    }

    /** The peer of a connected channel, or null; from any thread. */
    InetSocketAddress remote() {
        return remote;
    }

    /** The network returned send-buffer credit: a write waiting for it is flushed on the loop; from any thread. */
    void creditReturned() {
        if (writePending && open && flushScheduled.compareAndSet(false, true)) {
            eventLoop().execute(flushTask);
        }
    }

    @Override
    protected Object filterOutboundMessage(Object msg) throws Exception {
        return DatagramMessages.check(msg, remote);
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) throws Exception {
        final int sendBuffer = config.getSendBufferSize();
        final int channelEcn = config.getTrafficClass() & 3; // as Linux: the ECN field is TOS's two low bits
        final boolean dontFragment = config.isDontFragment();
        for (; ; ) {
            Object msg = in.current();
            if (msg == null) {
                writePending = false;
                return;
            }
            ByteBuf data;
            InetSocketAddress to;
            InetSocketAddress connectedTo = remote;
            if (msg instanceof AddressedEnvelope) {
                AddressedEnvelope<?, ?> e = (AddressedEnvelope<?, ?>) msg;
                data = (ByteBuf) e.content();
                to = (InetSocketAddress) e.recipient();
                if (connectedTo != null && !connectedTo.equals(to)) {
                    // As DatagramChannel.send(...) on a connected NIO channel.
                    in.remove(new AlreadyConnectedError(connectedTo, to));
                    continue;
                }
            } else {
                data = (ByteBuf) msg;
                to = connectedTo;
                if (to == null) {
                    in.remove(new NotYetConnectedException());
                    continue;
                }
            }
            IOException unreachableError = endpoint.takeError();
            if (unreachableError != null) {
                // Linux: the pending ICMP error fails this send(), and the datagram is not sent.
                in.remove(unreachableError);
                continue;
            }
            int size = data.readableBytes();
            long used = endpoint.sendBufferUsed();
            if (used > 0 && used + size > sendBuffer) {
                // The send buffer is full: wait until the network returns credit, as NIO waits for OP_WRITE.
                writePending = true;
                if (endpoint.sendBufferUsed() < used && flushScheduled.compareAndSet(false, true)) {
                    eventLoop().execute(flushTask);
                }
                return;
            }
            try {
                ensureBound(to);
            } catch (Exception e) {
                in.remove(e);
                continue;
            }
            InetSocketAddress from;
            try {
                from = source.choose(host, local, to.getAddress());
                if (dontFragment) {
                    host.checkFits(to.getAddress(), size);
                }
            } catch (IOException e) {
                // As Linux's sendto: no route (ENETUNREACH) or a bound address that is gone (EADDRNOTAVAIL).
                in.remove(e);
                continue;
            }
            endpoint.sent(size);
            ByteBuf payload = DatagramMessages.exclusivelyOwned(data) ? data.retain() : copy(data, size);
            int ecn = msg instanceof EcnDatagramPacket ? ((EcnDatagramPacket) msg).ecn() : channelEcn;
            host.send(from, to, payload, endpoint, ecn, dontFragment);
            in.remove();
        }
    }

    private ByteBuf copy(ByteBuf data, int size) {
        ByteBuf copy = alloc().buffer(size);
        copy.writeBytes(data, data.readerIndex(), size);
        return copy;
    }

    private void flushPending() {
        flushScheduled.set(false);
        if (writePending && open) {
            ((VirtualUnsafe) unsafe()).forceFlush();
        }
    }

    final class VirtualUnsafe extends AbstractUnsafe implements IoHandle {
        @Override
        public void connect(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
            if (!promise.setUncancellable() || !ensureOpen(promise)) {
                return;
            }
            try {
                boolean wasActive = isActive();
                doConnect(remoteAddress, localAddress);
                boolean active = isActive();
                promise.trySuccess();
                if (!wasActive && active) {
                    pipeline().fireChannelActive();
                }
            } catch (Throwable t) {
                promise.tryFailure(t);
                closeIfClosed();
            }
        }

        void forceFlush() {
            super.flush0();
        }

        @Override
        public void handle(IoRegistration registration, IoEvent ioEvent) {
            // Datagrams arrive as tasks on the event loop; there are no I/O events.
        }

        @Override
        public void close() {
            closeNow();
        }

        void closeNow() {
            close(voidPromise());
        }
    }
}
