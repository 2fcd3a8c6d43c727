package io.nettyvirtual.network.firewall;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a stateful {@link Firewall} admits: an ordered list of rules (the first that matches decides), a default
 * action per direction for datagrams no rule matches, and the UDP connection-tracking timeouts. Datagrams of a
 * tracked flow pass before any rule is consulted, as behind iptables' usual first rule
 * {@code -m conntrack --ctstate ESTABLISHED -j ACCEPT}; that is what lets replies in through a policy that drops
 * inbound traffic. Immutable; made with {@link #builder()} or a preset.
 */
public final class FirewallPolicy {
    private final List<FirewallRule> rules;
    private final FirewallAction defaultInbound;
    private final FirewallAction defaultOutbound;
    private final Duration unrepliedTimeout;
    private final Duration assuredTimeout;

    private FirewallPolicy(Builder b) {
        rules = Collections.unmodifiableList(new ArrayList<>(b.rules));
        defaultInbound = b.defaultInbound;
        defaultOutbound = b.defaultOutbound;
        unrepliedTimeout = b.unrepliedTimeout;
        assuredTimeout = b.assuredTimeout;
    }

    /** A builder that admits everything (no rules, both defaults {@link FirewallAction#ALLOW}). */
    public static Builder builder() {
        return new Builder();
    }

    /** Blocks all inbound traffic except replies to flows opened from inside; outbound is free. */
    public static FirewallPolicy blockInbound() {
        return builder().defaultInbound(FirewallAction.DROP).build();
    }

    /**
     * The corporate network that lets QUIC out only to port 443: outbound UDP to port 443 passes (and its replies
     * come back), every other UDP datagram is dropped either way; other protocols pass outbound.
     */
    public static FirewallPolicy udp443Only() {
        return builder()
                .rule(FirewallRule.allow().outbound().udp().toPort(443).build())
                .rule(FirewallRule.drop().udp().build())
                .defaultInbound(FirewallAction.DROP)
                .build();
    }

    /** Drops every UDP datagram either way, forcing an application onto its non-UDP fallback. */
    public static FirewallPolicy blockUdp() {
        return builder().rule(FirewallRule.drop().udp().build()).build();
    }

    /** The rules, in the order they are tried. */
    public List<FirewallRule> rules() {
        return rules;
    }

    /** The action for a datagram in {@code direction} that belongs to no flow and matches no rule. */
    public FirewallAction defaultAction(Direction direction) {
        return direction == Direction.INBOUND ? defaultInbound : defaultOutbound;
    }

    /** How long a UDP flow seen one way lives after its last datagram. */
    public Duration unrepliedTimeout() {
        return unrepliedTimeout;
    }

    /** How long a UDP flow seen both ways lives after its last datagram. */
    public Duration assuredTimeout() {
        return assuredTimeout;
    }

    @Override
    public String toString() {
        return "FirewallPolicy(" + rules + ", default inbound " + defaultInbound + ", outbound " + defaultOutbound
                + ")";
    }

    /** Builds a {@link FirewallPolicy}. */
    public static final class Builder {
        private final List<FirewallRule> rules = new ArrayList<>();
        private FirewallAction defaultInbound = FirewallAction.ALLOW;
        private FirewallAction defaultOutbound = FirewallAction.ALLOW;
        private Duration unrepliedTimeout = ConnectionTracker.DEFAULT_UNREPLIED_TIMEOUT;
        private Duration assuredTimeout = ConnectionTracker.DEFAULT_ASSURED_TIMEOUT;

        private Builder() {}

        /** Appends a rule: it is tried after those added before. */
        public Builder rule(FirewallRule rule) {
            if (rule == null) {
                throw new IllegalArgumentException("firewall rule is null");
            }
            rules.add(rule);
            return this;
        }

        /** The action for inbound datagrams no flow or rule admits; default allow. */
        public Builder defaultInbound(FirewallAction action) {
            defaultInbound = nonNull(action, "default inbound action");
            return this;
        }

        /** The action for outbound datagrams no flow or rule admits; default allow. */
        public Builder defaultOutbound(FirewallAction action) {
            defaultOutbound = nonNull(action, "default outbound action");
            return this;
        }

        /** UDP flow timeouts; default Linux's 30 s unreplied and 120 s assured. */
        public Builder udpTimeouts(Duration unreplied, Duration assured) {
            new ConnectionTracker(unreplied, assured); // validates both, naming the bad one
            unrepliedTimeout = unreplied;
            assuredTimeout = assured;
            return this;
        }

        /** The policy. */
        public FirewallPolicy build() {
            return new FirewallPolicy(this);
        }

        private static <T> T nonNull(T value, String what) {
            if (value == null) {
                throw new IllegalArgumentException("firewall " + what + " is null");
            }
            return value;
        }
    }
}
