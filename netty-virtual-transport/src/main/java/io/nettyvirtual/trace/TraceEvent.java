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
        DropReason reason) {

    /** Checks that the fields a trace always has are set. */
    public TraceEvent {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(element, "element");
        Objects.requireNonNull(protocol, "protocol");
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
                reason);
    }

    /** This event's 64-bit hash, the one a {@link PacketTrace}'s running hash is made of. */
    public long hash() {
        return TraceHash.event(this);
    }

    /**
     * This event as one JSON object on one line, e.g. {@code {"t":10000000,"event":"DROPPED","element":"sw",
     * "proto":"UDP","src":"10.0.0.1:1000","dst":"10.0.0.9:9","size":4,"ttl":64,"ecn":0,"reason":"NO_ROUTE"}}.
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

    /** Shorter than JSON, for messages: {@code 10.000000 ms DROPPED sw UDP 10.0.0.1:1000 > 10.0.0.9:9 4 B NO_ROUTE}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(96);
        b.append(millis(nanos))
                .append(" ms ")
                .append(event)
                .append(' ')
                .append(element)
                .append(' ')
                .append(protocol)
                .append(' ');
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
