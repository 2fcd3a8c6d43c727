/**
 * The clock that schedules everything: {@link io.nettyvirtual.time.VirtualClock} (a Netty {@code Ticker}), the
 * {@link io.nettyvirtual.time.TimeMode}s a network runs in (deterministic, threaded, real time) and the engine that
 * drives a network's event loops and network events in virtual time.
 */
package io.nettyvirtual.time;
