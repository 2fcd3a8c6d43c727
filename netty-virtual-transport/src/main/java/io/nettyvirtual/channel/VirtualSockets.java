package io.nettyvirtual.channel;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.network.Host;
import io.nettyvirtual.network.Switch;
import io.nettyvirtual.network.Wire;
import java.net.InetSocketAddress;

/**
 * Sockets in one call, as in virtual-sockets (the Rust crate this project started from): a host for the address
 * (made if no host owns it yet), plugged in, and a bound {@link VirtualDatagramChannel} with a handler. The network
 * model knows no channels, so this lives on the channel side.
 *
 * <pre>{@code
 * Switch sw = net.newSwitch("lan");
 * Channel a = net.runUntil(VirtualSockets.connectSocket(sw, group, new InetSocketAddress("10.0.0.1", 7), h)).channel();
 * }</pre>
 */
public final class VirtualSockets {
    private VirtualSockets() {}

    /**
     * Binds a new channel of {@code group}, with {@code handler} in its pipeline, to {@code address}; a host owning
     * the address is made and plugged into {@code sw} if no host owns it yet (a host that exists is left as it is:
     * plugged wherever it is, or not at all). Returns the bind future; its channel is the socket.
     *
     * @throws IllegalArgumentException if {@code address} is unresolved (the network resolves no names)
     */
    public static ChannelFuture connectSocket(
            Switch sw, EventLoopGroup group, InetSocketAddress address, ChannelHandler handler) {
        if (sw == null) {
            throw new NullPointerException("sw");
        }
        checkAddress(address);
        VirtualNetwork network = networkOf(group);
        if (sw.model() != network.model()) {
            throw new IllegalArgumentException(sw + " and " + group + " belong to different networks");
        }
        Host host = network.hostOwning(address.getAddress());
        if (host == null) {
            String literal = address.getAddress().getHostAddress();
            sw.plug(network.newHost(literal, literal));
        }
        return bindChannel(group, address, handler);
    }

    /**
     * Binds a new channel of {@code group}, with {@code handler} in its pipeline, to {@code address}, and plugs the
     * host owning the address (made if no host owns it yet) into {@code end}. Returns the bind future; its channel
     * is the socket.
     *
     * @throws IllegalArgumentException if {@code address} is unresolved (the network resolves no names)
     * @throws IllegalStateException if the end or the host is already plugged
     */
    public static ChannelFuture connectSocket(
            Wire.End end, EventLoopGroup group, InetSocketAddress address, ChannelHandler handler) {
        if (end == null) {
            throw new NullPointerException("end");
        }
        checkAddress(address);
        VirtualNetwork network = networkOf(group); // end.plug checks that the wire is on the same network
        Host host = network.hostOwning(address.getAddress());
        if (host == null) {
            String literal = address.getAddress().getHostAddress();
            host = network.newHost(literal, literal);
        }
        end.plug(host);
        return bindChannel(group, address, handler);
    }

    private static VirtualNetwork networkOf(EventLoopGroup group) {
        if (group == null) {
            throw new NullPointerException("group");
        }
        if (!(group instanceof VirtualEventLoopGroup)) {
            throw new IllegalArgumentException("group: " + group + " (expected a VirtualEventLoopGroup)");
        }
        return ((VirtualEventLoopGroup) group).network();
    }

    private static void checkAddress(InetSocketAddress address) {
        if (address == null) {
            throw new NullPointerException("address");
        }
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address: " + address.getHostString() + ":"
                    + address.getPort() + " (the virtual network resolves no names; use an address literal)");
        }
    }

    /** Creates, registers and binds a channel with {@code handler}. */
    private static ChannelFuture bindChannel(EventLoopGroup group, InetSocketAddress address, ChannelHandler handler) {
        VirtualDatagramChannel ch = new VirtualDatagramChannel();
        if (handler != null) {
            ch.pipeline().addLast(handler);
        }
        ChannelPromise bound = ch.newPromise();
        group.register(ch).addListener(f -> {
            if (f.isSuccess()) {
                ch.bind(address, bound);
            } else {
                bound.setFailure(f.cause());
            }
        });
        return bound;
    }
}
