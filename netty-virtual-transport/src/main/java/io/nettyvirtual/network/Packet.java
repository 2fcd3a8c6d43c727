package io.nettyvirtual.network;

import io.netty.buffer.ByteBuf;

import java.net.InetSocketAddress;

/**
 * A datagram on its way through the network. It is owned by exactly one place at a time (a queue, a wire, a
 * channel's receive queue), and whoever drops or consumes it releases its content.
 */
public final class Packet {
    final InetSocketAddress sender;
    final InetSocketAddress recipient;
    final ByteBuf content;
    final int size;
    /** The sending channel (for port-unreachable reports); unlike {@link #credit} it stays set. */
    final SendCredit origin;
    SendCredit credit;
    /** When the packet reaches the far end of the wire it is propagating on. */
    long arrival;

    Packet(InetSocketAddress sender, InetSocketAddress recipient, ByteBuf content, SendCredit credit) {
        this.sender = sender;
        this.recipient = recipient;
        this.content = content;
        this.size = content.readableBytes();
        this.origin = credit;
        this.credit = credit;
    }

    /** The address of the channel that sent it. */
    public InetSocketAddress sender() {
        return sender;
    }

    /** The address it is sent to. */
    public InetSocketAddress recipient() {
        return recipient;
    }

    /** The payload; owned by the packet until it is delivered or dropped. */
    public ByteBuf content() {
        return content;
    }

    /** Payload size in bytes: what queues, rate limits and counters count. */
    public int size() {
        return size;
    }

    /** Returns the send-buffer credit to the sending channel, once: the packet has left the sending host. */
    void releaseCredit() {
        SendCredit c = credit;
        if (c != null) {
            credit = null;
            c.release(size);
        }
    }

    void release() {
        releaseCredit();
        content.release();
    }

    @Override
    public String toString() {
        return "Packet(" + sender + " -> " + recipient + ", " + size + " B)";
    }
}
