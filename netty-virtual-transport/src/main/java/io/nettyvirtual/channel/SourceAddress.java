package io.nettyvirtual.channel;

import io.nettyvirtual.network.Host;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * The source address of a datagram from a channel, as the kernel chooses it ({@link Host#source}): the bound
 * address, or for a channel bound to a wildcard address the address of the interface the route leaves by. One per
 * channel, with a one-entry cache (a channel mostly sends to one peer) that holds while the host's routes do not
 * change. Used on the channel's event loop only.
 */
final class SourceAddress {
    /** The IPv4 wildcard address, 0.0.0.0. */
    static final InetAddress ANY4 = any(new byte[4]);
    /** The IPv6 wildcard address, ::. */
    static final InetAddress ANY6 = any(new byte[16]);

    private InetAddress lastDestination;
    private InetSocketAddress lastSource;
    private int lastVersion;

    /**
     * The source of a datagram to {@code destination} from a channel of {@code host} bound to {@code local}.
     *
     * @throws IOException as Linux's {@code sendto}: no route, or the bound address is no longer the host's
     */
    InetSocketAddress choose(Host host, InetSocketAddress local, InetAddress destination) throws IOException {
        int version = host.routeVersion();
        if (destination.equals(lastDestination) && version == lastVersion) {
            return lastSource;
        }
        InetSocketAddress s = host.source(local, destination);
        lastDestination = destination;
        lastSource = s;
        lastVersion = version;
        return s;
    }

    private static InetAddress any(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
