package io.nettyvirtual.network.firewall;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;

/**
 * UDP connection tracking as Linux's conntrack does it: a flow is opened by an admitted datagram, then datagrams
 * either way between the same two endpoints belong to it. A flow that has only been seen one way lives for the
 * unreplied timeout after its last datagram ({@code nf_conntrack_udp_timeout}, 30 s); once a reply has been seen it
 * is "assured" and lives for the stream timeout ({@code nf_conntrack_udp_timeout_stream}, 120 s). Every datagram of
 * the flow restarts its timeout. A flow expires exactly at its last datagram + its timeout.
 *
 * <p>Flows with the same timeout expire in the order they were last refreshed, so the tracker keeps one list per
 * timeout in that order and {@link #nextExpiry()} looks at two heads; refreshing is constant time and allocates
 * nothing. Virtual time must not go backwards between calls. Not thread-safe.
 */
public final class ConnectionTracker {
    /** Linux's default UDP timeout for a flow seen one way only. */
    public static final Duration DEFAULT_UNREPLIED_TIMEOUT = Duration.ofSeconds(30);
    /** Linux's default UDP timeout for a flow seen both ways. */
    public static final Duration DEFAULT_ASSURED_TIMEOUT = Duration.ofSeconds(120);

    private static final class Flow {
        final InetSocketAddress source;
        final InetSocketAddress destination;
        boolean assured;
        long expiry;
        Flow prev;
        Flow next;

        Flow(InetSocketAddress source, InetSocketAddress destination) {
            this.source = source;
            this.destination = destination;
        }
    }

    /** Flows in refresh order, which for one timeout is expiry order. */
    private static final class FlowList {
        Flow head;
        Flow tail;

        void append(Flow f) {
            f.prev = tail;
            f.next = null;
            if (tail == null) {
                head = f;
            } else {
                tail.next = f;
            }
            tail = f;
        }

        void unlink(Flow f) {
            if (f.prev == null) {
                head = f.next;
            } else {
                f.prev.next = f.next;
            }
            if (f.next == null) {
                tail = f.prev;
            } else {
                f.next.prev = f.prev;
            }
            f.prev = null;
            f.next = null;
        }
    }

    private final long unrepliedTimeout;
    private final long assuredTimeout;
    /** Datagram source -> datagram destination -> flow; each flow is entered under both of its directions. */
    private final HashMap<InetSocketAddress, HashMap<InetSocketAddress, Flow>> flows = new HashMap<>();

    private final FlowList unreplied = new FlowList();
    private final FlowList assured = new FlowList();
    private long lastNow = Long.MIN_VALUE;
    private int size;
    private long opened;
    private long expired;

    /** A tracker with Linux's default UDP timeouts. */
    public ConnectionTracker() {
        this(DEFAULT_UNREPLIED_TIMEOUT, DEFAULT_ASSURED_TIMEOUT);
    }

    /**
     * A tracker with the given timeouts.
     *
     * @throws IllegalArgumentException if a timeout is not positive
     */
    public ConnectionTracker(Duration unrepliedTimeout, Duration assuredTimeout) {
        this.unrepliedTimeout = positive(unrepliedTimeout, "unreplied");
        this.assuredTimeout = positive(assuredTimeout, "assured");
    }

    private static long positive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("conntrack " + what + " timeout " + d + " is not positive");
        }
        return d.toNanos();
    }

    /**
     * Whether a datagram from {@code source} to {@code destination} belongs to a live flow, either way; if so it
     * refreshes the flow, and a datagram in the reply direction makes it assured.
     */
    public boolean seen(InetSocketAddress source, InetSocketAddress destination, long now) {
        advance(now);
        HashMap<InetSocketAddress, Flow> bySource = flows.get(source);
        Flow f = bySource == null ? null : bySource.get(destination);
        if (f == null) {
            return false;
        }
        if (!f.assured && f.source.equals(destination)) { // the first reply
            unreplied.unlink(f);
            f.assured = true;
        } else {
            (f.assured ? assured : unreplied).unlink(f);
        }
        f.expiry = now + (f.assured ? assuredTimeout : unrepliedTimeout);
        (f.assured ? assured : unreplied).append(f);
        return true;
    }

    /**
     * Opens a flow for a datagram from {@code source} to {@code destination} (the caller admitted it and found no
     * flow); does nothing if one exists already.
     */
    public void open(InetSocketAddress source, InetSocketAddress destination, long now) {
        advance(now);
        HashMap<InetSocketAddress, Flow> bySource = flows.get(source);
        if (bySource != null && bySource.containsKey(destination)) {
            return;
        }
        Flow f = new Flow(source, destination);
        f.expiry = now + unrepliedTimeout;
        flows.computeIfAbsent(source, k -> new HashMap<>()).put(destination, f);
        flows.computeIfAbsent(destination, k -> new HashMap<>()).put(source, f);
        unreplied.append(f);
        size++;
        opened++;
    }

    /** Whether a live flow exists between the two endpoints and has been seen both ways. */
    public boolean isAssured(InetSocketAddress a, InetSocketAddress b, long now) {
        advance(now);
        Flow f = find(a, b);
        return f != null && f.assured;
    }

    /** The expiry of the flow between the two endpoints, or {@link Long#MAX_VALUE} if there is none. */
    public long expiryOf(InetSocketAddress a, InetSocketAddress b) {
        Flow f = find(a, b);
        return f == null ? Long.MAX_VALUE : f.expiry;
    }

    /** Removes the flows due by {@code now}; returns how many. Other calls do this themselves. */
    public int expire(long now) {
        long before = expired;
        advance(now);
        return (int) (expired - before);
    }

    /** The virtual time of the next flow expiry, or {@link Long#MAX_VALUE} if no flow is tracked. */
    public long nextExpiry() {
        long a = unreplied.head == null ? Long.MAX_VALUE : unreplied.head.expiry;
        long b = assured.head == null ? Long.MAX_VALUE : assured.head.expiry;
        return Math.min(a, b);
    }

    /** The number of live flows. */
    public int size() {
        return size;
    }

    /** Flows opened so far. */
    public long opened() {
        return opened;
    }

    /** Flows that expired so far. */
    public long expired() {
        return expired;
    }

    private Flow find(InetSocketAddress a, InetSocketAddress b) {
        HashMap<InetSocketAddress, Flow> bySource = flows.get(a);
        return bySource == null ? null : bySource.get(b);
    }

    private void advance(long now) {
        if (now < lastNow) {
            throw new IllegalArgumentException(
                    "virtual time " + now + " ns is before the previous call's " + lastNow + " ns");
        }
        lastNow = now;
        expireList(unreplied, now);
        expireList(assured, now);
    }

    private void expireList(FlowList list, long now) {
        while (list.head != null && list.head.expiry <= now) {
            Flow f = list.head;
            list.unlink(f);
            forget(f.source, f.destination);
            forget(f.destination, f.source);
            size--;
            expired++;
        }
    }

    private void forget(InetSocketAddress from, InetSocketAddress to) {
        HashMap<InetSocketAddress, Flow> bySource = flows.get(from);
        if (bySource == null) {
            return; // a flow from an endpoint to itself is entered once
        }
        bySource.remove(to);
        if (bySource.isEmpty()) {
            flows.remove(from);
        }
    }

    @Override
    public String toString() {
        return "ConnectionTracker(" + size + " flows)";
    }
}
