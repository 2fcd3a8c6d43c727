package io.nettyvirtual.network.link;

import java.time.Duration;

/**
 * The built-in queue disciplines, by their Linux {@code tc} names, for {@link LinkConfig#queue}:
 * <pre>{@code
 * LinkConfig bottleneck = LinkConfig.delayed(Duration.ofMillis(50)).bitsPerSecond(10_000_000)
 *         .queue(QueueDisciplines.fqCodel());
 * }</pre>
 * Each factory checks every argument at once and names the bad one. The defaults are the anchors' (RFC and Linux)
 * defaults. A packet marked CE instead of dropped must be ECN-capable ({@link io.nettyvirtual.packet.Packet#ecn()});
 * Not-ECT packets are dropped.
 */
public final class QueueDisciplines {
    private QueueDisciplines() {}

    /** Tail-drop FIFO of at most {@code limit} waiting packets ({@code pfifo limit N}). */
    public static QueueDiscipline.Factory pfifo(int limit) {
        return new TailDropFifo.Spec(atLeast("limit", limit, 0), Long.MAX_VALUE);
    }

    /** Tail-drop FIFO of at most {@code limitBytes} waiting bytes ({@code bfifo limit N}). */
    public static QueueDiscipline.Factory bfifo(long limitBytes) {
        if (limitBytes < 0) {
            throw new IllegalArgumentException("limitBytes: " + limitBytes + " (expected >= 0)");
        }
        return new TailDropFifo.Spec(Integer.MAX_VALUE, limitBytes);
    }

    /** FIFO of at most {@code limit} packets that drops the oldest to make room ({@code pfifo_head_drop}). */
    public static QueueDiscipline.Factory pfifoHeadDrop(int limit) {
        return new HeadDropFifo.Spec(atLeast("limit", limit, 0), Long.MAX_VALUE);
    }

    /** CoDel with RFC 8289's defaults: target 5 ms, interval 100 ms, limit 1,000 packets, no ECN (Linux's). */
    public static QueueDiscipline.Factory codel() {
        return codel(Duration.ofMillis(5), Duration.ofMillis(100), 1000, false);
    }

    /**
     * CoDel ({@code codel target T interval I limit N [ecn]}); with {@code ecn}, ECN-capable packets are marked CE
     * instead of dropped.
     */
    public static QueueDiscipline.Factory codel(Duration target, Duration interval, int limit, boolean ecn) {
        return new CoDelQueue.Spec(
                positive("target", target), positive("interval", interval), atLeast("limit", limit, 1), ecn);
    }

    /**
     * FQ-CoDel with RFC 8290's and Linux's defaults: target 5 ms, interval 100 ms, limit 10,240 packets, 1,024
     * flows, quantum 1,514 bytes, memory limit 32 MiB, no CE threshold, ECN on.
     */
    public static QueueDiscipline.Factory fqCodel() {
        return fqCodel(Duration.ofMillis(5), Duration.ofMillis(100), 10240, 1024, 1514, true);
    }

    /** FQ-CoDel ({@code fq_codel target T interval I limit N flows F quantum Q [no]ecn}), memory limit 32 MiB. */
    public static QueueDiscipline.Factory fqCodel(
            Duration target, Duration interval, int limit, int flows, int quantum, boolean ecn) {
        return fqCodel(target, interval, limit, flows, quantum, ecn, 32L << 20, null);
    }

    /**
     * FQ-CoDel with every setting ({@code fq_codel ... memory_limit M ce_threshold C [no]ecn}): over
     * {@code memoryLimit} waiting bytes the fattest flow loses half its backlog (as over {@code limit} packets);
     * with a {@code ceThreshold} (null: none), ECN-capable packets that waited longer are marked CE.
     */
    public static QueueDiscipline.Factory fqCodel(
            Duration target,
            Duration interval,
            int limit,
            int flows,
            int quantum,
            boolean ecn,
            long memoryLimit,
            Duration ceThreshold) {
        long t = positive("target", target);
        long i = positive("interval", interval);
        atLeast("limit", limit, 1);
        if (flows < 1 || flows > 65536) {
            throw new IllegalArgumentException("flows: " + flows + " (expected 1 to 65536)");
        }
        atLeast("quantum", quantum, 1);
        if (memoryLimit < 1) {
            throw new IllegalArgumentException("memoryLimit: " + memoryLimit + " bytes (expected >= 1)");
        }
        long ce = -1;
        if (ceThreshold != null) {
            if (ceThreshold.isNegative() || ceThreshold.compareTo(Duration.ofDays(365)) > 0) {
                throw new IllegalArgumentException(
                        "ceThreshold: " + ceThreshold + " (expected >= 0 and at most 365 days, or null for none)");
            }
            ce = ceThreshold.toNanos();
        }
        return new FqCoDelQueue.Spec(t, i, limit, flows, quantum, ecn, memoryLimit, ce);
    }

    /**
     * RED with ns-3's defaults (its {@code RedQueueDisc}): limit 25 packets, thresholds 5 and 15 packets, max_p
     * 1/50, weight 0.002, gentle, no ECN, mean packet size 500 bytes.
     */
    public static QueueDiscipline.Factory red() {
        return red(25, 5, 15, 0.02, 0.002, true, false, 500);
    }

    /**
     * RED in packet mode ({@code red limit min max probability}, thresholds in packets as ns-3's default mode):
     * queue limit, lower and upper thresholds of the average queue, the drop probability at the upper threshold,
     * the EWMA weight of the average, gentle mode (probability from max_p to 1 between max and twice max), ECN
     * marking, and the mean packet size in bytes (with the link's rate, how fast the average decays while idle).
     */
    public static QueueDiscipline.Factory red(
            int limit,
            double minTh,
            double maxTh,
            double maxP,
            double weight,
            boolean gentle,
            boolean ecn,
            int meanPacketSize) {
        atLeast("limit", limit, 1);
        if (!(minTh >= 0) || Double.isInfinite(minTh)) {
            throw new IllegalArgumentException("minTh: " + minTh + " packets (expected a finite number >= 0)");
        }
        if (!(maxTh > minTh) || Double.isInfinite(maxTh)) {
            throw new IllegalArgumentException(
                    "maxTh: " + maxTh + " packets (expected finite and > minTh " + minTh + ")");
        }
        if (!(maxP > 0 && maxP <= 1)) {
            throw new IllegalArgumentException("maxP: " + maxP + " (expected a probability in (0, 1])");
        }
        if (!(weight > 0 && weight <= 1)) {
            throw new IllegalArgumentException("weight: " + weight + " (expected in (0, 1])");
        }
        atLeast("meanPacketSize", meanPacketSize, 1);
        return new RedQueue.Spec(limit, minTh, maxTh, maxP, weight, gentle, ecn, meanPacketSize);
    }

    /**
     * DualPI2 (RFC 9332; Linux {@code dualpi2}) with Linux's defaults (limit 10,000 packets, target 15 ms, tupdate
     * 16 ms, alpha 0.16, beta 3.2, coupling factor 2, classic protection 10%, drop on overload) and RFC 9332's ramp
     * as the L4S queue's native AQM (800 us, range 400 us); see {@link DualPi2} for each setting and the step.
     */
    public static DualPi2 dualPi2() {
        return DualPi2.DEFAULTS;
    }

    private static int atLeast(String setting, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(setting + ": " + value + " (expected >= " + min + ")");
        }
        return value;
    }

    private static long positive(String setting, Duration d) {
        if (d == null) {
            throw new NullPointerException(setting);
        }
        if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofDays(365)) > 0) {
            throw new IllegalArgumentException(setting + ": " + d + " (expected > 0 and at most 365 days)");
        }
        return d.toNanos();
    }
}
