package io.nettyvirtual.network.nat;

import java.util.Arrays;

/**
 * A snapshot of a {@link NatTable}'s counts. Mappings are conserved: {@code created == expired + removed + active}
 * at every instant, where {@code removed} counts those dropped by {@link NatTable#reboot()}.
 */
public final class NatCounters {
    private final long created;
    private final long expired;
    private final long removed;
    private final long active;
    private final long rebinds;
    private final long[] refused;

    NatCounters(long created, long expired, long removed, long active, long rebinds, long[] refused) {
        this.created = created;
        this.expired = expired;
        this.removed = removed;
        this.active = active;
        this.rebinds = rebinds;
        this.refused = refused.clone();
    }

    /** Mappings created. */
    public long created() {
        return created;
    }

    /** Mappings that reached the end of their lifetime. */
    public long expired() {
        return expired;
    }

    /** Mappings dropped by a reboot. */
    public long removed() {
        return removed;
    }

    /** Mappings alive now. */
    public long active() {
        return active;
    }

    /** Mappings moved to a new external port by {@link NatTable#rebind}. */
    public long rebinds() {
        return rebinds;
    }

    /** Datagrams refused for {@code reason}. */
    public long refused(NatRefusal reason) {
        return refused[reason.ordinal()];
    }

    /** Datagrams refused for any reason. */
    public long refused() {
        return Arrays.stream(refused).sum();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("NatCounters(created ")
                .append(created)
                .append(", expired ")
                .append(expired)
                .append(", removed ")
                .append(removed)
                .append(", active ")
                .append(active)
                .append(", rebinds ")
                .append(rebinds);
        for (NatRefusal r : NatRefusal.values()) {
            if (refused[r.ordinal()] != 0) {
                sb.append(", ").append(r).append(' ').append(refused[r.ordinal()]);
            }
        }
        return sb.append(')').toString();
    }
}
