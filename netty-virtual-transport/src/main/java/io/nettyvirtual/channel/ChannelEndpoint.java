package io.nettyvirtual.channel;

import io.netty.util.internal.PlatformDependent;
import io.nettyvirtual.network.DatagramEndpoint;
import io.nettyvirtual.packet.IcmpType;
import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.packet.SendCredit;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The network's side of a {@link VirtualDatagramChannel}, what a kernel keeps per socket: the receive queue with
 * its byte count (SO_RCVBUF), the send buffer's credit (SO_SNDBUF), and a pending port-unreachable error. The
 * network calls it with the simulation's lock held, on whichever thread fires the event, so its state is lock-free
 * and it hands work to the channel's event loop; the channel reads it on its loop.
 */
final class ChannelEndpoint implements DatagramEndpoint, SendCredit {
    private final VirtualDatagramChannel channel;
    // Chunks of 16, not Netty's default 1,024: an idle channel then holds a small fraction of the queue's memory,
    // which dominates a channel's heap at many channels. The bound is only the queue's own (2^30 packets).
    private final Queue<Packet> inbound = PlatformDependent.newMpscQueue(16, 1 << 30);
    private final AtomicLong inboundBytes = new AtomicLong();
    private final AtomicLong sendBufferUsed = new AtomicLong();
    /** The ICMP error pending for the peer (connected channels only), reported once. */
    private final AtomicReference<Pending> unreachable = new AtomicReference<>();

    /** An ICMP error waiting to be reported: about a datagram to {@code to}, of {@code type}. */
    private record Pending(InetSocketAddress to, IcmpType type) {}

    ChannelEndpoint(VirtualDatagramChannel channel) {
        this.channel = channel;
    }

    @Override
    public boolean accepts(InetSocketAddress sender) {
        InetSocketAddress r = channel.remote();
        return r == null || r.equals(sender);
    }

    @Override
    public boolean deliver(Packet packet) {
        if (!channel.isOpen()
                || inboundBytes.get() + packet.size() > channel.config().getReceiveBufferSize()) {
            return false;
        }
        inboundBytes.addAndGet(packet.size());
        inbound.offer(packet);
        channel.scheduleRead();
        return true;
    }

    @Override
    public void portUnreachable(InetSocketAddress destination) {
        icmpError(destination, IcmpType.PORT_UNREACHABLE);
    }

    @Override
    public void icmpError(InetSocketAddress destination, IcmpType type) {
        InetSocketAddress r = channel.remote();
        if (channel.isOpen() && r != null && r.equals(destination) && type.isReported()) {
            unreachable.set(new Pending(destination, type));
            channel.scheduleRead();
        }
    }

    @Override
    public void release(int bytes) {
        sendBufferUsed.addAndGet(-bytes);
        channel.creditReturned();
    }

    /** The next received packet, or null; the caller owns it. */
    Packet poll() {
        Packet p = inbound.poll();
        if (p != null) {
            inboundBytes.addAndGet(-p.size());
        }
        return p;
    }

    /** Whether a packet or an error waits to be read. */
    boolean hasInbound() {
        return !inbound.isEmpty();
    }

    boolean hasPendingError() {
        return unreachable.get() != null;
    }

    /** Releases every received packet that was not read; for a closing channel. */
    void drain() {
        Packet p;
        while ((p = poll()) != null) {
            p.content().release();
        }
    }

    /** Bytes handed to the network and not yet credited back. */
    long sendBufferUsed() {
        return sendBufferUsed.get();
    }

    void sent(int bytes) {
        sendBufferUsed.addAndGet(bytes);
    }

    void clearError() {
        unreachable.set(null);
    }

    /**
     * The pending ICMP error, taken (reported once), or null: as Linux reports it to a connected UDP socket, a
     * {@link PortUnreachableException} ({@code ECONNREFUSED}) or, for an administratively prohibited destination, a
     * {@link NoRouteToHostException} ({@code EHOSTUNREACH}).
     */
    IOException takeError() {
        // Every write and read asks; a plain read first spares them a locked exchange when nothing is pending.
        Pending e = unreachable.get() == null ? null : unreachable.getAndSet(null);
        if (e == null) {
            return null;
        }
        InetSocketAddress to = e.to;
        String peer = to.getAddress().getHostAddress() + ":" + to.getPort();
        if (e.type == IcmpType.PORT_UNREACHABLE) {
            return new PortUnreachableException("Port unreachable: nothing is bound at " + peer
                    + " (or a firewall rejected it), the peer of " + channel);
        }
        return new NoRouteToHostException(
                "No route to host: " + peer + " is administratively prohibited, the peer of " + channel);
    }

    @Override
    public String toString() {
        return channel.toString();
    }
}
