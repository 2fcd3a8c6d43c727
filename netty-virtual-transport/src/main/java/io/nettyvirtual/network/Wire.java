package io.nettyvirtual.network;

import io.nettyvirtual.network.link.LinkConfig;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A wire: two independent {@link Link}s, one per direction, each with its own {@link LinkConfig} (delay, rate
 * limit, queue, loss...), between two {@link End}s. {@link #configure} and {@link #update} change both directions at
 * once; {@link #aToB()} and {@link #bToA()} reach each one. Join two nodes at once with
 * {@link io.nettyvirtual.VirtualNetwork#newWire(Node, Node, LinkConfig)}, or create a free wire with
 * {@link io.nettyvirtual.VirtualNetwork#newWire(LinkConfig)} and plug its ends while the
 * simulation runs.
 */
public final class Wire {
    private final NetworkModel model;
    private final String name;
    private final Link aToB;
    private final Link bToA;
    private final End start = new End(true);
    private final End end = new End(false);

    Wire(NetworkModel model, String name, LinkConfig ab, LinkConfig ba) {
        Objects.requireNonNull(ab, "config of the start->end direction");
        Objects.requireNonNull(ba, "config of the end->start direction");
        this.model = model;
        this.name = name;
        this.aToB = new Link(model, name + " start->end", ab);
        this.bToA = new Link(model, name + " end->start", ba);
    }

    /** One end of the wire. */
    public final class End {
        private final boolean isStart;
        private Port port;

        private End(boolean isStart) {
            this.isStart = isStart;
        }

        /**
         * Plugs {@code target} into this end: a switch takes any number of wires; a host or router takes its next
         * interface that is not plugged, or the {@link Interface} given.
         */
        public Wire plug(Pluggable target) {
            Node node = target.node();
            if (node.model != model) {
                throw new IllegalArgumentException("node " + node.name + " belongs to another network");
            }
            model.locked(() -> {
                if (port != null) {
                    throw new IllegalStateException(
                            name + "'s " + (isStart ? "start" : "end") + " is already plugged into " + port.node.name);
                }
                port = Node.plugPort(target);
                port.out = isStart ? aToB : bToA;
                (isStart ? bToA : aToB).connect(port);
                rename();
                joinPeers();
                model.topologyChanged(node, null);
            });
            return Wire.this;
        }

        /** Unplugs this end; packets inside the wire are dropped as unplugged. */
        public void unplug() {
            model.locked(() -> {
                if (port == null) {
                    return;
                }
                aToB.clear();
                bToA.clear();
                Port p = port;
                port = null;
                (isStart ? bToA : aToB).connect(null);
                Node other = null;
                if (p.peer != null) {
                    other = p.peer.node;
                    p.split();
                }
                p.node.portUnplugged(p);
                model.topologyChanged(p.node, other);
            });
        }

        /** The node plugged into this end, or null. */
        public Node node() {
            return model.locked(() -> port == null ? null : port.node);
        }
    }

    private void joinPeers() {
        if (start.port != null && end.port != null) {
            Port.join(start.port, end.port);
        }
    }

    private void rename() {
        String s = start.port == null ? "start" : start.port.node.name;
        String e = end.port == null ? "end" : end.port.node.name;
        aToB.counter.name(name + " " + s + "->" + e);
        bToA.counter.name(name + " " + e + "->" + s);
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

    /** Replaces every setting of both directions with {@code config}'s. */
    public Wire configure(LinkConfig config) {
        Objects.requireNonNull(config, "config");
        model.locked(() -> {
            aToB.apply(config);
            bToA.apply(config);
        });
        return this;
    }

    /**
     * Applies to each direction the config that {@code change} derives from that direction's own config in force
     * (so asymmetric directions stay asymmetric): {@code wire.update(c -> c.down(true))}. Both change at the same
     * instant; if the function throws for either, neither changes.
     */
    public Wire update(UnaryOperator<LinkConfig> change) {
        Objects.requireNonNull(change, "change");
        model.locked(() -> {
            LinkConfig ab = aToB.derive(change);
            LinkConfig ba = bToA.derive(change);
            aToB.apply(ab);
            bToA.apply(ba);
        });
        return this;
    }

    /** Whether both ends are plugged. */
    public boolean isPlugged() {
        return model.locked(() -> start.port != null && end.port != null);
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
