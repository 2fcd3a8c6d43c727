package io.nettyvirtual.network.firewall;

import io.nettyvirtual.network.route.IpPrefix;
import java.net.InetSocketAddress;

/**
 * One rule of a {@link FirewallPolicy}: a match on direction, protocol, source and destination prefix and port
 * range, and the action taken when a datagram matches. Every part left unset matches anything. Immutable; made with
 * {@link #allow()}, {@link #drop()} or {@link #reject()}, e.g.
 * {@code FirewallRule.allow().outbound().udp().toPort(443).build()}.
 */
public final class FirewallRule {
    private final FirewallAction action;
    private final Direction direction;
    private final Protocol protocol;
    private final IpPrefix source;
    private final IpPrefix destination;
    private final PortRange sourcePorts;
    private final PortRange destinationPorts;

    private FirewallRule(Builder b) {
        action = b.action;
        direction = b.direction;
        protocol = b.protocol;
        source = b.source;
        destination = b.destination;
        sourcePorts = b.sourcePorts;
        destinationPorts = b.destinationPorts;
    }

    /** A rule that lets matching datagrams pass. */
    public static Builder allow() {
        return new Builder(FirewallAction.ALLOW);
    }

    /** A rule that discards matching datagrams silently. */
    public static Builder drop() {
        return new Builder(FirewallAction.DROP);
    }

    /** A rule that discards matching datagrams and reports it to the sender. */
    public static Builder reject() {
        return new Builder(FirewallAction.REJECT);
    }

    /** Whether a datagram with these properties matches the rule. */
    public boolean matches(
            Direction direction, Protocol protocol, InetSocketAddress source, InetSocketAddress destination) {
        return (this.direction == null || this.direction == direction)
                && (this.protocol == null || this.protocol == protocol)
                && (this.source == null || this.source.contains(source.getAddress()))
                && (this.destination == null || this.destination.contains(destination.getAddress()))
                && (sourcePorts == PortRange.ANY || sourcePorts.contains(source.getPort()))
                && (destinationPorts == PortRange.ANY || destinationPorts.contains(destination.getPort()));
    }

    /** The action for matching datagrams. */
    public FirewallAction action() {
        return action;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(action.name().toLowerCase());
        sb.append(direction == null ? " any-direction" : " " + direction.name().toLowerCase());
        sb.append(protocol == null ? " any-protocol" : " " + protocol.name().toLowerCase());
        sb.append(" from ").append(source == null ? "any" : source);
        if (sourcePorts != PortRange.ANY) {
            sb.append(" port ").append(sourcePorts);
        }
        sb.append(" to ").append(destination == null ? "any" : destination);
        if (destinationPorts != PortRange.ANY) {
            sb.append(" port ").append(destinationPorts);
        }
        return sb.toString();
    }

    /** Builds a {@link FirewallRule}; unset parts match anything. */
    public static final class Builder {
        private final FirewallAction action;
        private Direction direction;
        private Protocol protocol;
        private IpPrefix source;
        private IpPrefix destination;
        private PortRange sourcePorts = PortRange.ANY;
        private PortRange destinationPorts = PortRange.ANY;

        private Builder(FirewallAction action) {
            this.action = action;
        }

        /** Matches inbound datagrams only. */
        public Builder inbound() {
            direction = Direction.INBOUND;
            return this;
        }

        /** Matches outbound datagrams only. */
        public Builder outbound() {
            direction = Direction.OUTBOUND;
            return this;
        }

        /** Matches one protocol only. */
        public Builder protocol(Protocol protocol) {
            if (protocol == null) {
                throw new IllegalArgumentException("firewall rule protocol is null (leave it unset to match any)");
            }
            this.protocol = protocol;
            return this;
        }

        /** Matches UDP only. */
        public Builder udp() {
            return protocol(Protocol.UDP);
        }

        /** Matches sources in {@code cidr}, e.g. {@code "10.0.0.0/8"}. */
        public Builder from(String cidr) {
            return from(IpPrefix.parse(cidr));
        }

        /** Matches sources in {@code prefix}. */
        public Builder from(IpPrefix prefix) {
            if (prefix == null) {
                throw new IllegalArgumentException("firewall rule source prefix is null");
            }
            source = prefix;
            return this;
        }

        /** Matches destinations in {@code cidr}, e.g. {@code "2001:db8::/32"}. */
        public Builder to(String cidr) {
            return to(IpPrefix.parse(cidr));
        }

        /** Matches destinations in {@code prefix}. */
        public Builder to(IpPrefix prefix) {
            if (prefix == null) {
                throw new IllegalArgumentException("firewall rule destination prefix is null");
            }
            destination = prefix;
            return this;
        }

        /** Matches source ports {@code from}-{@code to}. */
        public Builder fromPorts(int from, int to) {
            sourcePorts = new PortRange(from, to);
            return this;
        }

        /** Matches source port {@code port}. */
        public Builder fromPort(int port) {
            return fromPorts(port, port);
        }

        /** Matches destination ports {@code from}-{@code to}. */
        public Builder toPorts(int from, int to) {
            destinationPorts = new PortRange(from, to);
            return this;
        }

        /** Matches destination port {@code port}. */
        public Builder toPort(int port) {
            return toPorts(port, port);
        }

        /**
         * The rule.
         *
         * @throws IllegalArgumentException if ports are given for ICMP, or the two prefixes are of different
         *         families (such a rule could never match)
         */
        public FirewallRule build() {
            if (protocol == Protocol.ICMP && (sourcePorts != PortRange.ANY || destinationPorts != PortRange.ANY)) {
                throw new IllegalArgumentException("firewall rule for ICMP has ports " + sourcePorts + " -> "
                        + destinationPorts + ", but ICMP has none");
            }
            if (source != null && destination != null && source.isIpv6() != destination.isIpv6()) {
                throw new IllegalArgumentException("firewall rule from " + source + " to " + destination
                        + " mixes IPv4 and IPv6 and could never match");
            }
            return new FirewallRule(this);
        }
    }
}
