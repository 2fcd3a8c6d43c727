package io.nettyvirtual.trace;

import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.stats.PacketTap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Runs a scenario twice on fresh networks of one seed and fails, naming the first event where the two runs diverge,
 * if their traces differ: a determinism check like madsim's {@code CHECK_DETERMINISM} that points at the cause (the
 * index of the event, its virtual time, the event of each run and the events just before it, which both runs share).
 *
 * <p>The scenario builds its topology and traffic on the network it is given and drives it ({@code runFor},
 * {@code runUntilIdle}...); the check attaches a trace to the whole network before the scenario starts and closes
 * the network after it returns. To name both events, the first run keeps its events and their hashes; the second
 * keeps only its event at the divergence, comparing each event's hash with the first run's as it goes.
 *
 * <pre>{@code
 * long hash = DeterminismCheck.check(42, net -> { ...build, send, net.runUntilIdle(); });
 * }</pre>
 */
public final class DeterminismCheck {
    /** How many shared events before the divergence the failure message lists. */
    static final int CONTEXT = 3;

    private DeterminismCheck() {}

    /**
     * Runs {@code scenario} on two fresh {@code DETERMINISTIC} networks of {@code seed} and compares their traces.
     *
     * @return the trace hash both runs ended with
     * @throws AssertionError naming the seed, the first diverging event's index and virtual time, and both runs'
     *         events there, if the traces differ
     * @throws NullPointerException if {@code scenario} is null
     * @throws IllegalStateException naming the run and the seed if the scenario throws (the cause attached)
     */
    public static long check(long seed, Consumer<? super VirtualNetwork> scenario) {
        Objects.requireNonNull(scenario, "scenario");
        First first = new First();
        run(seed, 1, scenario, first);
        Second second = new Second(first);
        run(seed, 2, scenario, second);
        if (second.divergedAt < 0 && second.count == first.count) {
            return first.running;
        }
        throw new AssertionError(describe(seed, first, second));
    }

    private static void run(long seed, int which, Consumer<? super VirtualNetwork> scenario, PacketTap tap) {
        try (VirtualNetwork net = VirtualNetwork.builder().seed(seed).build()) {
            net.addTap(tap);
            scenario.accept(net);
        } catch (RuntimeException | Error e) {
            throw new IllegalStateException("run " + which + " of seed " + seed + " failed: " + e, e);
        } catch (Exception e) {
            throw new IllegalStateException("run " + which + " of seed " + seed + " failed to close: " + e, e);
        }
    }

    private static String describe(long seed, First first, Second second) {
        long d = second.divergedAt >= 0 ? second.divergedAt : Math.min(first.count, second.count);
        TraceEvent one = d < first.count ? first.events.get((int) d) : null;
        TraceEvent two = second.event;
        long nanos = one != null ? one.nanos() : two != null ? two.nanos() : -1;
        StringBuilder b = new StringBuilder(256);
        b.append("two runs of seed ").append(seed).append(" diverge at event #").append(d);
        if (nanos >= 0) {
            b.append(" at ").append(TraceEvent.millis(nanos)).append(" ms");
        }
        b.append(" (run 1 saw ")
                .append(first.count)
                .append(" events, run 2 ")
                .append(second.count)
                .append(")")
                .append("\n  run 1: ")
                .append(one == null ? "no event (the run ended)" : one)
                .append("\n  run 2: ")
                .append(two == null ? "no event (the run ended)" : two);
        if (d > 0) {
            b.append("\n  after the same events:");
            for (long i = Math.max(0, d - CONTEXT); i < d; i++) {
                b.append("\n    #").append(i).append(' ').append(first.events.get((int) i));
            }
        }
        b.append("\n  replay one run with -D")
                .append(VirtualNetwork.SEED_PROPERTY)
                .append('=')
                .append(seed);
        return b.toString();
    }

    /** The first run: keeps every event and its hash. */
    private static final class First implements PacketTap {
        final List<TraceEvent> events = new ArrayList<>();
        long[] hashes = new long[1024];
        long running = TraceHash.EMPTY;
        int count;

        @Override
        public void packet(long nanos, Event event, String element, Packet packet, DropReason reason) {
            keep(
                    TraceHash.event(nanos, event, element, packet, reason),
                    TraceEvent.of(nanos, event, element, packet, reason));
        }

        @Override
        public void changed(long nanos, String element, String change) {
            keep(TraceHash.change(nanos, element, change), TraceEvent.change(nanos, element, change));
        }

        private void keep(long h, TraceEvent e) {
            if (count == Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("a determinism check keeps at most " + count + " events");
            }
            if (count == hashes.length) {
                hashes = Arrays.copyOf(hashes, (int) Math.min(Integer.MAX_VALUE - 8, 2L * count));
            }
            hashes[count++] = h;
            running = TraceHash.append(running, h);
            events.add(e);
        }
    }

    /** The second run: compares each event's hash with the first run's; keeps only its event at the divergence. */
    private static final class Second implements PacketTap {
        final First first;
        long divergedAt = -1;
        TraceEvent event;
        long count;

        Second(First first) {
            this.first = first;
        }

        @Override
        public void packet(long nanos, Event e, String element, Packet packet, DropReason reason) {
            long i = count++;
            if (divergedAt >= 0) {
                return;
            }
            if (i >= first.count || TraceHash.event(nanos, e, element, packet, reason) != first.hashes[(int) i]) {
                divergedAt = i;
                event = TraceEvent.of(nanos, e, element, packet, reason);
            }
        }

        @Override
        public void changed(long nanos, String element, String change) {
            long i = count++;
            if (divergedAt >= 0) {
                return;
            }
            if (i >= first.count || TraceHash.change(nanos, element, change) != first.hashes[(int) i]) {
                divergedAt = i;
                event = TraceEvent.change(nanos, element, change);
            }
        }
    }
}
