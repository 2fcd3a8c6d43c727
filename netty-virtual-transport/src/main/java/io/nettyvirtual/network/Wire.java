package io.nettyvirtual.network;

import java.time.Duration;

/**
 * A wire: two independent {@link Link}s, one per direction, each with its own delay, rate limit, tail-drop queue
 * and loss, between two {@link End}s. Join two nodes at once with {@link VirtualNetwork#newWire(Node, Node,
 * LinkConfig)}, or create a free wire with {@link VirtualNetwork#newWire(LinkConfig)} and plug its ends while the
 * simulation runs.
 */
public final class Wire {
    private final VirtualNetwork network;
    private final String name;
    private final Link aToB;
    private final Link bToA;
    private final End start = new End(true);
    private final End end = new End(false);

    Wire(VirtualNetwork network, String name, LinkConfig ab, LinkConfig ba) {
        this.network = network;
        this.name = name;
        this.aToB = new Link(network, name + " start->end", ab);
        this.bToA = new Link(network, name + " end->start", ba);
    }

    /** One end of the wire. */
    public final class End {
        private final boolean isStart;
        private Port port;

        private End(boolean isStart) {
            this.isStart = isStart;
        }

        /** Plugs {@code node} into this end; a host has one interface, a switch takes any number of wires. */
        public Wire plug(Node node) {
            if (node.network != network) {
                throw new IllegalArgumentException("node " + node.name + " belongs to another network");
            }
            network.lockedRun(() -> {
                if (port != null) {
                    throw new IllegalStateException(name + "'s " + (isStart ? "start" : "end")
                            + " is already plugged into " + port.node.name);
                }
                port = node.newPort();
                port.out = isStart ? aToB : bToA;
                (isStart ? bToA : aToB).to = port;
                rename();
                joinPeers();
                network.topologyChanged();
            });
            return Wire.this;
        }

        /** Unplugs this end; packets inside the wire are dropped as unplugged. */
        public void unplug() {
            network.lockedRun(() -> {
                if (port == null) {
                    return;
                }
                aToB.clear();
                bToA.clear();
                Port p = port;
                port = null;
                (isStart ? bToA : aToB).to = null;
                if (p.peer != null) {
                    p.peer.peer = null;
                    p.peer = null;
                }
                p.node.portUnplugged(p);
                network.topologyChanged();
            });
        }

        /** The node plugged into this end, or null. */
        public Node node() {
            return network.locked(() -> port == null ? null : port.node);
        }
    }

    private void joinPeers() {
        if (start.port != null && end.port != null) {
            start.port.peer = end.port;
            end.port.peer = start.port;
        }
    }

    private void rename() {
        String s = start.port == null ? "start" : start.port.node.name;
        String e = end.port == null ? "end" : end.port.node.name;
        aToB.counter.name = name + " " + s + "->" + e;
        bToA.counter.name = name + " " + e + "->" + s;
    }

    /** The wire's name. */
    public String name() {
        return name;
    }

    /** The start end (the first node given to {@code newWire}). */
    public End start() {
        return start;
    }

    /** The end end (the second node given to {@code newWire}). */
    public End end() {
        return end;
    }

    /** The direction from start to end. */
    public Link aToB() {
        return aToB;
    }

    /** The direction from end to start. */
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

    /** Changes the delivery slot of both directions; see {@link LinkConfig#slot(Duration)}. */
    public Wire setSlot(Duration interval) {
        aToB.setSlot(interval);
        bToA.setSlot(interval);
        return this;
    }

    /** Takes both directions down (a blackhole) or brings them back up; see {@link Link#setDown(boolean)}. */
    public Wire setDown(boolean down) {
        aToB.setDown(down);
        bToA.setDown(down);
        return this;
    }

    /** Whether both ends are plugged. */
    public boolean isPlugged() {
        return network.locked(() -> start.port != null && end.port != null);
    }

    /**
     * Unplugs both ends while the simulation runs; packets inside the wire are dropped as
     * {@link io.nettyvirtual.stats.DropReason#UNPLUGGED}.
     */
    public void unplug() {
        start.unplug();
        end.unplug();
    }

    @Override
    public String toString() {
        return "Wire(" + name + ")";
    }
}
