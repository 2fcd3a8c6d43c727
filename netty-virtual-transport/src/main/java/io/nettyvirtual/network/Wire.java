package io.nettyvirtual.network;

import java.time.Duration;

/**
 * A wire between two nodes: two independent {@link Link}s, one per direction, each with its own delay, rate
 * limit, tail-drop queue and loss. Create one with {@link VirtualNetwork#newWire}.
 */
public final class Wire {
    private final VirtualNetwork network;
    private final String name;
    private final Port a;
    private final Port b;
    private final Link aToB;
    private final Link bToA;

    Wire(VirtualNetwork network, String name, Node nodeA, Node nodeB, LinkConfig ab, LinkConfig ba) {
        this.network = network;
        this.name = name;
        this.a = nodeA.newPort();
        this.b = nodeB.newPort();
        this.aToB = new Link(network, name + " " + nodeA.name + "->" + nodeB.name, ab, b);
        this.bToA = new Link(network, name + " " + nodeB.name + "->" + nodeA.name, ba, a);
        a.out = aToB;
        b.out = bToA;
        a.peer = b;
        b.peer = a;
    }

    /** The wire's name. */
    public String name() {
        return name;
    }

    /** The direction from the first node given at creation to the second. */
    public Link aToB() {
        return aToB;
    }

    /** The direction from the second node to the first. */
    public Link bToA() {
        return bToA;
    }

    /** Changes the delay of both directions. */
    public Wire setDelay(Duration delay) {
        aToB.setDelay(delay);
        bToA.setDelay(delay);
        return this;
    }

    /** Changes the rate limit of both directions. */
    public Wire setBytesPerSecond(long rate) {
        aToB.setBytesPerSecond(rate);
        bToA.setBytesPerSecond(rate);
        return this;
    }

    /** Changes the loss probability of both directions. */
    public Wire setLoss(double probability) {
        aToB.setLoss(probability);
        bToA.setLoss(probability);
        return this;
    }

    /** Whether the wire is still plugged in at both ends. */
    public boolean isPlugged() {
        return network.locked(() -> a.peer != null);
    }

    /**
     * Unplugs the wire from both nodes while the simulation runs; packets inside it are dropped as
     * {@link io.nettyvirtual.stats.DropReason#UNPLUGGED}.
     */
    public void unplug() {
        network.lockedRun(() -> {
            if (a.peer == null) {
                return;
            }
            a.peer = null;
            b.peer = null;
            aToB.clear();
            bToA.clear();
            a.node.portUnplugged(a);
            b.node.portUnplugged(b);
            network.topologyChanged();
        });
    }

    @Override
    public String toString() {
        return "Wire(" + name + ")";
    }
}
