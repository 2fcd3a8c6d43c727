/**
 * Addressing and routing decisions, free of any packet or node: IPv4/IPv6 prefixes ({@link
 * io.nettyvirtual.network.route.IpPrefix}), address assignment within a subnet ({@link
 * io.nettyvirtual.network.route.Subnet}), longest-prefix-match routing with metrics ({@link
 * io.nettyvirtual.network.route.RoutingTable}) and RFC 6724 source address selection ({@link
 * io.nettyvirtual.network.route.SourceAddressSelection}).
 *
 * <p>Routers and multi-interface hosts consult these per datagram; everything here is deterministic (no hash-ordered
 * iteration decides an outcome) and rejects bad input with an {@link java.lang.IllegalArgumentException} that names
 * the bad value.
 */
package io.nettyvirtual.network.route;
