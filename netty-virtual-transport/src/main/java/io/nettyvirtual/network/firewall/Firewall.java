package io.nettyvirtual.network.firewall;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * A stateful firewall's decision for each datagram: a {@link FirewallPolicy} plus the {@link ConnectionTracker} of
 * the UDP flows it has admitted. A firewall node asks {@link #filter} per datagram and forwards, drops, or drops
 * and reports (an ICMP unreachable to the sender) according to the answer.
 *
 * <p>The order of a decision: a UDP datagram of a live tracked flow passes (and refreshes the flow); otherwise the
 * rules are tried in order and the first match decides; otherwise the policy's default for the direction applies.
 * An admitted UDP datagram that opened no flow yet opens one, so its replies pass. Deterministic; not thread-safe.
 */
public final class Firewall {
    private final FirewallPolicy policy;
    private final List<FirewallRule> rules;
    private final ConnectionTracker tracker;
    private final long[] counts = new long[FirewallAction.values().length];
    private long tracked;

    /** A firewall with no tracked flows. */
    public Firewall(FirewallPolicy policy) {
        if (policy == null) {
            throw new IllegalArgumentException("firewall policy is null");
        }
        this.policy = policy;
        this.rules = policy.rules();
        this.tracker = new ConnectionTracker(policy.unrepliedTimeout(), policy.assuredTimeout());
    }

    /**
     * What to do with a datagram crossing the firewall in {@code direction} from {@code source} to
     * {@code destination} at virtual time {@code now} (nanoseconds, never going backwards).
     */
    public FirewallAction filter(
            Direction direction, Protocol protocol, InetSocketAddress source, InetSocketAddress destination, long now) {
        if (direction == null || protocol == null || source == null || destination == null) {
            throw new IllegalArgumentException("firewall datagram needs a direction, protocol, source and "
                    + "destination, got " + direction + ", " + protocol + ", " + source + ", " + destination);
        }
        if (protocol == Protocol.UDP && tracker.seen(source, destination, now)) {
            tracked++;
            counts[FirewallAction.ALLOW.ordinal()]++;
            return FirewallAction.ALLOW;
        }
        FirewallAction action = policy.defaultAction(direction);
        for (int i = 0, n = rules.size(); i < n; i++) {
            FirewallRule rule = rules.get(i);
            if (rule.matches(direction, protocol, source, destination)) {
                action = rule.action();
                break;
            }
        }
        if (action == FirewallAction.ALLOW && protocol == Protocol.UDP) {
            tracker.open(source, destination, now);
        }
        counts[action.ordinal()]++;
        return action;
    }

    /** The policy. */
    public FirewallPolicy policy() {
        return policy;
    }

    /** The UDP flows tracked so far; a node schedules its expiry timer from {@link ConnectionTracker#nextExpiry()}. */
    public ConnectionTracker tracker() {
        return tracker;
    }

    /** Datagrams that got {@code action} so far. */
    public long count(FirewallAction action) {
        return counts[action.ordinal()];
    }

    /** Datagrams admitted because they belonged to a tracked flow (a subset of the allowed count). */
    public long trackedCount() {
        return tracked;
    }

    @Override
    public String toString() {
        return "Firewall(" + policy + ", " + tracker.size() + " flows)";
    }
}
