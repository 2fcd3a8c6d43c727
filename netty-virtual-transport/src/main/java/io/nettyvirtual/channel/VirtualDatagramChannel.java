package io.nettyvirtual.channel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.AbstractChannel;
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
import io.netty.util.internal.PlatformDependent;
import io.netty.util.internal.StringUtil;
import io.nettyvirtual.network.DatagramEndpoint;
import io.nettyvirtual.network.Host;
import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.packet.SendCredit;
import io.nettyvirtual.network.VirtualNetwork;

import java.net.BindException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

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
 * a channel bound to one), and a connected channel fails a write to another address with
 * {@link AlreadyConnectedException}.
 *
 * <p><b>Port unreachable.</b> When a datagram from a connected channel to its peer is dropped because nothing is
 * bound at the peer's port, the channel gets the error Linux reports after ICMP port unreachable: a
 * {@link PortUnreachableException}, once, through {@code exceptionCaught} when the channel is reading, or else as
 * the failure of its next write (that datagram is not sent). The channel stays open. Unconnected channels ignore
 * the error, as on Linux. It is reported when the datagram is dropped, without the return trip of the ICMP message.
 *
 * <p><b>Buffers.</b> A written buffer is handed to the receiver without copying when the channel owns it
 * exclusively (a reference count of one all the way down its derivation chain, writable, not composite), which is
 * the case for a buffer freshly allocated and written once. A buffer that is still referenced elsewhere (written
 * with {@code retain()}, a retained slice or duplicate of a buffer kept by the caller), read-only or composite is
 * copied when it is sent, as a kernel copies it, so later changes by the sender cannot reach the receiver.
 *
 * <p>Multicast is not supported: those methods return a failed future.
 */
public class VirtualDatagramChannel extends AbstractChannel implements DatagramChannel {
    /** The largest UDP payload over IPv4: 65,535 - 8 (UDP header) - 20 (IPv4 header). */
    public static final int MAX_DATAGRAM_SIZE = 65_507;
    /** The largest UDP payload over IPv6 without jumbograms: 65,535 - 8 (UDP header). */
    public static final int MAX_DATAGRAM_SIZE_IPV6 = 65_527;

    private static final ChannelMetadata METADATA = new ChannelMetadata(true, 16);
    private static final String EXPECTED_TYPES = " (expected: " + StringUtil.simpleClassName(DatagramPacket.class)
            + ", " + StringUtil.simpleClassName(AddressedEnvelope.class) + '<'
            + StringUtil.simpleClassName(ByteBuf.class) + ", "
            + StringUtil.simpleClassName(InetSocketAddress.class) + ">, "
            + StringUtil.simpleClassName(ByteBuf.class) + ')';

    private final VirtualDatagramChannelConfig config = new VirtualDatagramChannelConfig(this);
    // Chunks of 16, not Netty's default 1,024: an idle channel then holds ~100 bytes of queue instead of 4 KB
    // (70% of a channel's heap at 100,000 channels). The bound is only the queue's own (2^30 packets).
    private final Queue<Packet> inbound = PlatformDependent.newMpscQueue(16, 1 << 30);
    private final AtomicLong inboundBytes = new AtomicLong();
    private final AtomicBoolean readScheduled = new AtomicBoolean();
    private final AtomicLong sendBufferUsed = new AtomicLong();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    /** The peer a port-unreachable error is pending for (connected channels only), reported once. */
    private final AtomicReference<InetSocketAddress> unreachable = new AtomicReference<>();
    private final Endpoint endpoint = new Endpoint();
    private final Runnable readTask = this::readInbound;
    private final Runnable flushTask = this::flushPending;

    private volatile boolean open = true;
    private volatile InetSocketAddress local;
    private volatile InetSocketAddress remote;
    private volatile Host host;
    private volatile boolean writePending;
    private boolean readRequested;
    private IoRegistration registration;
    private InetAddress lastDestination;
    private InetSocketAddress lastSource;

    /** Creates an unregistered channel; register it with a {@link VirtualEventLoopGroup}. */
    public VirtualDatagramChannel() {
        super(null);
    }

    // ---------------------------------------------------------------- Channel

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
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) super.localAddress();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) super.remoteAddress();
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
        return super.write(msg, promise);
    }

    @Override
    public ChannelFuture writeAndFlush(Object msg, ChannelPromise promise) {
        if (!open) {
            return failClosed(msg, promise);
        }
        return super.writeAndFlush(msg, promise);
    }

    private ChannelFuture failClosed(Object msg, ChannelPromise promise) {
        ReferenceCountUtil.release(msg);
        promise.tryFailure(new VirtualClosedChannelException(this + " is closed; cannot write "
                + StringUtil.simpleClassName(msg)));
        return promise;
    }

    /** A {@link ClosedChannelException} that names the channel. */
    static final class VirtualClosedChannelException extends ClosedChannelException {
        private static final long serialVersionUID = 1L;
        private final String message;

        VirtualClosedChannelException(String message) {
            this.message = message;
        }

        @Override
        public String getMessage() {
            return message;
        }
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    protected void doRegister(ChannelPromise promise) {
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
        InetSocketAddress requested = checkAddress(localAddress, "local address");
        VirtualNetwork net = network();
        Host h = net.hostOwning(requested.getAddress());
        if (h == null) {
            throw new BindException("Cannot assign requested address: " + requested.getAddress().getHostAddress()
                    + " is not owned by any host of " + net);
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
            doBind(new InetSocketAddress(v6 ? Inet6Any.ANY : Inet4Any.ANY, 0));
        }
    }

    private static final class Inet4Any {
        static final InetAddress ANY = any(new byte[4]);
    }

    private static final class Inet6Any {
        static final InetAddress ANY = any(new byte[16]);
    }

    private static InetAddress any(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private void doConnect(SocketAddress remoteAddress, SocketAddress localAddress) throws Exception {
        InetSocketAddress to = checkAddress(remoteAddress, "remote address");
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
        unreachable.set(null);
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
        Packet p;
        while ((p = inbound.poll()) != null) {
            inboundBytes.addAndGet(-p.size());
            p.content().release();
        }
    }

    private static InetSocketAddress checkAddress(SocketAddress address, String what) {
        if (!(address instanceof InetSocketAddress)) {
            throw new IllegalArgumentException(what + ": " + address + " (expected an InetSocketAddress)");
        }
        InetSocketAddress a = (InetSocketAddress) address;
        if (a.isUnresolved()) {
            throw new UnresolvedException(a);
        }
        return a;
    }

    /** An {@link UnresolvedAddressException} that names the address. */
    static final class UnresolvedException extends UnresolvedAddressException {
        private static final long serialVersionUID = 1L;
        private final String message;

        UnresolvedException(InetSocketAddress address) {
            this.message = "unresolved address: " + address.getHostString() + ":" + address.getPort()
                    + " (the virtual network resolves no names; use an address literal)";
        }

        @Override
        public String getMessage() {
            return message;
        }
    }

    // ---------------------------------------------------------------- reading

    @Override
    protected void doBeginRead() {
        readRequested = true;
        if (!inbound.isEmpty() || unreachable.get() != null) {
            scheduleRead();
        }
    }

    private void scheduleRead() {
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
            Packet p = inbound.poll();
            if (p == null) {
                break;
            }
            inboundBytes.addAndGet(-p.size());
            readRequested = false;
            read = true;
            handle.attemptedBytesRead(p.size());
            handle.lastBytesRead(Math.max(1, p.size()));
            handle.incMessagesRead(1);
            // As NioDatagramChannel: the recipient is the local address (wildcard for a wildcard-bound channel).
            pipeline.fireChannelRead(new DatagramPacket(p.content(), recipient, p.sender()));
        } while (open && handle.continueReading());
        handle.readComplete();
        if (read) {
            pipeline.fireChannelReadComplete();
        }
        PortUnreachableException error = takeUnreachable();
        if (error != null) {
            // As NIO: a PortUnreachableException from a read is passed on and does not close the channel.
            pipeline.fireExceptionCaught(error);
        }
        if (readRequested && !inbound.isEmpty()) {
            scheduleRead();
        }
    }

    private PortUnreachableException takeUnreachable() {
        // Every write and read asks; a plain read first spares them a locked exchange when nothing is pending.
        InetSocketAddress to = unreachable.get() == null ? null : unreachable.getAndSet(null);
        if (to == null) {
            return null;
        }
        return new PortUnreachableException("Port unreachable: nothing is bound at " + to.getAddress().getHostAddress()
                + ":" + to.getPort() + ", the peer of " + this);
    }

    private final class Endpoint implements DatagramEndpoint, SendCredit {
        @Override
        public boolean accepts(InetSocketAddress sender) {
            InetSocketAddress r = remote;
            return r == null || r.equals(sender);
        }

        @Override
        public boolean deliver(Packet packet) {
            if (!open || inboundBytes.get() + packet.size() > config.getReceiveBufferSize()) {
                return false;
            }
            inboundBytes.addAndGet(packet.size());
            inbound.offer(packet);
            scheduleRead();
            return true;
        }

        @Override
        public void portUnreachable(InetSocketAddress destination) {
            InetSocketAddress r = remote;
            if (open && r != null && r.equals(destination)) {
                unreachable.set(destination);
                scheduleRead();
            }
        }

        @Override
        public void release(int bytes) {
            sendBufferUsed.addAndGet(-bytes);
            if (writePending && open && flushScheduled.compareAndSet(false, true)) {
                eventLoop().execute(flushTask);
            }
        }

        @Override
        public String toString() {
            return VirtualDatagramChannel.this.toString();
        }
    }

    // ---------------------------------------------------------------- writing

    @Override
    protected Object filterOutboundMessage(Object msg) throws Exception {
        if (msg instanceof DatagramPacket) {
            DatagramPacket p = (DatagramPacket) msg;
            checkSize(p.content(), checkAddress(p.recipient(), "recipient"));
            return msg;
        }
        if (msg instanceof ByteBuf) {
            InetSocketAddress r = remote;
            if (r == null) {
                throw new NotYetConnectedException();
            }
            checkSize((ByteBuf) msg, r);
            return msg;
        }
        if (msg instanceof AddressedEnvelope) {
            AddressedEnvelope<?, ?> e = (AddressedEnvelope<?, ?>) msg;
            if (e.content() instanceof ByteBuf) {
                checkSize((ByteBuf) e.content(), checkAddress(e.recipient(), "recipient"));
                return msg;
            }
        }
        throw new UnsupportedOperationException(
                "unsupported message type: " + StringUtil.simpleClassName(msg) + EXPECTED_TYPES);
    }

    private static void checkSize(ByteBuf content, InetSocketAddress to) throws SocketException {
        int size = content.readableBytes();
        boolean v6 = to.getAddress() instanceof Inet6Address;
        int max = v6 ? MAX_DATAGRAM_SIZE_IPV6 : MAX_DATAGRAM_SIZE;
        if (size > max) {
            throw new SocketException("Message too long: a datagram of " + size + " bytes exceeds the UDP maximum of "
                    + max + " bytes over " + (v6 ? "IPv6" : "IPv4"));
        }
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) throws Exception {
        final int sendBuffer = config.getSendBufferSize();
        for (;;) {
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
                    in.remove(new AlreadyConnectedToException(connectedTo, to));
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
            PortUnreachableException unreachableError = takeUnreachable();
            if (unreachableError != null) {
                // Linux: the pending ICMP error fails this send(), and the datagram is not sent.
                in.remove(unreachableError);
                continue;
            }
            int size = data.readableBytes();
            long used = sendBufferUsed.get();
            if (used > 0 && used + size > sendBuffer) {
                // The send buffer is full: wait until the network returns credit, as NIO waits for OP_WRITE.
                writePending = true;
                if (sendBufferUsed.get() < used && flushScheduled.compareAndSet(false, true)) {
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
            sendBufferUsed.addAndGet(size);
            ByteBuf payload = exclusivelyOwned(data) ? data.retain() : copy(data, size);
            host.send(sourceFor(to.getAddress()), to, payload, endpoint);
            in.remove();
        }
    }

    /**
     * Whether the outbound buffer holds the only reference to {@code data} and to every buffer it derives from, so
     * the receiver can have it without anyone else seeing or changing its bytes.
     */
    private static boolean exclusivelyOwned(ByteBuf data) {
        if (data.isReadOnly() || data instanceof CompositeByteBuf) {
            return false;
        }
        for (ByteBuf b = data; b != null; b = b.unwrap()) {
            if (b.refCnt() != 1) {
                return false;
            }
        }
        return true;
    }

    private ByteBuf copy(ByteBuf data, int size) {
        ByteBuf copy = alloc().buffer(size);
        copy.writeBytes(data, data.readerIndex(), size);
        return copy;
    }

    /** An {@link AlreadyConnectedException} that names both addresses. */
    static final class AlreadyConnectedToException extends AlreadyConnectedException {
        private static final long serialVersionUID = 1L;
        private final String message;

        AlreadyConnectedToException(InetSocketAddress connectedTo, InetSocketAddress recipient) {
            this.message = "connected to " + connectedTo + "; cannot send to " + recipient;
        }

        @Override
        public String getMessage() {
            return message;
        }
    }

    private InetSocketAddress sourceFor(InetAddress destination) {
        InetSocketAddress l = local;
        if (!l.getAddress().isAnyLocalAddress()) {
            return l;
        }
        if (destination.equals(lastDestination)) {
            return lastSource;
        }
        InetAddress src = null;
        if (destination.isLoopbackAddress() || host.addresses().contains(destination)) {
            src = destination;
        } else {
            for (InetAddress a : host.addresses()) {
                if (a.getClass() == destination.getClass()) {
                    src = a;
                    break;
                }
            }
            if (src == null) {
                src = host.addresses().isEmpty()
                        ? (destination instanceof Inet4Address ? loopback4() : loopback6())
                        : host.addresses().get(0);
            }
        }
        lastDestination = destination;
        lastSource = new InetSocketAddress(src, l.getPort());
        return lastSource;
    }

    private static InetAddress loopback4() {
        return io.netty.util.NetUtil.LOCALHOST4;
    }

    private static InetAddress loopback6() {
        return io.netty.util.NetUtil.LOCALHOST6;
    }

    private void flushPending() {
        flushScheduled.set(false);
        if (writePending && open) {
            ((VirtualUnsafe) unsafe()).forceFlush();
        }
    }

    // ---------------------------------------------------------------- unsafe

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

    // ---------------------------------------------------------------- multicast

    private static UnsupportedOperationException noMulticast() {
        return new UnsupportedOperationException("multicast is not supported by " + VirtualDatagramChannel.class
                .getSimpleName() + " (yet): send to each member's unicast address instead");
    }

    private ChannelFuture failMulticast(ChannelPromise promise) {
        promise.tryFailure(noMulticast());
        return promise;
    }

    @Override
    public ChannelFuture joinGroup(InetAddress multicastAddress) {
        return failMulticast(newPromise());
    }

    @Override
    public ChannelFuture joinGroup(InetAddress multicastAddress, ChannelPromise promise) {
        return failMulticast(promise);
    }

    @Override
    public ChannelFuture joinGroup(InetSocketAddress multicastAddress, NetworkInterface networkInterface) {
        return failMulticast(newPromise());
    }

    @Override
    public ChannelFuture joinGroup(InetSocketAddress multicastAddress, NetworkInterface networkInterface,
                                   ChannelPromise promise) {
        return failMulticast(promise);
    }

    @Override
    public ChannelFuture joinGroup(InetAddress multicastAddress, NetworkInterface networkInterface,
                                   InetAddress source) {
        return failMulticast(newPromise());
    }

    @Override
    public ChannelFuture joinGroup(InetAddress multicastAddress, NetworkInterface networkInterface,
                                   InetAddress source, ChannelPromise promise) {
        return failMulticast(promise);
    }

    @Override
    public ChannelFuture leaveGroup(InetAddress multicastAddress) {
        return failMulticast(newPromise());
    }

    @Override
    public ChannelFuture leaveGroup(InetAddress multicastAddress, ChannelPromise promise) {
        return failMulticast(promise);
    }

    @Override
    public ChannelFuture leaveGroup(InetSocketAddress multicastAddress, NetworkInterface networkInterface) {
        return failMulticast(newPromise());
    }

    @Override
    public ChannelFuture leaveGroup(InetSocketAddress multicastAddress, NetworkInterface networkInterface,
                                    ChannelPromise promise) {
        return failMulticast(promise);
    }

    @Override
    public ChannelFuture leaveGroup(InetAddress multicastAddress, NetworkInterface networkInterface,
                                    InetAddress source) {
        return failMulticast(newPromise());
    }

    @Override
    public ChannelFuture leaveGroup(InetAddress multicastAddress, NetworkInterface networkInterface,
                                    InetAddress source, ChannelPromise promise) {
        return failMulticast(promise);
    }

    @Override
    public ChannelFuture block(InetAddress multicastAddress, NetworkInterface networkInterface,
                               InetAddress sourceToBlock) {
        return failMulticast(newPromise());
    }

    @Override
    public ChannelFuture block(InetAddress multicastAddress, NetworkInterface networkInterface,
                               InetAddress sourceToBlock, ChannelPromise promise) {
        return failMulticast(promise);
    }

    @Override
    public ChannelFuture block(InetAddress multicastAddress, InetAddress sourceToBlock) {
        return failMulticast(newPromise());
    }

    @Override
    public ChannelFuture block(InetAddress multicastAddress, InetAddress sourceToBlock, ChannelPromise promise) {
        return failMulticast(promise);
    }
}
