package io.nettyvirtual.channel;

import io.netty.util.NetUtil;
import io.nettyvirtual.network.Host;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * The source address of a datagram from a channel, as a kernel chooses it: the bound address, or for a channel
 * bound to a wildcard address the host's address for that destination (the destination itself if it is local, else
 * the host's first address of the destination's family, else its first address, else loopback). One per channel,
 * with a one-entry cache: a channel mostly sends to one peer. Used on the channel's event loop only.
 */
final class SourceAddress {
    /** The IPv4 wildcard address, 0.0.0.0. */
    static final InetAddress ANY4 = any(new byte[4]);
    /** The IPv6 wildcard address, ::. */
    static final InetAddress ANY6 = any(new byte[16]);

    private InetAddress lastDestination;
    private InetSocketAddress lastSource;

    /** The source of a datagram to {@code destination} from a channel of {@code host} bound to {@code local}. */
    InetSocketAddress choose(Host host, InetSocketAddress local, InetAddress destination) {
        if (!local.getAddress().isAnyLocalAddress()) {
            return local;
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
                        ? (destination instanceof Inet4Address ? NetUtil.LOCALHOST4 : NetUtil.LOCALHOST6)
                        : host.addresses().get(0);
            }
        }
        lastDestination = destination;
        lastSource = new InetSocketAddress(src, local.getPort());
        return lastSource;
    }

    private static InetAddress any(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
