package io.nettyvirtual.network.nat;

import java.util.BitSet;
import java.util.HashMap;

/** The external ports of one external address: which are in use, and which wait out a reuse delay. */
final class PortPool {
    private final int min;
    private final int max;
    private final BitSet used = new BitSet(65536);
    /** Port -> virtual time it may be reused; only when a reuse delay is configured. */
    private final HashMap<Integer, Long> quarantine = new HashMap<>();

    private final long reuseDelay;
    int cursor;
    int inUse;

    PortPool(int min, int max, long reuseDelay) {
        this.min = min;
        this.max = max;
        this.reuseDelay = reuseDelay;
        this.cursor = min;
    }

    /**
     * Takes the first free port at or after {@code start} (wrapping within the range) whose parity is
     * {@code parity} (0 or 1; -1 for any); returns -1 if there is none.
     */
    int take(int start, int parity, long now) {
        if (start < min || start > max) {
            start = min;
        }
        int span = max - min + 1;
        int p = start;
        for (int i = 0; i < span; i++) {
            if ((parity < 0 || (p & 1) == parity) && !used.get(p) && reusable(p, now)) {
                used.set(p);
                inUse++;
                return p;
            }
            p = p == max ? min : p + 1;
        }
        return -1;
    }

    private boolean reusable(int port, long now) {
        if (reuseDelay == 0) {
            return true;
        }
        Long until = quarantine.get(port);
        if (until == null) {
            return true;
        }
        if (until <= now) {
            quarantine.remove(port);
            return true;
        }
        return false;
    }

    void release(int port, long when) {
        used.clear(port);
        inUse--;
        if (reuseDelay != 0) {
            quarantine.put(port, when + reuseDelay);
        }
    }

    void clear() {
        used.clear();
        quarantine.clear();
        inUse = 0;
        cursor = min;
    }

    int span() {
        return max - min + 1;
    }

    int min() {
        return min;
    }
}
