package io.nettyvirtual.trace;

import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.stats.PacketTap;
import java.net.InetSocketAddress;

/**
 * The 64-bit hash of one trace event and the running hash over a sequence of them: a multiply-rotate mix of each
 * field in a fixed order, finished with MurmurHash3's avalanche. It reads only primitive fields and value-based hash
 * codes (a string's, an address's), so it allocates nothing and depends on no identity hash code.
 */
final class TraceHash {
    /** The running hash of an empty trace. */
    static final long EMPTY = 0x6A09E667F3BCC909L;

    private static final long K1 = 0x9E3779B97F4A7C15L;
    private static final long K2 = 0xBF58476D1CE4E5B9L;

    private TraceHash() {}

    static long event(long nanos, PacketTap.Event event, String element, Packet packet, DropReason reason) {
        long h = K2;
        h = mix(h, nanos);
        h = mix(h, event.ordinal());
        h = mix(h, string(element));
        h = mix(h, packet.protocol().ordinal());
        h = mix(h, address(packet.source()));
        h = mix(h, address(packet.destination()));
        h = mix(h, packet.size());
        h = mix(h, ((long) packet.ttl() << 8) | packet.ecn());
        h = mix(h, reason == null ? -1 : reason.ordinal());
        return avalanche(h);
    }

    /** The hash of a {@link PacketTap.Event#CHANGED} event. */
    static long change(long nanos, String element, String change) {
        long h = K2;
        h = mix(h, nanos);
        h = mix(h, PacketTap.Event.CHANGED.ordinal());
        h = mix(h, string(element));
        h = mix(h, string(change));
        return avalanche(h);
    }

    static long event(TraceEvent e) {
        if (e.event() == PacketTap.Event.CHANGED) {
            return change(e.nanos(), e.element(), e.change());
        }
        long h = K2;
        h = mix(h, e.nanos());
        h = mix(h, e.event().ordinal());
        h = mix(h, string(e.element()));
        h = mix(h, e.protocol().ordinal());
        h = mix(h, address(e.source()));
        h = mix(h, address(e.destination()));
        h = mix(h, e.size());
        h = mix(h, ((long) e.ttl() << 8) | e.ecn());
        h = mix(h, e.reason() == null ? -1 : e.reason().ordinal());
        return avalanche(h);
    }

    /** The running hash after {@code eventHash} is appended to a trace whose running hash was {@code running}. */
    static long append(long running, long eventHash) {
        return avalanche(mix(running, eventHash));
    }

    private static long mix(long h, long v) {
        return Long.rotateLeft(h ^ (v * K1), 29) * K2;
    }

    /**
     * A string's {@link String#hashCode()}: specified by the JDK (a polynomial over the chars, the same in every
     * JVM and run) and cached in the string, so an element's name, hashed at every event, costs a field read.
     */
    private static long string(String s) {
        return s.hashCode();
    }

    private static long address(InetSocketAddress a) {
        if (a == null) {
            return 0;
        }
        // InetAddress.hashCode is computed from the address bytes (the IPv4 address itself for IPv4): no identity.
        return ((long) (a.getAddress() == null ? 0 : a.getAddress().hashCode()) << 16) | a.getPort();
    }

    private static long avalanche(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB93FE1A85EC5L;
        h ^= h >>> 33;
        return h;
    }
}
