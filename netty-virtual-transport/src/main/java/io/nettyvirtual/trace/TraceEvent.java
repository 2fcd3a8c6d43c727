package io.nettyvirtual.trace;

import io.nettyvirtual.packet.IpProtocol;
import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.stats.PacketTap;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One event of a {@link PacketTrace}: what a {@link PacketTap} saw, copied out of the packet so that it outlives
 * it. {@code element} is the element's name ({@code network} for {@link PacketTap.Event#SENT SENT} and
 * {@link PacketTap.Event#DELIVERED DELIVERED}); {@code reason} is set for {@link PacketTap.Event#DROPPED DROPPED}
 * only; {@code size} is the datagram's payload size in bytes.
 *
 * <p>A {@link PacketTap.Event#CHANGED CHANGED} event is a topology or configuration change
 * ({@link PacketTap#changed}): it has the time, the element and {@code change}, its description; its packet fields
 * are null or 0. {@code change} is null for every packet event.
 */
public record TraceEvent(
        long nanos,
        PacketTap.Event event,
        String element,
        IpProtocol protocol,
        InetSocketAddress source,
        InetSocketAddress destination,
        int size,
        int ttl,
        int ecn,
        DropReason reason,
        String change) {

    /** Checks that the fields a trace always has are set: the protocol of a packet event, a change's description. */
    public TraceEvent {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(element, "element");
        if (event == PacketTap.Event.CHANGED) {
            Objects.requireNonNull(change, "change (of a CHANGED event)");
        } else {
            Objects.requireNonNull(protocol, "protocol");
            if (change != null) {
                throw new IllegalArgumentException(
                        "change: '" + change + "' on a " + event + " event (only a CHANGED event has one)");
            }
        }
    }

    /** A {@link PacketTap.Event#CHANGED CHANGED} event: {@code element} had {@code change} at {@code nanos}. */
    static TraceEvent change(long nanos, String element, String change) {
        return new TraceEvent(nanos, PacketTap.Event.CHANGED, element, null, null, null, 0, 0, 0, null, change);
    }

    /** The event {@code tap} saw, as its arguments stand now. */
    static TraceEvent of(long nanos, PacketTap.Event event, String element, Packet packet, DropReason reason) {
        return new TraceEvent(
                nanos,
                event,
                element,
                packet.protocol(),
                packet.source(),
                packet.destination(),
                packet.size(),
                packet.ttl(),
                packet.ecn(),
                reason,
                null);
    }

    /** This event's 64-bit hash, the one a {@link PacketTrace}'s running hash is made of. */
    public long hash() {
        return TraceHash.event(this);
    }

    /**
     * This event as one JSON object on one line, e.g. {@code {"t":10000000,"event":"DROPPED","element":"sw",
     * "proto":"UDP","src":"10.0.0.1:1000","dst":"10.0.0.9:9","size":4,"ttl":64,"ecn":0,"reason":"NO_ROUTE"}};
     * a change has only {@code t}, {@code event}, {@code element} and {@code change}.
     */
    public String toJson() {
        StringBuilder b = new StringBuilder(160);
        appendJson(b);
        return b.toString();
    }

    /** Appends {@link #toJson()} to {@code b}. */
    void appendJson(StringBuilder b) {
        b.append("{\"t\":")
                .append(nanos)
                .append(",\"event\":\"")
                .append(event.name())
                .append('"')
                .append(",\"element\":");
        string(b, element);
        if (event == PacketTap.Event.CHANGED) {
            b.append(",\"change\":");
            string(b, change);
            b.append('}');
            return;
        }
        b.append(",\"proto\":\"").append(protocol.name()).append('"').append(",\"src\":");
        address(b, source);
        b.append(",\"dst\":");
        address(b, destination);
        b.append(",\"size\":")
                .append(size)
                .append(",\"ttl\":")
                .append(ttl)
                .append(",\"ecn\":")
                .append(ecn)
                .append(",\"reason\":");
        if (reason == null) {
            b.append("null");
        } else {
            b.append('"').append(reason.name()).append('"');
        }
        b.append('}');
    }

    /**
     * Shorter than JSON, for messages: {@code 10.000000 ms DROPPED sw UDP 10.0.0.1:1000 > 10.0.0.9:9 4 B NO_ROUTE},
     * or for a change {@code 10.000000 ms CHANGED wire1 a->b configured: LinkConfig(...)}.
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(96);
        b.append(millis(nanos))
                .append(" ms ")
                .append(event)
                .append(' ')
                .append(element)
                .append(' ');
        if (event == PacketTap.Event.CHANGED) {
            return b.append(change).toString();
        }
        b.append(protocol).append(' ');
        hostPort(b, source);
        b.append(" > ");
        hostPort(b, destination);
        b.append(' ').append(size).append(" B");
        if (reason != null) {
            b.append(' ').append(reason);
        }
        return b.toString();
    }

    /** {@code nanos} as milliseconds with six decimals, e.g. {@code 10.000250}. */
    static String millis(long nanos) {
        return nanos / 1_000_000 + "." + String.format("%06d", nanos % 1_000_000);
    }

    private static void address(StringBuilder b, InetSocketAddress a) {
        if (a == null) {
            b.append("null");
            return;
        }
        b.append('"');
        hostPort(b, a);
        b.append('"');
    }

    private static void hostPort(StringBuilder b, InetSocketAddress a) {
        if (a == null) {
            b.append('-');
            return;
        }
        String host =
                a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        if (host.indexOf(':') >= 0) {
            b.append('[').append(host).append(']');
        } else {
            b.append(host);
        }
        b.append(':').append(a.getPort());
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
