/**
 * What happened to the datagrams: {@link io.nettyvirtual.stats.PacketCounters} per network element and for the
 * whole network (sent, delivered, dropped by {@link io.nettyvirtual.stats.DropReason}, in flight), with
 * {@code sent = delivered + dropped + in flight} at every instant.
 */
package io.nettyvirtual.stats;
