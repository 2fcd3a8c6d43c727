package io.nettyvirtual.quic;

import static io.nettyvirtual.channel.EcnDatagramPacket.CE;
import static io.nettyvirtual.channel.EcnDatagramPacket.ECT_0;
import static io.nettyvirtual.channel.EcnDatagramPacket.NOT_ECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DatagramPacket;
import io.nettyvirtual.channel.EcnDatagramPacket;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.packet.Packet;
import io.nettyvirtual.testing.quic.Payload;
import io.nettyvirtual.time.TimeMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * What Netty's QUIC codec 4.2.18 (quiche inside) does with ECN on this transport: nothing. It never sets
 * {@code IP_TOS}, and quiche's send and receive records ({@code quiche_send_info}, {@code quiche_recv_info}) have no
 * ECN field, so it can neither mark what it sends nor count what it receives (no ACK_ECN feedback, no ECN
 * validation, no reaction to CE). A user can still make every datagram of a connection ECT through the UDP channel's
 * {@code IP_TOS}; the transport carries it and CE marks, and the codec reads the {@link EcnDatagramPacket}s as any
 * datagram, unaffected.
 */
@EnabledOnOs(
        value = OS.LINUX,
        architectures = {"amd64", "x86_64"})
class QuicEcnTest {
    private static final long SIZE = 1024 * 1024;
    private static final long SEED = 9330;

    private static final class Run {
        final List<Integer> toServer = new ArrayList<>();
        final List<Integer> toClient = new ArrayList<>();
        int clientReads;
        int clientReadsCe;
        String receivedSha256;
        long completedAt;
        List<String> trace;
    }

    /** Records each packet's codepoint on the wire into {@code into}, then marks ECT packets CE if asked; drops none. */
    private static Predicate<Packet> onTheWire(List<Integer> into, boolean markCe) {
        return p -> {
            into.add(p.ecn());
            if (markCe && p.ecn() != NOT_ECT) {
                p.ecn(CE); // a test trick: a filter that marks (as a queue discipline does) and drops nothing
            }
            return false;
        };
    }

    /** A 1 MiB download over 10 Mbit/s and 50 ms; with {@code ecn}, both UDP channels send ECT(0), marked CE. */
    private static Run download(boolean ecn) throws Exception {
        Run run = new Run();
        try (QuicRig rig = new QuicRig(TimeMode.DETERMINISTIC, SEED)) {
            LinkConfig link = LinkConfig.delayed(Duration.ofMillis(50)).bitsPerSecond(10_000_000);
            rig.wire(link.filter(onTheWire(run.toServer, false)), link.filter(onTheWire(run.toClient, ecn)));
            rig.start();
            if (ecn) {
                rig.clientChannel.config().setOption(ChannelOption.IP_TOS, ECT_0);
                rig.serverChannel.config().setOption(ChannelOption.IP_TOS, ECT_0);
            }
            rig.clientChannel.pipeline().addFirst(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    run.clientReads++;
                    if (EcnDatagramPacket.ecnOf((DatagramPacket) msg) == CE) {
                        run.clientReadsCe++;
                    }
                    ctx.fireChannelRead(msg);
                }
            });
            rig.connect();
            run.receivedSha256 = rig.download(SIZE, 3).receivedSha256;
            run.completedAt = rig.net.clock().nanoTime();
            run.trace = new ArrayList<>(rig.clientTrace);
        }
        return run;
    }

    private static void assertAll(List<Integer> codepoints, int expected, String what) {
        assertTrue(codepoints.size() > 100, what + ": " + codepoints.size() + " packets");
        for (int i = 0; i < codepoints.size(); i++) {
            assertEquals(expected, codepoints.get(i), what + ", packet " + i);
        }
    }

    @Test
    void theCodecSendsNotEctAndIgnoresCeMarks() throws Exception {
        Run plain = download(false);
        assertEquals(Payload.sha256(3, SIZE), plain.receivedSha256);
        assertAll(plain.toServer, NOT_ECT, "the codec sets no codepoint, client to server");
        assertAll(plain.toClient, NOT_ECT, "the codec sets no codepoint, server to client");
        assertEquals(0, plain.clientReadsCe);

        Run marked = download(true);
        assertEquals(Payload.sha256(3, SIZE), marked.receivedSha256, "EcnDatagramPackets reach quiche intact");
        assertAll(marked.toServer, ECT_0, "IP_TOS of the client's UDP channel");
        assertAll(marked.toClient, ECT_0, "IP_TOS of the server's UDP channel");
        assertEquals(marked.clientReads, marked.clientReadsCe, "every datagram to the client arrived CE");
        assertTrue(marked.clientReads > 100, marked.clientReads + " datagrams read by the client");

        // quiche neither feeds CE back nor slows down for it: the same datagrams at the same virtual times.
        assertEquals(plain.completedAt, marked.completedAt);
        assertEquals(plain.trace, marked.trace);
    }
}
