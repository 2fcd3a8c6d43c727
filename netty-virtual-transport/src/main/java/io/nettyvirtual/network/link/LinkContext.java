package io.nettyvirtual.network.link;

import io.nettyvirtual.engine.Simulation;
import io.nettyvirtual.engine.TimedEvent;
import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.Counter;
import io.nettyvirtual.stats.DropReason;
import java.util.SplittableRandom;

/**
 * What a link's stages may use of the world around them: the clock, the schedule of the simulation's events, its
 * one seeded random source, and dropping with the accounting at the link and network-wide.
 */
final class LinkContext {
    private final Simulation simulation;
    final Counter link;
    private final Counter total;

    LinkContext(Simulation simulation, Counter link, Counter total) {
        this.simulation = simulation;
        this.link = link;
        this.total = total;
    }

    /** Simulation time now, in nanoseconds. */
    long now() {
        return simulation.nanoTime();
    }

    /** {@code now() + delay}, saturated at {@link Long#MAX_VALUE} (never) instead of wrapping into the past. */
    long after(long delay) {
        return saturatedAdd(simulation.nanoTime(), delay);
    }

    static long saturatedAdd(long time, long delay) {
        long t = time + delay;
        return t < time ? Long.MAX_VALUE : t;
    }

    /** (Re)schedules {@code event}, owned by the calling stage, at {@code deadline}. */
    void schedule(TimedEvent event, long deadline) {
        simulation.schedule(event, deadline);
    }

    void cancel(TimedEvent event) {
        simulation.cancel(event);
    }

    /** The simulation's seeded random source: the only randomness a stage may use. */
    SplittableRandom random() {
        return simulation.random();
    }

    /** Counts {@code copy}, made inside the link (a duplicate), as a packet sent into it here and network-wide. */
    void admit(Packet copy) {
        link.in(copy);
        total.in(copy);
    }

    /** Drops {@code p} for {@code reason}: counted at this link and network-wide, then released. */
    void drop(Packet p, DropReason reason) {
        link.drop(p, reason);
        total.drop(p, reason);
        p.release();
    }
}
