package io.nettyvirtual.channel;

import io.netty.buffer.ByteBuf;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;

/**
 * A {@link DatagramPacket} with the ECN codepoint of its IP header (RFC 3168's two bits): {@link #NOT_ECT},
 * {@link #ECT_1}, {@link #ECT_0} or {@link #CE}. It is how one datagram's codepoint is set and read on a
 * {@link VirtualDatagramChannel}, as Netty's {@code SegmentedDatagramPacket} carries what a plain datagram cannot.
 *
 * <p><b>Sending.</b> Writing an {@code EcnDatagramPacket} sends that datagram with its codepoint, whatever the
 * channel's {@link io.netty.channel.ChannelOption#IP_TOS IP_TOS}; any other message is sent with the two low bits
 * of {@code IP_TOS} (as Linux uses them: the upper six bits are the DSCP), so a plain {@link DatagramPacket} from a
 * channel left at its default {@code IP_TOS} of 0 is Not-ECT.
 *
 * <p><b>Receiving.</b> A channel reads a datagram that arrived with an ECN-capable codepoint or CE as an
 * {@code EcnDatagramPacket}, and a Not-ECT datagram as a plain {@link DatagramPacket}, so a reader that does not use
 * ECN sees what it always saw and pays nothing for it. {@link #ecnOf(DatagramPacket)} reads the codepoint of
 * either. A queue on the way may have changed ECT(0) or ECT(1) to CE, to signal congestion without a drop.
 */
public final class EcnDatagramPacket extends DatagramPacket {
    /** Not ECN-capable transport (binary 00). */
    public static final int NOT_ECT = 0;
    /** ECN-capable transport, codepoint ECT(1) (binary 01): the L4S identifier of RFC 9330/9331. */
    public static final int ECT_1 = 1;
    /** ECN-capable transport, codepoint ECT(0) (binary 10): classic ECN of RFC 3168. */
    public static final int ECT_0 = 2;
    /** Congestion experienced (binary 11), set by the network on an ECN-capable packet in place of a drop. */
    public static final int CE = 3;

    private final int ecn;

    /** A datagram to {@code recipient} with the ECN codepoint {@code ecn} (0 to 3). */
    public EcnDatagramPacket(ByteBuf data, InetSocketAddress recipient, int ecn) {
        super(data, recipient);
        this.ecn = checkEcn(ecn);
    }

    /** A datagram from {@code sender} to {@code recipient} with the ECN codepoint {@code ecn} (0 to 3). */
    public EcnDatagramPacket(ByteBuf data, InetSocketAddress recipient, InetSocketAddress sender, int ecn) {
        super(data, recipient, sender);
        this.ecn = checkEcn(ecn);
    }

    /** The ECN codepoint: {@link #NOT_ECT}, {@link #ECT_1}, {@link #ECT_0} or {@link #CE}. */
    public int ecn() {
        return ecn;
    }

    /**
     * The ECN codepoint of {@code packet}: its {@link #ecn()} if it is an {@code EcnDatagramPacket}, else
     * {@link #NOT_ECT} (how a {@link VirtualDatagramChannel} reads a Not-ECT datagram).
     */
    public static int ecnOf(DatagramPacket packet) {
        return packet instanceof EcnDatagramPacket ? ((EcnDatagramPacket) packet).ecn : NOT_ECT;
    }

    /** The name of {@code codepoint} as RFC 3168 writes it ("Not-ECT", "ECT(1)", "ECT(0)", "CE"). */
    public static String ecnName(int codepoint) {
        switch (checkEcn(codepoint)) {
            case NOT_ECT:
                return "Not-ECT";
            case ECT_1:
                return "ECT(1)";
            case ECT_0:
                return "ECT(0)";
            default:
                return "CE";
        }
    }

    static int checkEcn(int ecn) {
        if ((ecn & ~3) != 0) {
            throw new IllegalArgumentException(
                    "ecn: " + ecn + " (expected a 2-bit ECN codepoint: 0 Not-ECT, 1 ECT(1), 2 ECT(0), 3 CE)");
        }
        return ecn;
    }

    @Override
    public EcnDatagramPacket copy() {
        return replace(content().copy());
    }

    @Override
    public EcnDatagramPacket duplicate() {
        return replace(content().duplicate());
    }

    @Override
    public EcnDatagramPacket retainedDuplicate() {
        return replace(content().retainedDuplicate());
    }

    @Override
    public EcnDatagramPacket replace(ByteBuf content) {
        return new EcnDatagramPacket(content, recipient(), sender(), ecn);
    }

    @Override
    public EcnDatagramPacket retain() {
        super.retain();
        return this;
    }

    @Override
    public EcnDatagramPacket retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public EcnDatagramPacket touch() {
        super.touch();
        return this;
    }

    @Override
    public EcnDatagramPacket touch(Object hint) {
        super.touch(hint);
        return this;
    }

    @Override
    public String toString() {
        String s = super.toString();
        return s.substring(0, s.length() - 1) + ", " + ecnName(ecn) + ')';
    }
}
