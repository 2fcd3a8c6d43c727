/**
 * What travels through the simulated network: a {@link io.nettyvirtual.packet.Packet} (a datagram and its
 * addresses) and the sender's {@link io.nettyvirtual.packet.SendCredit}. It sits below both the network model and
 * the link stages, so that each can carry a packet without depending on the other.
 */
package io.nettyvirtual.packet;
