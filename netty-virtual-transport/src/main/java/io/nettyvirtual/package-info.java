/**
 * The entry point: {@link io.nettyvirtual.VirtualNetwork} (builds a network on one clock with one seeded random
 * source, makes hosts, switches and wires, drives time with the {@code run*} calls, reports counters, closes) and
 * {@link io.nettyvirtual.NetworkExtension} (how modules such as the QUIC one hook every network built). The façade
 * delegates the topology to {@link io.nettyvirtual.network.NetworkModel} and time to the engine; Netty's side is in
 * {@link io.nettyvirtual.channel}.
 */
package io.nettyvirtual;
