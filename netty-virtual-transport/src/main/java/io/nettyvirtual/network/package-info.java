/**
 * The simulated network a datagram crosses: {@link io.nettyvirtual.network.VirtualNetwork} (the entry point: the
 * clock, the seeded random source, the topology and the {@code run*} drivers), hosts that own addresses, switches
 * that deliver by destination address, and wires made of one link per direction, each with its queue, rate
 * limiter, random loss and propagation delay ({@link io.nettyvirtual.network.link.LinkConfig}).
 */
package io.nettyvirtual.network;
