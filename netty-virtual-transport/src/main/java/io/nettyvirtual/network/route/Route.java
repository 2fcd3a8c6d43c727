package io.nettyvirtual.network.route;

/**
 * One entry of a {@link RoutingTable}: traffic to {@link #prefix()} goes to {@link #target()} (an interface, a
 * next hop: whatever the table's user routes to), with a {@link #metric()} that ranks routes of the same prefix.
 *
 * @param <T> what the route leads to
 */
public final class Route<T> {
    private final IpPrefix prefix;
    private final T target;
    private final int metric;
    final long order;

    Route(IpPrefix prefix, T target, int metric, long order) {
        this.prefix = prefix;
        this.target = target;
        this.metric = metric;
        this.order = order;
    }

    /** The destinations this route covers. */
    public IpPrefix prefix() {
        return prefix;
    }

    /** Where matching traffic goes. */
    public T target() {
        return target;
    }

    /** The route's cost: among routes of the same prefix the lowest wins (as on Linux). */
    public int metric() {
        return metric;
    }

    @Override
    public String toString() {
        return prefix + " via " + target + " metric " + metric;
    }
}
