/**
 * Running Netty's QUIC codec on a simulation's virtual clock: {@link io.nettyvirtual.quic.QuicheClock}
 * answers the native quiche library's monotonic-clock reads from a per-thread virtual clock.
 */
package io.nettyvirtual.quic;
