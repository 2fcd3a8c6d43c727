/**
 * A structured trace of the network's packet events, with a running hash, and a determinism check that names the
 * first event where two runs of one seed diverge. Everything here is a {@link io.nettyvirtual.stats.PacketTap}:
 * nothing is attached, nothing is paid. See {@code docs/trace.md}.
 */
package io.nettyvirtual.trace;
