package io.nettyvirtual.network.firewall;

/**
 * An inclusive range of transport ports, as a firewall rule matches them.
 *
 * @param from the lowest port (0-65535)
 * @param to the highest port (from-65535)
 */
public record PortRange(int from, int to) {
    /** Every port. */
    public static final PortRange ANY = new PortRange(0, 65535);

    /** Checks {@code 0 <= from <= to <= 65535}. */
    public PortRange {
        if (from < 0 || to > 65535 || from > to) {
            throw new IllegalArgumentException("port range " + from + "-" + to + " is not within 0-65535");
        }
    }

    /** The single port {@code port}. */
    public static PortRange of(int port) {
        return new PortRange(port, port);
    }

    /** Whether {@code port} is in the range. */
    public boolean contains(int port) {
        return port >= from && port <= to;
    }

    @Override
    public String toString() {
        return from == to ? Integer.toString(from) : from + "-" + to;
    }
}
