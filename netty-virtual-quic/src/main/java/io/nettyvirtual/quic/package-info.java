/**
 * Running Netty's QUIC codec on a simulation's virtual clock. With this module on the class path every
 * {@link io.nettyvirtual.VirtualNetwork} built in a virtual mode runs QUIC in its virtual time
 * ({@link io.nettyvirtual.quic.QuicVirtualTime}); {@link io.nettyvirtual.quic.QuicheClock} is the mechanism: it
 * answers the native quiche library's monotonic-clock reads, and its random numbers, per bound thread.
 */
package io.nettyvirtual.quic;
