/**
 * Stateful firewalling as pure decisions: ordered rules on direction, protocol, prefixes and port ranges ({@link
 * io.nettyvirtual.network.firewall.FirewallRule}, {@link io.nettyvirtual.network.firewall.FirewallPolicy} with its
 * presets), UDP connection tracking with Linux's timeouts in virtual time ({@link
 * io.nettyvirtual.network.firewall.ConnectionTracker}), and the per-datagram verdict that combines them ({@link
 * io.nettyvirtual.network.firewall.Firewall}). Nothing here knows packets or nodes; a firewall node wires it in.
 */
package io.nettyvirtual.network.firewall;
