package io.nettyvirtual.packet;

import io.netty.buffer.ByteBuf;

import java.net.InetSocketAddress;

/**
 * A datagram on its way through the network. It is owned by exactly one place at a time (a queue, a link stage, a
 * channel's receive queue), and whoever drops or consumes it releases its content.
 *
 * <p>It lives below both the network model and the link stages so that neither needs the other to move it. The
 * mutating methods ({@link #releaseCredit()}, {@link #release()}) are for the network's elements; a link filter
 * only looks.
 */
public final class Packet {
    private final InetSocketAddress sender;
    private final InetSocketAddress recipient;
    private final ByteBuf content;
    private final int size;
    /** The sending channel (for port-unreachable reports); unlike {@link #credit} it stays set. */
    private final SendCredit origin;
    private SendCredit credit;
    private int ecn;

    /**
     * A packet from {@code sender} to {@code recipient} that takes ownership of {@code content}; {@code credit} (may
     * be null) gets the bytes back once the packet has left the sending host.
     */
    public Packet(InetSocketAddress sender, InetSocketAddress recipient, ByteBuf content, SendCredit credit) {
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

    /** The sending channel's side, kept for reports such as port unreachable; null when none was given. */
    public SendCredit origin() {
        return origin;
    }

    /**
     * The packet's 2-bit ECN codepoint (RFC 3168): 0 Not-ECT, 1 ECT(1), 2 ECT(0), 3 CE. A queue discipline sets CE
     * instead of dropping an ECN-capable packet.
     */
    public int ecn() {
        return ecn;
    }

    /** Sets the ECN codepoint, 0 to 3 (see {@link #ecn()}). */
    public void ecn(int codepoint) {
        if ((codepoint & ~3) != 0) {
            throw new IllegalArgumentException("ecn: " + codepoint + " (expected a 2-bit codepoint 0..3)");
        }
        this.ecn = codepoint;
    }

    /** Returns the send-buffer credit to the sending channel, once: the packet has left the sending host. */
    public void releaseCredit() {
        SendCredit c = credit;
        if (c != null) {
            credit = null;
            c.release(size);
        }
    }

    /** Ends the packet: returns its credit (if not yet returned) and releases its content. */
    public void release() {
        releaseCredit();
        content.release();
    }

    @Override
    public String toString() {
        return "Packet(" + sender + " -> " + recipient + ", " + size + " B)";
    }
}
