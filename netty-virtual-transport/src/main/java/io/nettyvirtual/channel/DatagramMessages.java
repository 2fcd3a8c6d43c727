package io.nettyvirtual.channel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.IllegalReferenceCountException;
import io.netty.util.ReferenceCounted;
import io.netty.util.internal.StringUtil;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.channels.NotYetConnectedException;

/**
 * What a {@link VirtualDatagramChannel} accepts to write and to bind or connect to, checked early with the errors
 * NIO gives (naming the bad value), and whether a written buffer can be handed on without a copy.
 */
final class DatagramMessages {
    private static final String EXPECTED_TYPES = " (expected: " + StringUtil.simpleClassName(DatagramPacket.class)
            + ", " + StringUtil.simpleClassName(AddressedEnvelope.class) + '<'
            + StringUtil.simpleClassName(ByteBuf.class) + ", "
            + StringUtil.simpleClassName(InetSocketAddress.class) + ">, "
            + StringUtil.simpleClassName(ByteBuf.class) + ')';

    private DatagramMessages() {}

    /**
     * Returns {@code msg} if a channel connected to {@code remote} (null: unconnected) can send it, else throws what
     * NIO would: a message of another type, a bare buffer on an unconnected channel, a recipient that is not a
     * resolved socket address or has port 0, a released buffer, a datagram over the UDP maximum.
     */
    static Object check(Object msg, InetSocketAddress remote) throws Exception {
        if (msg instanceof DatagramPacket) {
            DatagramPacket p = (DatagramPacket) msg;
            checkSize(p.content(), checkRecipient(p.recipient()));
            return msg;
        }
        if (msg instanceof ByteBuf) {
            if (remote == null) {
                throw new NotYetConnectedException();
            }
            checkSize((ByteBuf) msg, remote);
            return msg;
        }
        if (msg instanceof AddressedEnvelope) {
            AddressedEnvelope<?, ?> e = (AddressedEnvelope<?, ?>) msg;
            if (e.content() instanceof ByteBuf) {
                checkSize((ByteBuf) e.content(), checkRecipient(e.recipient()));
                return msg;
            }
        }
        throw new UnsupportedOperationException(
                "unsupported message type: " + StringUtil.simpleClassName(msg) + EXPECTED_TYPES);
    }

    /** {@code address} as a resolved socket address, or an error that names it and {@code what} it is. */
    static InetSocketAddress checkAddress(SocketAddress address, String what) {
        if (!(address instanceof InetSocketAddress)) {
            throw new IllegalArgumentException(what + ": " + address + " (expected an InetSocketAddress)");
        }
        InetSocketAddress a = (InetSocketAddress) address;
        if (a.isUnresolved()) {
            throw new UnresolvedAddressError(a);
        }
        return a;
    }

    private static InetSocketAddress checkRecipient(SocketAddress recipient) throws SocketException {
        InetSocketAddress to = checkAddress(recipient, "recipient");
        if (to.getPort() == 0) {
            throw new SocketException("Can't send to port 0: " + to); // as NIO's DatagramChannel.send
        }
        return to;
    }

    private static void checkSize(ByteBuf content, InetSocketAddress to) throws SocketException {
        if (content.refCnt() == 0) {
            throw new IllegalReferenceCountException("cannot send a released buffer (refCnt: 0) to " + to);
        }
        int size = content.readableBytes();
        boolean v6 = to.getAddress() instanceof Inet6Address;
        int max = v6 ? VirtualDatagramChannel.MAX_DATAGRAM_SIZE_IPV6 : VirtualDatagramChannel.MAX_DATAGRAM_SIZE;
        if (size > max) {
            throw new SocketException("Message too long: a datagram of " + size + " bytes exceeds the UDP maximum of "
                    + max + " bytes over " + (v6 ? "IPv6" : "IPv4"));
        }
    }

    /** Whether {@code msg} is a buffer (or holds one) that has already been released. */
    static boolean isReleased(Object msg) {
        Object content = msg instanceof AddressedEnvelope ? ((AddressedEnvelope<?, ?>) msg).content() : msg;
        return content instanceof ReferenceCounted && ((ReferenceCounted) content).refCnt() == 0;
    }

    /** As NIO: writing a released buffer fails the write (there is nothing left to release). */
    static ChannelFuture failReleased(Object msg, ChannelPromise promise) {
        promise.tryFailure(new IllegalReferenceCountException(
                "cannot write " + StringUtil.simpleClassName(msg) + ": its buffer was already released (refCnt: 0)"));
        return promise;
    }

    /**
     * Whether the outbound buffer holds the only reference to {@code data} and to every buffer it derives from, so
     * the receiver can have it without anyone else seeing or changing its bytes.
     */
    static boolean exclusivelyOwned(ByteBuf data) {
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
}
