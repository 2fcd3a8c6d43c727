package io.nettyvirtual.channel;

import io.netty.channel.AbstractChannel;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;

/**
 * A {@link DatagramChannel} without multicast: the 18 group-membership methods of the interface each return a
 * future failed with {@link UnsupportedOperationException}, which says to send to each member's unicast address.
 * Its addresses are {@link InetSocketAddress}es, as the interface says.
 */
abstract class UnicastDatagramChannel extends AbstractChannel implements DatagramChannel {

    UnicastDatagramChannel(Channel parent) {
        super(parent);
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) super.localAddress();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) super.remoteAddress();
    }

    private ChannelFuture failMulticast(ChannelPromise promise) {
        promise.tryFailure(new UnsupportedOperationException("multicast is not supported by "
                + getClass().getSimpleName() + " (yet): send to each member's unicast address instead"));
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
    public ChannelFuture joinGroup(
            InetSocketAddress multicastAddress, NetworkInterface networkInterface, ChannelPromise promise) {
        return failMulticast(promise);
    }

    @Override
    public ChannelFuture joinGroup(
            InetAddress multicastAddress, NetworkInterface networkInterface, InetAddress source) {
        return failMulticast(newPromise());
    }

    @Override
    public ChannelFuture joinGroup(
            InetAddress multicastAddress,
            NetworkInterface networkInterface,
            InetAddress source,
            ChannelPromise promise) {
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
    public ChannelFuture leaveGroup(
            InetSocketAddress multicastAddress, NetworkInterface networkInterface, ChannelPromise promise) {
        return failMulticast(promise);
    }

    @Override
    public ChannelFuture leaveGroup(
            InetAddress multicastAddress, NetworkInterface networkInterface, InetAddress source) {
        return failMulticast(newPromise());
    }

    @Override
    public ChannelFuture leaveGroup(
            InetAddress multicastAddress,
            NetworkInterface networkInterface,
            InetAddress source,
            ChannelPromise promise) {
        return failMulticast(promise);
    }

    @Override
    public ChannelFuture block(
            InetAddress multicastAddress, NetworkInterface networkInterface, InetAddress sourceToBlock) {
        return failMulticast(newPromise());
    }

    @Override
    public ChannelFuture block(
            InetAddress multicastAddress,
            NetworkInterface networkInterface,
            InetAddress sourceToBlock,
            ChannelPromise promise) {
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
