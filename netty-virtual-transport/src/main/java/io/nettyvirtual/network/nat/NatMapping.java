package io.nettyvirtual.network.nat;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.HashSet;

/**
 * One live translation of a {@link NatTable}: an internal endpoint seen outside as an external endpoint, for every
 * destination or (address- or port-dependent mapping) for one of them. Read-only to users; the table updates it.
 */
public final class NatMapping {
    final InetSocketAddress internal;
    /** The destination this mapping is specific to: null, an InetAddress or an InetSocketAddress. */
    final Object remoteKey;

    final int pool;
    final Session session;
    /** The remote addresses or endpoints that may send in; null for endpoint-independent filtering. */
    final HashSet<Object> permitted;

    final long created;
    InetSocketAddress external;
    NatResult outboundResult;
    NatResult inboundResult;
    long lastRefresh;
    long expiry;
    NatMapping prev;
    NatMapping next;

    NatMapping(
            InetSocketAddress internal,
            Object remoteKey,
            InetSocketAddress external,
            int pool,
            Session session,
            boolean filters,
            long now,
            long lifetime) {
        this.internal = internal;
        this.remoteKey = remoteKey;
        this.pool = pool;
        this.session = session;
        this.permitted = filters ? new HashSet<>() : null;
        this.created = now;
        this.lastRefresh = now;
        this.expiry = now + lifetime;
        setExternal(external);
    }

    void setExternal(InetSocketAddress external) {
        this.external = external;
        this.outboundResult = new NatResult(external, this, null);
        this.inboundResult = new NatResult(internal, this, null);
    }

    /** The internal endpoint. */
    public InetSocketAddress internal() {
        return internal;
    }

    /** The external endpoint the outside sees. */
    public InetSocketAddress external() {
        return external;
    }

    /** The virtual time the mapping was created, in nanoseconds. */
    public long created() {
        return created;
    }

    /** The virtual time of its last refresh, in nanoseconds. */
    public long lastRefresh() {
        return lastRefresh;
    }

    /** The virtual time it expires unless refreshed first: last refresh + lifetime, in nanoseconds. */
    public long expiry() {
        return expiry;
    }

    @Override
    public String toString() {
        return internal + " -> " + external + (remoteKey == null ? "" : " for " + remoteKey);
    }

    /** The mappings of one internal endpoint: one (endpoint-independent) or one per destination. */
    static final class Session {
        NatMapping only;
        HashMap<Object, NatMapping> byRemote;
        int size;
    }
}
