package io.nettyvirtual.time;

import io.netty.util.concurrent.Ticker;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The one clock of a simulation, as a Netty {@link Ticker}: every virtual event loop schedules its tasks on it, so
 * {@code schedule(...)}, {@code IdleStateHandler}, {@code ReadTimeoutHandler}, {@code WriteTimeoutHandler} and
 * {@code SslHandler} timeouts all run in simulation time, and so do the network's delays and serialization times.
 *
 * <p>In the virtual modes the clock starts at 0 and only moves when the simulation jumps to its next due event;
 * in {@link TimeMode#REAL_TIME} it follows {@link System#nanoTime()} from the moment the network was built. Only the
 * simulation moves it: this interface is what the rest of the world reads.
 */
public interface VirtualClock extends Ticker {
    /** Always 0: simulation time starts when the network is built. */
    @Override
    long initialNanoTime();

    /** Nanoseconds of simulation time since the network was built. */
    @Override
    long nanoTime();

    /** Milliseconds of simulation time since the network was built, as a double for printing. */
    double millis();

    /** Whether this clock is virtual (jumps between events) rather than the wall clock. */
    boolean isVirtual();

    /**
     * Waits until the simulation reaches {@code now + delay}. From a thread outside the simulation this lets the
     * simulation run meanwhile; from inside the simulation it fails, since it would stop the clock.
     */
    @Override
    void sleep(long delay, TimeUnit unit) throws InterruptedException;

    /**
     * An 8-byte direct buffer in native byte order that always holds {@link #nanoTime()} of a virtual clock, for
     * native code that must read the simulation's time (the QUIC module answers quiche's clock from it).
     */
    ByteBuffer timeCell();
}
