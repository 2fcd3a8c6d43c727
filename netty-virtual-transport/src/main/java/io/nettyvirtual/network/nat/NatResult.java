package io.nettyvirtual.network.nat;

import java.net.InetSocketAddress;

/**
 * What a {@link NatTable} decided for one datagram: the translated endpoint, or the reason it refused.
 *
 * <p>Results are shared, not created per datagram: each mapping holds its two results and each refusal has one, so
 * translating allocates nothing once a mapping exists.
 */
public final class NatResult {
    private static final NatResult[] REFUSALS = new NatResult[NatRefusal.values().length];

    static {
        for (NatRefusal r : NatRefusal.values()) {
            REFUSALS[r.ordinal()] = new NatResult(null, null, r);
        }
    }

    private final InetSocketAddress endpoint;
    private final NatMapping mapping;
    private final NatRefusal refusal;

    NatResult(InetSocketAddress endpoint, NatMapping mapping, NatRefusal refusal) {
        this.endpoint = endpoint;
        this.mapping = mapping;
        this.refusal = refusal;
    }

    static NatResult refused(NatRefusal reason) {
        return REFUSALS[reason.ordinal()];
    }

    /** Whether the datagram is translated (and forwarded). */
    public boolean isTranslated() {
        return refusal == null;
    }

    /**
     * The endpoint to rewrite to: the new source (the external endpoint) outbound, the new destination (the
     * internal endpoint) inbound; null if refused.
     */
    public InetSocketAddress endpoint() {
        return endpoint;
    }

    /** The mapping used, or null if refused. */
    public NatMapping mapping() {
        return mapping;
    }

    /** Why the datagram was refused, or null if it is translated. */
    public NatRefusal refusal() {
        return refusal;
    }

    @Override
    public String toString() {
        return refusal == null ? "-> " + endpoint : "refused: " + refusal;
    }
}
