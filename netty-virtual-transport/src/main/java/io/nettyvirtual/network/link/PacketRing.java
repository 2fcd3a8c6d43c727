package io.nettyvirtual.network.link;

import io.nettyvirtual.packet.Packet;

/**
 * A FIFO of packets with each one's enqueue time in a parallel ring of longs, so that a discipline knows sojourn
 * times without allocating per packet; it grows by doubling and never shrinks. It also counts its bytes.
 */
final class PacketRing {
    private Packet[] packets;
    private long[] times;
    private int head;
    private int size;
    private long bytes;

    PacketRing(int initialCapacity) {
        int c = Integer.highestOneBit(Math.max(2, initialCapacity - 1)) << 1;
        packets = new Packet[c];
        times = new long[c];
    }

    void addLast(Packet p, long enqueueTime) {
        if (size == packets.length) {
            grow();
        }
        int i = (head + size) & (packets.length - 1);
        packets[i] = p;
        times[i] = enqueueTime;
        size++;
        bytes += p.size();
    }

    /** The oldest packet, or null. */
    Packet peekFirst() {
        return size == 0 ? null : packets[head];
    }

    /** The oldest packet's enqueue time; only when not empty. */
    long firstTime() {
        return times[head];
    }

    /** Removes and returns the oldest packet, or null. */
    Packet pollFirst() {
        if (size == 0) {
            return null;
        }
        Packet p = packets[head];
        packets[head] = null;
        head = (head + 1) & (packets.length - 1);
        size--;
        bytes -= p.size();
        return p;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    long bytes() {
        return bytes;
    }

    private void grow() {
        int n = packets.length;
        Packet[] p = new Packet[n << 1];
        long[] t = new long[n << 1];
        int first = n - head;
        System.arraycopy(packets, head, p, 0, first);
        System.arraycopy(packets, 0, p, first, head);
        System.arraycopy(times, head, t, 0, first);
        System.arraycopy(times, 0, t, first, head);
        packets = p;
        times = t;
        head = 0;
    }
}
