/**
 * A link direction's path as a chain of small stages, and {@link io.nettyvirtual.network.link.LinkConfig}, the one
 * immutable vocabulary of its settings. The path, in order: down (a blackhole), a test's filter, the queue
 * discipline and rate limiter, random loss, pipelined propagation delay with optional slots, and delivery to the
 * far end through a {@link io.nettyvirtual.network.link.LinkSink}. The package knows packets, counters and the
 * clock, not the nodes of the network: the network model uses it, never the other way round.
 */
package io.nettyvirtual.network.link;
