/**
 * Network address translation as pure decisions: the behaviour of a NAT in RFC 4787 / RFC 6888 terms ({@link
 * io.nettyvirtual.network.nat.NatConfig}, with presets named as people name NATs) and the table of its mappings
 * ({@link io.nettyvirtual.network.nat.NatTable}), which says for each datagram what to rewrite it to or why to drop
 * it, in virtual time.
 *
 * <p>Nothing here knows packets or nodes: endpoints are {@link java.net.InetSocketAddress}es, time is virtual
 * nanoseconds, randomness comes from the simulation's seeded source. A NAT node wires a table into the network;
 * the traversal theory the tables reproduce is written up in {@code docs/nat-traversal.md}.
 */
package io.nettyvirtual.network.nat;
