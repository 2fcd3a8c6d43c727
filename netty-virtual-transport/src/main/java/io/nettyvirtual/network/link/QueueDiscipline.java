package io.nettyvirtual.network.link;

import io.nettyvirtual.packet.Packet;

/**
 * The queue in front of a link's rate limiter ({@link Serializer}): it decides which waiting packet is serialized
 * next and which packets are dropped (or, later, marked) when the queue is too long. It holds only packets that
 * wait; the one being serialized is the serializer's. The default is {@link TailDropFifo}.
 *
 * <p>A discipline drops through the {@link LinkContext} it was made with, so that every drop is counted at the link
 * and network-wide with its reason. It is called with the simulation's lock held and must not allocate per packet.
 */
interface QueueDiscipline {
    /** Reads the discipline's limits from {@code config}; packets already waiting are kept. */
    void configure(LinkConfig config);

    /** Takes {@code p}, which must wait: queues it, or drops it (or another packet) to stay within its limits. */
    void enqueue(Packet p);

    /** Removes and returns the packet to serialize next, or null when none waits. */
    Packet dequeue();

    /** Packets waiting now. */
    int packets();

    /** Bytes waiting now. */
    long bytes();

    /** Drops every waiting packet as unplugged. */
    void clear();
}
