package io.nettyvirtual.capture;

import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.network.Link;
import io.nettyvirtual.network.Node;
import io.nettyvirtual.network.Wire;
import io.nettyvirtual.packet.IpProtocol;
import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.stats.PacketTap;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A pcapng capture of a virtual network, written where the network sees the packets: attached to a link, a wire
 * (both its links), a node or the whole network, it records what the element sees, stamped with the network's
 * virtual time, one pcapng interface per element, named after it.
 *
 * <pre>{@code
 * try (NetworkCapture capture = NetworkCapture.open(Path.of("wire.pcapng")).attachTo(wire)) {
 *     net.runUntilIdle();
 * }
 * }</pre>
 *
 * <p>An element's interface shows every packet as it <em>enters</em> the element ({@link PacketTap.Event#ENTERED}:
 * for a link, the moment the sending node puts it on the wire; for a host, a datagram from one of its sockets or one
 * arriving from a wire) and every packet the element <em>drops</em> ({@link PacketTap.Event#DROPPED}), at the time
 * of the drop, with the comment {@code dropped: <reason>}. A dropped packet thus appears twice on its element's
 * interface: as it entered, and as its drop. {@link PacketTap.Event#LEFT} is not recorded (the packet is already
 * on the interface of the next element it enters), nor are the network's {@code SENT} and {@code DELIVERED} (every
 * sent packet enters its host, every delivered one entered the receiving host). Each record is an IPv4 or IPv6 +
 * UDP packet with the packet's TTL / hop limit and its ECN codepoint in the traffic class (DSCP 0).
 *
 * <p>ICMP errors ({@link IpProtocol#ICMP}) are not written, since the writers build UDP records only; they are
 * counted by {@link #skipped()}.
 *
 * <p>The capture is a {@link PacketTap}: it is called under the simulation's lock, reads the packet only during the
 * call and keeps nothing of it. It reads no wall clock and no random source, so two runs with the same seed write
 * the same bytes. A failure to write the file does not disturb the network: the capture stops recording and
 * {@link #close()} (or {@link #flush()}) throws it. Closing detaches the capture from everything it was attached to.
 * A capture observes one network.
 */
public final class NetworkCapture implements PacketTap, Closeable, Flushable {
    private final OutputStream out;
    private final int snapLength;
    /** Made with the first interface (a pcapng writer starts with one). */
    private PcapNgWriter writer;
    /** Interface id by element name; looked up only, never iterated. */
    private final Map<String, Integer> interfaces = new HashMap<>();
    private final List<Runnable> detach = new ArrayList<>();
    private final List<Object> attached = new ArrayList<>();
    private boolean network;
    private boolean closed;
    private long skipped;
    private RuntimeException failure;

    private NetworkCapture(OutputStream out, int snapLength) {
        this.out = Objects.requireNonNull(out, "out");
        this.snapLength = snapLength;
    }

    /** Creates (or truncates) {@code file}, to be filled once attached to elements. */
    public static NetworkCapture open(Path file) throws IOException {
        return open(file, CaptureWriter.DEFAULT_SNAP_LENGTH);
    }

    /** As {@link #open(Path)}, keeping at most {@code snapLength} bytes of each IP packet. */
    public static NetworkCapture open(Path file, int snapLength) throws IOException {
        Objects.requireNonNull(file, "file");
        checkSnapLength(snapLength);
        return new NetworkCapture(Files.newOutputStream(file), snapLength);
    }

    private static void checkSnapLength(int snapLength) {
        if (snapLength < CaptureWriter.MIN_SNAP_LENGTH) {
            throw new IllegalArgumentException("snapLength: " + snapLength + " (expected at least "
                    + CaptureWriter.MIN_SNAP_LENGTH + ", the IPv6 and UDP headers)");
        }
    }

    /**
     * Captures the whole network: every node and link, present and future, each on its own interface (the present
     * ones in creation order, nodes first, then each wire's two links; later ones when they first see a packet).
     *
     * @throws IllegalStateException if this capture is already attached to anything
     */
    public NetworkCapture attachTo(VirtualNetwork net) {
        Objects.requireNonNull(net, "net");
        // Names are read before taking this capture's monitor: the network's lock is never taken inside it.
        List<String> names = new ArrayList<>();
        for (Node node : net.nodes()) {
            names.add(node.name());
        }
        for (Wire wire : net.wires()) {
            names.add(wire.aToB().name());
            names.add(wire.bToA().name());
        }
        synchronized (this) {
            checkAttachable();
            if (!attached.isEmpty()) {
                throw new IllegalStateException("capture already attached to " + attached.size()
                        + " element(s): attach it to the whole network alone");
            }
            network = true;
            attached.add(net);
            for (String name : names) {
                interfaceOf(name);
            }
        }
        net.addTap(this);
        synchronized (this) {
            detach.add(() -> net.removeTap(this));
        }
        return this;
    }

    /**
     * Captures {@code link}: each packet as it enters it (put on the wire by the sending node) and each one it drops.
     *
     * @throws IllegalStateException if this capture already captures this link or the whole network
     */
    public NetworkCapture attachTo(Link link) {
        Objects.requireNonNull(link, "link");
        String name = link.name();
        synchronized (this) {
            checkElement(link, name);
            interfaceOf(name);
        }
        link.addTap(this);
        synchronized (this) {
            detach.add(() -> link.removeTap(this));
        }
        return this;
    }

    /** Captures both links of {@code wire}, each on its own interface ({@code a->b} first). */
    public NetworkCapture attachTo(Wire wire) {
        Objects.requireNonNull(wire, "wire");
        return attachTo(wire.aToB()).attachTo(wire.bToA());
    }

    /**
     * Captures {@code node}: each packet as it enters it (from a socket of a host or from a wire) and each one it
     * drops.
     *
     * @throws IllegalStateException if this capture already captures this node or the whole network
     */
    public NetworkCapture attachTo(Node node) {
        Objects.requireNonNull(node, "node");
        String name = node.name();
        synchronized (this) {
            checkElement(node, name);
            interfaceOf(name);
        }
        node.addTap(this);
        synchronized (this) {
            detach.add(() -> node.removeTap(this));
        }
        return this;
    }

    private void checkAttachable() {
        if (closed) {
            throw new IllegalStateException("the capture is closed");
        }
    }

    private void checkElement(Object element, String name) {
        checkAttachable();
        if (network) {
            throw new IllegalStateException("capture already captures the whole network, " + name + " included");
        }
        for (Object a : attached) {
            if (a == element) {
                throw new IllegalStateException("capture already attached to " + name);
            }
        }
        attached.add(element);
    }

    /** The interface of the element named {@code name}, described in the file on first use. */
    private int interfaceOf(String name) {
        Integer id = interfaces.get(name);
        if (id != null) {
            return id;
        }
        int made;
        if (writer == null) {
            writer = new PcapNgWriter(out, name, snapLength);
            made = 0;
        } else {
            made = writer.addInterface(name);
        }
        interfaces.put(name, made);
        return made;
    }

    @Override
    public synchronized void packet(long nanos, Event event, String element, Packet packet, DropReason reason) {
        if (event != Event.ENTERED && event != Event.DROPPED || closed || failure != null) {
            return;
        }
        if (packet.protocol() != IpProtocol.UDP) {
            skipped++;
            return;
        }
        try {
            int id = interfaceOf(element);
            if (event == Event.ENTERED) {
                writer.write(id, nanos, packet.source(), packet.destination(), packet.content(), packet.ttl(),
                        packet.ecn(), null);
            } else {
                writer.writeDropped(id, nanos, packet.source(), packet.destination(), packet.content(), packet.ttl(),
                        packet.ecn(), reason);
            }
        } catch (RuntimeException e) {
            // Never thrown into the network: kept for close() and flush().
            failure = e;
        }
    }

    /** Packets recorded as seen (entering an element), dropped ones included. */
    public synchronized long packets() {
        return writer == null ? 0 : writer.packets();
    }

    /** Drops recorded, each with its reason. */
    public synchronized long drops() {
        return writer == null ? 0 : writer.drops();
    }

    /** Events of ICMP packets, which are not written. */
    public synchronized long skipped() {
        return skipped;
    }

    /** Interfaces in the file so far: one per element that was attached or, on a network, saw a packet. */
    public synchronized int interfaces() {
        return interfaces.size();
    }

    /**
     * Writes the staged records to the file.
     *
     * @throws UncheckedIOException (or the exception met) if recording failed
     */
    @Override
    public synchronized void flush() {
        checkFailure();
        if (writer != null && !closed) {
            writer.flush();
        }
    }

    /**
     * Detaches the capture from every element and closes the file; closing again does nothing.
     *
     * @throws UncheckedIOException (or the exception met) if recording or closing failed
     */
    @Override
    public void close() {
        List<Runnable> undo;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            undo = new ArrayList<>(detach);
            detach.clear();
        }
        for (Runnable r : undo) {
            try {
                r.run();
            } catch (RuntimeException e) {
                // The network was closed first: it sends no more events, there is nothing to detach from.
            }
        }
        synchronized (this) {
            try {
                if (writer == null) {
                    // Attached to nothing that saw a packet: still a valid file, with one interface.
                    writer = new PcapNgWriter(out, "none", snapLength);
                }
                writer.close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
            checkFailure();
        }
    }

    private void checkFailure() {
        if (failure != null) {
            throw failure;
        }
    }
}
