/**
 * Where a datagram enters and leaves Netty: {@link io.nettyvirtual.channel.VirtualDatagramChannel}, a
 * {@code DatagramChannel} that behaves as {@code NioDatagramChannel} does, and
 * {@link io.nettyvirtual.channel.VirtualEventLoopGroup}, whose loops run on a network's clock. Replacing a
 * {@code Bootstrap}'s group and channel class with these moves an unchanged UDP pipeline onto a
 * {@link io.nettyvirtual.VirtualNetwork}.
 */
package io.nettyvirtual.channel;
