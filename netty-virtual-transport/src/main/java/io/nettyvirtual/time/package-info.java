/**
 * Time as users see it: {@link io.nettyvirtual.time.VirtualClock} (a Netty {@code Ticker}: the one clock of a
 * network, which every event loop, timer and link of that network reads) and the
 * {@link io.nettyvirtual.time.TimeMode}s a network runs in (deterministic, threaded, real time). The engine that
 * moves the clock is {@code io.nettyvirtual.engine}.
 */
package io.nettyvirtual.time;
