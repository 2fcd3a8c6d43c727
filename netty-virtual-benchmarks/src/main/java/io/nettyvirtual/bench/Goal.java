package io.nettyvirtual.bench;

import java.util.Locale;

/**
 * One goal of the suite, as data: what is measured, the bound, its unit, and whether the figure must reach the
 * bound or stay under it. The goals themselves are the constants of {@link Goals}; {@link Report#judge} judges a
 * figure against one and lists the verdict under the report's "Goals".
 */
record Goal(String what, double bound, String unit, boolean atMost) {

    static Goal atLeast(String what, double bound, String unit) {
        return new Goal(what, bound, unit, false);
    }

    static Goal under(String what, double bound, String unit) {
        return new Goal(what, bound, unit, true);
    }

    boolean met(double value) {
        return atMost ? value < bound : value >= bound;
    }

    /** The verdict line, e.g. {@code flood 64 B shared, virtual / NIO: 12.1x (goal ≥10x) **met**}. */
    String verdict(double value, String detail) {
        return String.format(
                Locale.ROOT,
                "%s: %.2f%s (goal %s%s%s)%s %s",
                what,
                value,
                unit,
                atMost ? "<" : "≥",
                fmt(bound),
                unit,
                detail.isEmpty() ? "" : ", " + detail,
                met(value) ? "**met**" : "**MISSED**");
    }

    private static String fmt(double x) {
        return x == Math.rint(x) ? Long.toString((long) x) : Double.toString(x);
    }
}
