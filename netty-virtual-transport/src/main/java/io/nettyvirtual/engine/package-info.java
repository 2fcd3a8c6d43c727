/**
 * The engine under the network (not part of the API; on the module path it is exported only to the QUIC module):
 * {@link io.nettyvirtual.engine.Simulation} (the clock, the event queue, the lock that guards the network's state,
 * the one seeded random source, the registry of event loops) and one driver per {@link io.nettyvirtual.time.TimeMode}
 * ({@code DeterministicDriver}; {@code ClockThreadDriver} with {@code ThreadWatcher} for the threaded and real-time
 * modes), plus the timer structures the virtual event loops use ({@link io.nettyvirtual.engine.TimerWheel},
 * {@link io.nettyvirtual.engine.TimedEvent}).
 */
package io.nettyvirtual.engine;
