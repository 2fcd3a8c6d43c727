package io.nettyvirtual.capture;

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
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A pcapng capture of a virtual network, written where the network sees the packets: a {@link PacketTap} that is
 * attached like any other, to a link, a node or the whole network, and records what each element sees, stamped with
 * the network's virtual time, one pcapng interface per element, named after it.
 *
 * <pre>{@code
 * try (NetworkCapture capture = NetworkCapture.open(Path.of("capture.pcapng"))) {
 *     net.addTap(capture);                 // or wire.aToB().addTap(capture), host.addTap(capture)
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
 * UDP packet with the packet's TTL / hop limit and its ECN codepoint in the traffic class (DSCP 0). An element's
 * interface is described in the file when it first sees a packet, so the interfaces come in the order the run
 * reaches the elements, the same for every run of one seed.
 *
 * <p>An ICMP error ({@link IpProtocol#ICMP}, such as the port unreachable a host sends back) is written as a real
 * ICMPv4 or ICMPv6 message, with its type and code, its checksum, and the quoted IP and UDP headers of the datagram
 * it is about (ports and lengths included), so tshark shows it as {@code Destination unreachable (Port
 * unreachable)} with the datagram's ports.
 *
 * <p>It is called under the simulation's lock, reads the packet only during the call and keeps nothing of it. It
 * reads no wall clock and no random source, so two runs with the same seed write the same bytes. A failure to
 * write the file does not disturb the network: the capture stops recording and {@link #flush()} or
 * {@link #close()} throws it. Once closed it ignores the events it still gets; remove it from what it was added to
 * (or close the network) to save those calls. Add it to each element once: added twice (to a link and again
 * through the whole network), it records that element's packets twice.
 */
public final class NetworkCapture implements PacketTap, Closeable, Flushable {
    private final OutputStream out;
    private final int snapLength;
    /** Made with the first interface (a pcapng writer starts with one). */
    private PcapNgWriter writer;
    /** Interface id by element name; looked up only, never iterated. */
    private final Map<String, Integer> interfaces = new HashMap<>();

    private boolean closed;
    private RuntimeException failure;

    private NetworkCapture(OutputStream out, int snapLength) {
        this.out = Objects.requireNonNull(out, "out");
        this.snapLength = snapLength;
    }

    /** Creates (or truncates) {@code file}, to be filled once the capture is added as a tap. */
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
        try {
            int id = interfaceOf(element);
            if (packet.protocol() == IpProtocol.ICMP) {
                writer.writeIcmp(id, nanos, packet, event == Event.DROPPED ? reason : null);
            } else if (event == Event.ENTERED) {
                writer.write(
                        id,
                        nanos,
                        packet.source(),
                        packet.destination(),
                        packet.content(),
                        packet.ttl(),
                        packet.ecn(),
                        null);
            } else {
                writer.writeDropped(
                        id,
                        nanos,
                        packet.source(),
                        packet.destination(),
                        packet.content(),
                        packet.ttl(),
                        packet.ecn(),
                        reason);
            }
        } catch (RuntimeException e) {
            // Never thrown into the network: kept for close() and flush().
            failure = e;
        }
    }

    /** Records of packets entering an element (a dropped packet's too); its drop is counted by {@link #drops()}. */
    public synchronized long packets() {
        return writer == null ? 0 : writer.packets();
    }

    /** Drops recorded, each with its reason. */
    public synchronized long drops() {
        return writer == null ? 0 : writer.drops();
    }

    /** Interfaces in the file so far: one per element that saw a packet. */
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
     * Writes the staged records and closes the file; closing again does nothing.
     *
     * @throws UncheckedIOException (or the exception met) if recording or closing failed
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (writer == null) {
                // No packet was seen: still a valid file, with one interface.
                writer = new PcapNgWriter(out, "none", snapLength);
            }
            writer.close();
        } catch (RuntimeException e) {
            failure = failure == null ? e : failure;
        }
        checkFailure();
    }

    private void checkFailure() {
        if (failure != null) {
            throw failure;
        }
    }
}
