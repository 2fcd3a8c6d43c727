package io.nettyvirtual.network.nat;

import io.nettyvirtual.network.route.IpPrefix;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The behaviour of one NAT, in RFC 4787's terms; immutable, made with {@link #builder()} or one of the presets
 * named as people name NATs ({@link #fullCone()}, {@link #restrictedCone()}, {@link #portRestrictedCone()},
 * {@link #symmetric()}, {@link #carrierGrade()}).
 *
 * <p>The builder's defaults are what RFC 4787 (BCP 127) asks of a NAT; each setter names the requirement. Presets
 * return a builder so that the external addresses can be given ({@code NatConfig.symmetric().externalAddresses(ip).build()});
 * a router's NAT built without them takes its outside interface's address.
 */
public final class NatConfig {
    /** The shared address space for carrier-grade NAT (RFC 6598): a home NAT's external side behind a CGNAT. */
    public static final IpPrefix SHARED_ADDRESS_SPACE = IpPrefix.parse("100.64.0.0/10");

    private final NatBehavior mapping;
    private final NatBehavior filtering;
    private final PortAssignment portAssignment;
    private final boolean portParity;
    private final int minPort;
    private final int maxPort;
    private final List<InetAddress> externalAddresses;
    private final AddressPooling pooling;
    private final long mappingLifetimeNanos;
    private final boolean inboundRefresh;
    private final boolean hairpinning;
    private final int portsPerSubscriber;
    private final long portReuseDelayNanos;

    private NatConfig(Builder b) {
        mapping = b.mapping;
        filtering = b.filtering;
        portAssignment = b.portAssignment;
        portParity = b.portParity;
        minPort = b.minPort;
        maxPort = b.maxPort;
        externalAddresses = Collections.unmodifiableList(new ArrayList<>(b.externalAddresses));
        pooling = b.pooling;
        mappingLifetimeNanos = b.mappingLifetimeNanos;
        inboundRefresh = b.inboundRefresh;
        hairpinning = b.hairpinning;
        portsPerSubscriber = b.portsPerSubscriber;
        portReuseDelayNanos = b.portReuseDelayNanos;
    }

    /** A builder with RFC 4787's recommended behaviour (a full-cone NAT), without external addresses yet. */
    public static Builder builder() {
        return new Builder();
    }

    /** Full cone: endpoint-independent mapping and filtering; anyone may send in through a mapping. */
    public static Builder fullCone() {
        return builder().mapping(NatBehavior.ENDPOINT_INDEPENDENT).filtering(NatBehavior.ENDPOINT_INDEPENDENT);
    }

    /** Restricted cone: endpoint-independent mapping, address-dependent filtering. */
    public static Builder restrictedCone() {
        return builder().mapping(NatBehavior.ENDPOINT_INDEPENDENT).filtering(NatBehavior.ADDRESS_DEPENDENT);
    }

    /** Port-restricted cone: endpoint-independent mapping, address-and-port-dependent filtering (Linux's default). */
    public static Builder portRestrictedCone() {
        return builder().mapping(NatBehavior.ENDPOINT_INDEPENDENT).filtering(NatBehavior.ADDRESS_AND_PORT_DEPENDENT);
    }

    /**
     * Symmetric: address-and-port-dependent mapping and filtering; each destination sees another external port,
     * which defeats hole punching with an endpoint learned from a rendezvous server.
     */
    public static Builder symmetric() {
        return builder()
                .mapping(NatBehavior.ADDRESS_AND_PORT_DEPENDENT)
                .filtering(NatBehavior.ADDRESS_AND_PORT_DEPENDENT);
    }

    /**
     * A carrier-grade NAT as RFC 6888 describes it: endpoint-independent mapping (RFC 4787 REQ-1, which RFC 6888
     * REQ-1 keeps) and filtering (RFC 6888 REQ-7), paired pooling (RFC 6888 REQ-2), random port assignment, a
     * per-subscriber port quota of 2,048 (RFC 6888 REQ-4 asks for a quota to exist, not for a value) and a
     * 120-second delay before a freed port is reused (RFC 6888 REQ-8). Its internal side is usually in
     * {@link #SHARED_ADDRESS_SPACE}.
     */
    public static Builder carrierGrade() {
        return fullCone()
                .pooling(AddressPooling.PAIRED)
                .portAssignment(PortAssignment.RANDOM)
                .portsPerSubscriber(2048)
                .portReuseDelay(Duration.ofSeconds(120));
    }

    /** How the external endpoint depends on the destination. */
    public NatBehavior mapping() {
        return mapping;
    }

    /** Which remote endpoints may send in through a mapping. */
    public NatBehavior filtering() {
        return filtering;
    }

    /** How the external port of a new mapping is chosen. */
    public PortAssignment portAssignment() {
        return portAssignment;
    }

    /** Whether an external port has the parity of its internal port. */
    public boolean portParity() {
        return portParity;
    }

    /** The lowest external port handed out. */
    public int minPort() {
        return minPort;
    }

    /** The highest external port handed out. */
    public int maxPort() {
        return maxPort;
    }

    /** The pool of external addresses, in the order given; empty if none was given (a router's NAT uses its own). */
    public List<InetAddress> externalAddresses() {
        return externalAddresses;
    }

    /** Which external address a new mapping gets. */
    public AddressPooling pooling() {
        return pooling;
    }

    /** How long a mapping lives after it was last refreshed, in nanoseconds. */
    public long mappingLifetimeNanos() {
        return mappingLifetimeNanos;
    }

    /** Whether admitted inbound traffic refreshes a mapping too (outbound traffic always does). */
    public boolean inboundRefresh() {
        return inboundRefresh;
    }

    /** Whether internal hosts can reach each other through the NAT's external endpoints. */
    public boolean hairpinning() {
        return hairpinning;
    }

    /** The most mappings one internal address may hold at once. */
    public int portsPerSubscriber() {
        return portsPerSubscriber;
    }

    /** How long a freed external port waits before it is handed out again, in nanoseconds. */
    public long portReuseDelayNanos() {
        return portReuseDelayNanos;
    }

    /** A builder holding this configuration, to derive a variant. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.mapping = mapping;
        b.filtering = filtering;
        b.portAssignment = portAssignment;
        b.portParity = portParity;
        b.minPort = minPort;
        b.maxPort = maxPort;
        b.externalAddresses.addAll(externalAddresses);
        b.pooling = pooling;
        b.mappingLifetimeNanos = mappingLifetimeNanos;
        b.inboundRefresh = inboundRefresh;
        b.hairpinning = hairpinning;
        b.portsPerSubscriber = portsPerSubscriber;
        b.portReuseDelayNanos = portReuseDelayNanos;
        return b;
    }

    @Override
    public String toString() {
        return "NatConfig(mapping " + mapping.shortName() + ", filtering " + filtering.shortName() + ", ports "
                + portAssignment + (portParity ? " parity" : "") + " " + minPort + "-" + maxPort + ", "
                + pooling + " " + externalAddresses + ", lifetime " + Duration.ofNanos(mappingLifetimeNanos)
                + (inboundRefresh ? ", inbound refresh" : "") + (hairpinning ? ", hairpinning" : "")
                + (portsPerSubscriber == Integer.MAX_VALUE ? "" : ", quota " + portsPerSubscriber)
                + (portReuseDelayNanos == 0 ? "" : ", reuse delay " + Duration.ofNanos(portReuseDelayNanos)) + ")";
    }

    /** Builds a {@link NatConfig}; every setter checks its argument at once. */
    public static final class Builder {
        private NatBehavior mapping = NatBehavior.ENDPOINT_INDEPENDENT;
        private NatBehavior filtering = NatBehavior.ENDPOINT_INDEPENDENT;
        private PortAssignment portAssignment = PortAssignment.PRESERVE;
        private boolean portParity = true;
        private int minPort = 1024;
        private int maxPort = 65535;
        private final List<InetAddress> externalAddresses = new ArrayList<>();
        private AddressPooling pooling = AddressPooling.PAIRED;
        private long mappingLifetimeNanos = Duration.ofSeconds(120).toNanos();
        private boolean inboundRefresh;
        private boolean hairpinning = true;
        private int portsPerSubscriber = Integer.MAX_VALUE;
        private long portReuseDelayNanos;

        private Builder() {}

        /** Mapping behaviour; default endpoint-independent, as RFC 4787 REQ-1 requires. */
        public Builder mapping(NatBehavior behavior) {
            this.mapping = nonNull(behavior, "mapping behavior");
            return this;
        }

        /**
         * Filtering behaviour; default endpoint-independent, which RFC 4787 REQ-8 recommends when application
         * transparency matters most (address-dependent when stringency does).
         */
        public Builder filtering(NatBehavior behavior) {
            this.filtering = nonNull(behavior, "filtering behavior");
            return this;
        }

        /**
         * Port assignment; default {@link PortAssignment#PRESERVE}, which RFC 4787 section 4.2.1 allows (it must
         * never overload a port, REQ-3, which no choice here does).
         */
        public Builder portAssignment(PortAssignment assignment) {
            this.portAssignment = nonNull(assignment, "port assignment");
            return this;
        }

        /** Port parity preservation; default on, as RFC 4787 REQ-4 recommends (RTP/RTCP pairs rely on it). */
        public Builder portParity(boolean keepParity) {
            this.portParity = keepParity;
            return this;
        }

        /**
         * The external ports handed out; default 1024-65535, which keeps internal ports above 1023 out of the
         * well-known range as RFC 4787 REQ-3 recommends. An internal port outside the range gets a port inside it.
         */
        public Builder portRange(int min, int max) {
            if (min < 1 || max > 65535 || min > max) {
                throw new IllegalArgumentException("NAT port range " + min + "-" + max + " is not within 1-65535");
            }
            this.minPort = min;
            this.maxPort = max;
            return this;
        }

        /** Sets the external addresses (at least one, all distinct, one family), replacing any given before. */
        public Builder externalAddresses(InetAddress... addresses) {
            if (addresses == null || addresses.length == 0) {
                throw new IllegalArgumentException("a NAT needs at least one external address");
            }
            return externalAddresses(Arrays.asList(addresses));
        }

        /** Sets the external addresses (at least one, all distinct, one family), replacing any given before. */
        public Builder externalAddresses(List<InetAddress> addresses) {
            if (addresses == null || addresses.isEmpty()) {
                throw new IllegalArgumentException("a NAT needs at least one external address");
            }
            List<InetAddress> checked = new ArrayList<>();
            for (InetAddress a : addresses) {
                if (a == null) {
                    throw new IllegalArgumentException("NAT external addresses " + addresses + " contain null");
                }
                if (checked.contains(a)) {
                    throw new IllegalArgumentException(
                            "NAT external address " + a.getHostAddress() + " is given twice");
                }
                if (!checked.isEmpty() && (a instanceof Inet6Address) != (checked.get(0) instanceof Inet6Address)) {
                    throw new IllegalArgumentException("NAT external address " + a.getHostAddress()
                            + " is not of the same family as " + checked.get(0).getHostAddress());
                }
                checked.add(a);
            }
            externalAddresses.clear();
            externalAddresses.addAll(checked);
            return this;
        }

        /** Address pooling; default paired, as RFC 4787 REQ-2 recommends. */
        public Builder pooling(AddressPooling pooling) {
            this.pooling = nonNull(pooling, "address pooling");
            return this;
        }

        /**
         * How long a mapping lives after its last refresh; default 120 s, the least RFC 4787 REQ-5 allows (REQ-5c
         * recommends 5 minutes). Shorter values are accepted to model NATs that break the rule.
         */
        public Builder mappingLifetime(Duration lifetime) {
            if (lifetime == null || lifetime.isNegative() || lifetime.isZero()) {
                throw new IllegalArgumentException("NAT mapping lifetime " + lifetime + " is not positive");
            }
            this.mappingLifetimeNanos = lifetime.toNanos();
            return this;
        }

        /** Whether admitted inbound traffic refreshes a mapping; default off, RFC 4787 REQ-6a makes it optional. */
        public Builder inboundRefresh(boolean refresh) {
            this.inboundRefresh = refresh;
            return this;
        }

        /** Hairpinning; default on, as RFC 4787 REQ-9 requires. */
        public Builder hairpinning(boolean hairpinning) {
            this.hairpinning = hairpinning;
            return this;
        }

        /** The most mappings one internal address may hold; default unlimited (RFC 6888 REQ-4 for CGNATs). */
        public Builder portsPerSubscriber(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("NAT ports per subscriber " + limit + " is not positive");
            }
            this.portsPerSubscriber = limit;
            return this;
        }

        /** How long a freed port waits before reuse; default 0 (RFC 6888 REQ-8 asks 120 s of a CGNAT). */
        public Builder portReuseDelay(Duration delay) {
            if (delay == null || delay.isNegative()) {
                throw new IllegalArgumentException("NAT port reuse delay " + delay + " is negative");
            }
            this.portReuseDelayNanos = delay.toNanos();
            return this;
        }

        /**
         * The configuration.
         *
         * The configuration. Without external addresses it is a behaviour only: a router's NAT
         * ({@code Router.nat}) takes its outside interface's address; a {@link NatTable} needs them given.
         */
        public NatConfig build() {
            return new NatConfig(this);
        }

        private static <T> T nonNull(T value, String what) {
            if (value == null) {
                throw new IllegalArgumentException("NAT " + what + " is null");
            }
            return value;
        }
    }
}
