package io.nettyvirtual.network.nat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The state of one NAT: its mappings, and the translation decision for each datagram, as a pure function of the
 * endpoints, the virtual time and the {@link NatConfig}. A NAT node asks {@link #outbound} for each datagram leaving
 * the private side and {@link #inbound} for each arriving on the external side, then rewrites the datagram or drops
 * it for the {@link NatRefusal} given.
 *
 * <p><b>Expiry.</b> A mapping expires exactly at its last refresh + the lifetime: at that virtual nanosecond it is
 * gone. Every call first expires what is due at its {@code now}, so the table is exact at every call; a node that
 * wants the counters exact between datagrams schedules one timer at {@link #nextExpiry()} and calls
 * {@link #expire(long)}. Since all mappings share one lifetime, they are kept in a list in refresh order and the head
 * is always the next to expire: a refresh moves a mapping to the tail, in constant time.
 *
 * <p><b>Hairpinning.</b> A datagram from the private side to one of the NAT's own external endpoints is translated
 * in two steps, as RFC 4787 REQ-9a asks (the target sees the sender's external endpoint): {@link #outbound} gives
 * the source, then {@link #inbound} with that source as remote gives the internal destination. {@link #isHairpin}
 * says when to take the second step; with hairpinning off, {@code outbound} refuses such a datagram.
 *
 * <p><b>Determinism.</b> Port choice uses the given seeded random source only for {@link PortAssignment#RANDOM};
 * nothing iterates over a hash-ordered collection to decide an outcome. Virtual time must not go backwards between
 * calls. Not thread-safe: used under the simulation's lock, like every simulated element.
 */
public final class NatTable {
    private final NatConfig config;
    private final SplittableRandom random;
    private final long lifetime;
    private final boolean ipv6;
    private final PortPool[] pools;
    private final HashMap<InetAddress, Integer> externalIndex = new HashMap<>();
    private final HashMap<InetSocketAddress, NatMapping.Session> sessions = new HashMap<>();
    private final HashMap<InetSocketAddress, NatMapping> byExternal = new HashMap<>();
    private final HashMap<InetAddress, Subscriber> subscribers = new HashMap<>();
    private NatMapping head;
    private NatMapping tail;
    private int nextPool;
    private long lastNow = Long.MIN_VALUE;
    private long created;
    private long expired;
    private long removed;
    private long active;
    private long rebinds;
    private final long[] refused = new long[NatRefusal.values().length];

    private static final class Subscriber {
        int pool = -1;
        int mappings;
    }

    /**
     * A table with no mappings.
     *
     * @param random the simulation's seeded random source, used for random port assignment only
     */
    public NatTable(NatConfig config, SplittableRandom random) {
        if (config == null || random == null) {
            throw new IllegalArgumentException(
                    "NatTable needs a config and a random source, got " + config + " and " + random);
        }
        if (config.externalAddresses().isEmpty()) {
            throw new IllegalStateException("a NAT needs at least one external address: call externalAddresses");
        }
        this.config = config;
        this.random = random;
        this.lifetime = config.mappingLifetimeNanos();
        List<InetAddress> ext = config.externalAddresses();
        this.ipv6 = ext.get(0) instanceof Inet6Address;
        this.pools = new PortPool[ext.size()];
        for (int i = 0; i < pools.length; i++) {
            pools[i] = new PortPool(config.minPort(), config.maxPort(), config.portReuseDelayNanos());
            externalIndex.put(ext.get(i), i);
        }
    }

    /** The configuration. */
    public NatConfig config() {
        return config;
    }

    /**
     * Translates a datagram from {@code internal} on the private side to {@code remote}: the result's endpoint is
     * the source to rewrite to. Creates a mapping if needed and refreshes it (RFC 4787 REQ-6: outbound traffic
     * always refreshes); records {@code remote} as permitted to answer, for the filtering behaviour.
     *
     * @param now the virtual time in nanoseconds, not before the previous call's
     */
    public NatResult outbound(InetSocketAddress internal, InetSocketAddress remote, long now) {
        check(internal, "internal");
        check(remote, "remote");
        advance(now);
        if (!config.hairpinning() && isExternalAddress(remote.getAddress())) {
            return refuse(NatRefusal.HAIRPINNING_DISABLED);
        }
        NatMapping.Session session = sessions.get(internal);
        Object key = remoteKey(remote);
        NatMapping m = null;
        if (session != null) {
            m = key == null ? session.only : session.byRemote.get(key);
        }
        if (m == null) {
            m = create(internal, key, session, now);
            if (m == null) {
                return refuse(NatRefusal.PORTS_EXHAUSTED);
            }
        } else {
            refresh(m, now);
        }
        if (m.permitted != null) {
            m.permitted.add(config.filtering() == NatBehavior.ADDRESS_DEPENDENT ? remote.getAddress() : remote);
        }
        return m.outboundResult;
    }

    /**
     * Translates a datagram from {@code remote} arriving at the external endpoint {@code external}: the result's
     * endpoint is the internal destination to rewrite to. Refused with {@link NatRefusal#NO_MAPPING} if no live
     * mapping owns {@code external}, or {@link NatRefusal#FILTERED} if its filtering does not admit {@code remote}.
     *
     * @param now the virtual time in nanoseconds, not before the previous call's
     */
    public NatResult inbound(InetSocketAddress external, InetSocketAddress remote, long now) {
        check(external, "external");
        check(remote, "remote");
        advance(now);
        NatMapping m = byExternal.get(external);
        if (m == null) {
            return refuse(NatRefusal.NO_MAPPING);
        }
        if (m.permitted != null
                && !m.permitted.contains(
                        config.filtering() == NatBehavior.ADDRESS_DEPENDENT ? remote.getAddress() : remote)) {
            return refuse(NatRefusal.FILTERED);
        }
        if (config.inboundRefresh()) {
            refresh(m, now);
        }
        return m.inboundResult;
    }

    /**
     * Whether a datagram from the private side to {@code destination} hairpins, i.e. is addressed to one of this
     * NAT's external addresses and hairpinning is on: then the node feeds {@link #outbound}'s source to
     * {@link #inbound} instead of forwarding it outside.
     */
    public boolean isHairpin(InetSocketAddress destination) {
        return config.hairpinning() && isExternalAddress(destination.getAddress());
    }

    /** Whether {@code address} is one of this NAT's external addresses. */
    public boolean isExternalAddress(InetAddress address) {
        return externalIndex.containsKey(address);
    }

    /**
     * Removes every mapping due by {@code now} (expiry at or before it); returns how many. A node calls it from the
     * timer it set at {@link #nextExpiry()}; the other calls do it themselves.
     */
    public int expire(long now) {
        long before = expired;
        advance(now);
        return (int) (expired - before);
    }

    /** The virtual time of the next expiry, or {@link Long#MAX_VALUE} if there is no mapping. */
    public long nextExpiry() {
        return head == null ? Long.MAX_VALUE : head.expiry;
    }

    /** Drops every mapping at once, as a NAT that reboots: nothing inbound passes until new outbound traffic. */
    public void reboot() {
        removed += active;
        active = 0;
        head = null;
        tail = null;
        sessions.clear();
        byExternal.clear();
        subscribers.clear();
        for (PortPool p : pools) {
            p.clear();
        }
        nextPool = 0;
    }

    /**
     * Moves every mapping of {@code internal} to a new external port on the same external address, mid-flow (what
     * a NAT rebinding looks like from outside): the old port stops working, permissions are kept, and the
     * mapping's lifetime restarts. Returns how many mappings moved (0 if it has none).
     *
     * @throws IllegalStateException if no other port is free
     */
    public int rebind(InetSocketAddress internal, long now) {
        check(internal, "internal");
        advance(now);
        List<NatMapping> mine = new ArrayList<>();
        for (NatMapping m = head; m != null; m = m.next) {
            if (m.internal.equals(internal)) {
                mine.add(m);
            }
        }
        for (NatMapping m : mine) {
            PortPool pool = pools[m.pool];
            int old = m.external.getPort();
            int port = pool.take(old == config.maxPort() ? config.minPort() : old + 1, parity(internal), now);
            if (port < 0) {
                throw new IllegalStateException("NAT cannot rebind " + m + ": no other external port is free");
            }
            byExternal.remove(m.external);
            pool.release(old, now);
            m.setExternal(new InetSocketAddress(m.external.getAddress(), port));
            byExternal.put(m.external, m);
            refresh(m, now);
            rebinds++;
        }
        return mine.size();
    }

    /** The live mappings, next to expire first. */
    public List<NatMapping> mappings() {
        List<NatMapping> out = new ArrayList<>();
        for (NatMapping m = head; m != null; m = m.next) {
            out.add(m);
        }
        return out;
    }

    /** A snapshot of the counts. */
    public NatCounters counters() {
        return new NatCounters(created, expired, removed, active, rebinds, refused);
    }

    private NatMapping create(InetSocketAddress internal, Object key, NatMapping.Session session, long now) {
        InetAddress host = internal.getAddress();
        Subscriber sub = subscribers.get(host);
        if (sub != null && sub.mappings >= config.portsPerSubscriber()) {
            return null;
        }
        int parity = parity(internal);
        int pool = -1;
        int port = -1;
        if (config.pooling() == AddressPooling.PAIRED && sub != null && sub.pool >= 0) {
            pool = sub.pool;
            port = choosePort(pools[pool], internal.getPort(), parity, now);
        } else {
            for (int i = 0; i < pools.length && port < 0; i++) {
                pool = (nextPool + i) % pools.length;
                port = choosePort(pools[pool], internal.getPort(), parity, now);
            }
            nextPool = (pool + 1) % pools.length;
        }
        if (port < 0) {
            return null;
        }
        if (sub == null) {
            sub = new Subscriber();
            subscribers.put(host, sub);
        }
        sub.pool = pool;
        sub.mappings++;
        if (session == null) {
            session = new NatMapping.Session();
            if (key != null) {
                session.byRemote = new HashMap<>();
            }
            sessions.put(internal, session);
        }
        InetSocketAddress external =
                new InetSocketAddress(config.externalAddresses().get(pool), port);
        NatMapping m = new NatMapping(
                internal,
                key,
                external,
                pool,
                session,
                config.filtering() != NatBehavior.ENDPOINT_INDEPENDENT,
                now,
                lifetime);
        if (key == null) {
            session.only = m;
        } else {
            session.byRemote.put(key, m);
        }
        session.size++;
        byExternal.put(external, m);
        append(m);
        created++;
        active++;
        return m;
    }

    private int choosePort(PortPool pool, int internalPort, int parity, long now) {
        switch (config.portAssignment()) {
            case PRESERVE:
                return pool.take(internalPort, parity, now);
            case SEQUENTIAL: {
                int port = pool.take(pool.cursor, parity, now);
                if (port >= 0) {
                    pool.cursor = port == config.maxPort() ? config.minPort() : port + 1;
                }
                return port;
            }
            default:
                return pool.take(pool.min() + random.nextInt(pool.span()), parity, now);
        }
    }

    private int parity(InetSocketAddress internal) {
        return config.portParity() ? internal.getPort() & 1 : -1;
    }

    private Object remoteKey(InetSocketAddress remote) {
        switch (config.mapping()) {
            case ENDPOINT_INDEPENDENT:
                return null;
            case ADDRESS_DEPENDENT:
                return remote.getAddress();
            default:
                return remote;
        }
    }

    private void advance(long now) {
        if (now < lastNow) {
            throw new IllegalArgumentException(
                    "virtual time " + now + " ns is before the previous call's " + lastNow + " ns");
        }
        lastNow = now;
        while (head != null && head.expiry <= now) {
            NatMapping m = head;
            remove(m, m.expiry);
            expired++;
        }
    }

    private void remove(NatMapping m, long when) {
        unlink(m);
        byExternal.remove(m.external);
        NatMapping.Session s = m.session;
        if (m.remoteKey == null) {
            s.only = null;
        } else {
            s.byRemote.remove(m.remoteKey);
        }
        if (--s.size == 0) {
            sessions.remove(m.internal);
        }
        Subscriber sub = subscribers.get(m.internal.getAddress());
        if (--sub.mappings == 0) {
            subscribers.remove(m.internal.getAddress()); // the pairing ends with the last mapping
        }
        pools[m.pool].release(m.external.getPort(), when);
        active--;
    }

    private void refresh(NatMapping m, long now) {
        m.lastRefresh = now;
        m.expiry = now + lifetime;
        if (m != tail) {
            unlink(m);
            append(m);
        }
    }

    private void append(NatMapping m) {
        m.prev = tail;
        m.next = null;
        if (tail == null) {
            head = m;
        } else {
            tail.next = m;
        }
        tail = m;
    }

    private void unlink(NatMapping m) {
        if (m.prev == null) {
            head = m.next;
        } else {
            m.prev.next = m.next;
        }
        if (m.next == null) {
            tail = m.prev;
        } else {
            m.next.prev = m.prev;
        }
        m.prev = null;
        m.next = null;
    }

    private NatResult refuse(NatRefusal reason) {
        refused[reason.ordinal()]++;
        return NatResult.refused(reason);
    }

    private void check(InetSocketAddress endpoint, String what) {
        if (endpoint == null || endpoint.isUnresolved()) {
            throw new IllegalArgumentException("NAT " + what + " endpoint " + endpoint + " is not a resolved address");
        }
        if ((endpoint.getAddress() instanceof Inet6Address) != ipv6) {
            throw new IllegalArgumentException("NAT " + what + " endpoint " + endpoint + " is not "
                    + (ipv6 ? "IPv6" : "IPv4") + ", the family of this NAT's external addresses");
        }
    }

    @Override
    public String toString() {
        return "NatTable(" + config + ", " + active + " mappings)";
    }
}
