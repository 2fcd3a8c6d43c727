package io.nettyvirtual.stats;

import io.nettyvirtual.packet.Packet;

/**
 * An observer of packets, the one seam that captures, traces and reports attach to: on a link, on a node, or on
 * the whole network (which also attaches it to every element, present and future). It sees each packet when it is
 * {@linkplain Event#SENT sent} into the network by a host, {@linkplain Event#ENTERED enters} and
 * {@linkplain Event#LEFT leaves} an element, is {@linkplain Event#DROPPED dropped} (with the reason) and is
 * {@linkplain Event#DELIVERED delivered} to a socket, with the virtual time. A tap attached to the whole network
 * also hears of the topology and configuration changes ({@link #changed}), which a trace records among the packets.
 *
 * <p>It is called where the counting happens, with the simulation's lock held, on whichever thread fires the event;
 * it must not block, drive the network or keep the packet: it may read the packet's header fields and size, and its
 * content only during the call (the packet's owner may release it right after). With nothing attached an element
 * pays one null check per event.
 */
@FunctionalInterface
public interface PacketTap {

    /** What happened to the packet. */
    enum Event {
        /** A host sent it into the network (a datagram from a channel, or an ICMP error the host made). */
        SENT,
        /** It entered the element. */
        ENTERED,
        /** It left the element, handed on. */
        LEFT,
        /** The element dropped it; the reason is given. */
        DROPPED,
        /** It left the network into a socket (a datagram read by a channel, an ICMP error reported to one). */
        DELIVERED,
        /**
         * Not a packet event: the topology or an element's settings changed ({@link #changed}); never passed to
         * {@link #packet}, it names that kind of event where packet events and changes are kept together (a trace).
         */
        CHANGED
    }

    /**
     * {@code packet} had {@code event} at {@code element} (the element's name, {@code network} for
     * {@link Event#SENT} and {@link Event#DELIVERED}) at virtual time {@code nanos}; {@code reason} is set for
     * {@link Event#DROPPED} only.
     */
    void packet(long nanos, Event event, String element, Packet packet, DropReason reason);

    /**
     * The network changed at virtual time {@code nanos}, at {@code element} (a node's or a link direction's name):
     * something was plugged or unplugged there, or its settings were replaced. {@code change} is a short description
     * that is the same from run to run of one seed, e.g. {@code "topology changed: sw, h1 (version 3)"} or
     * {@code "configured LinkConfig(delay 5.0 ms, ...)"}. Only taps attached to the whole network are told; by
     * default this does nothing. Called with the simulation's lock held, like {@link #packet}.
     */
    default void changed(long nanos, String element, String change) {}
}
