package io.nettyvirtual.quic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClosedChannelException;
import io.netty.util.concurrent.Future;
import io.nettyvirtual.network.Host;
import io.nettyvirtual.network.Router;
import io.nettyvirtual.network.firewall.FirewallAction;
import io.nettyvirtual.network.firewall.FirewallPolicy;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.network.nat.NatConfig;
import io.nettyvirtual.stats.DropReason;
import io.nettyvirtual.stats.PacketCounters;
import io.nettyvirtual.testing.quic.Payload;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Netty's QUIC codec behind a corporate router (a NAT and a stateful firewall on its outside interface): with
 * {@link FirewallPolicy#blockUdp()} the handshake fails by quiche's idle timeout at an exact virtual time, every
 * datagram counted as {@link DropReason#FIREWALL_DROPPED}; with {@link FirewallPolicy#udp443Only()} a server on
 * port 443 is reached (its replies come back through the firewall's connection tracking) and one on any other port
 * is not.
 */
@EnabledOnOs(
        value = OS.LINUX,
        architectures = {"amd64", "x86_64"})
class QuicFirewallTest {
    private static final long IDLE_MILLIS = 5_000;

    /** A corporate router with a NAT and {@code policy} on its outside, and a desktop behind it; returns it. */
    private static Router office(QuicInternet in, FirewallPolicy policy) throws Exception {
        Router corp = in.home("corp", "198.51.100.20/24", "10.1.0.1/16");
        corp.nat(
                corp.iface("wan"),
                NatConfig.portRestrictedCone()
                        .externalAddresses(InetAddress.getByName("198.51.100.20"))
                        .build());
        corp.firewall(corp.iface("wan"), policy);
        Host desktop = in.net.newHost("desktop", "10.1.2.3/16").defaultGateway("10.1.0.1");
        in.net.newWire(desktop, corp.iface("lan"), LinkConfig.delayed(Duration.ofMillis(1)));
        return corp;
    }

    /**
     * Starts a handshake from the desktop to the server's {@code port}, expects it to fail, and checks how: at
     * exactly the idle timeout after the first Initial, every datagram the client sent dropped by the firewall,
     * none reaching the ISP.
     */
    private static void assertHandshakeFailsAtTheFirewall(QuicInternet in, Router corp, int port) throws Exception {
        Channel client = in.startClient(new InetSocketAddress("10.1.2.3", 0));
        long start = in.now();
        Future<QuicChannel> connect = in.connect(client, port);
        in.net.runUntil(connect::isDone, Duration.ofSeconds(60));
        assertTrue(connect.isDone(), "no hang: the connect ends");
        assertFalse(connect.isSuccess(), "the connect fails");
        assertTrue(connect.cause() instanceof QuicClosedChannelException, connect.cause()::toString);
        // quiche's idle timer starts with the first Initial (nothing ever answers): 5 s later, exactly.
        assertEquals(start + IDLE_MILLIS * 1_000_000L, in.now(), "failed at the idle timeout");
        in.report("handshake to port " + port + " failed with " + connect.cause());
        // The Initial, and its retransmissions at quiche's PTOs (999 ms from an initial RTT of 333 ms, doubled),
        // then, as the codec closes the connection, empty datagrams: Netty 4.2.18's QUIC codec writes them.
        List<String> handshake = new ArrayList<>();
        for (String w : in.clientWrites) {
            if (!w.endsWith(" 0")) {
                handshake.add(w);
            }
        }
        assertEquals(List.of("0 1200", "999000000 1200", "2997000000 1200", "2997000000 1200"), handshake);
        in.net.runFor(Duration.ofMillis(10));
        long sent = in.clientWrites.size();
        assertEquals(sent, in.net.counters().dropped(DropReason.FIREWALL_DROPPED), in.net::summary);
        assertEquals(sent, corp.firewall().count(FirewallAction.DROP), corp.firewall()::toString);
        assertEquals(0, in.isp.counters().sent(), "nothing got past the office: " + in.net.summary());
        assertEquals(0, in.serverConnections.size());
        assertTrue(in.clientReads.isEmpty(), in.clientReads::toString);
        PacketCounters c = in.net.counters();
        assertEquals(c.sent(), c.delivered() + c.dropped() + c.inFlight(), c::toString);
    }

    @Test
    void aFirewallThatBlocksUdpFailsTheHandshakeByIdleTimeout() throws Exception {
        try (QuicInternet in = new QuicInternet(1610).idleTimeout(IDLE_MILLIS)) {
            Router corp = office(in, FirewallPolicy.blockUdp());
            in.startServer(443);
            assertHandshakeFailsAtTheFirewall(in, corp, 443);
        }
    }

    @Test
    void theUdp443OnlyFirewallLetsQuicOnPort443Through() throws Exception {
        try (QuicInternet in = new QuicInternet(1611).idleTimeout(IDLE_MILLIS)) {
            Router corp = office(in, FirewallPolicy.udp443Only());
            in.startServer(443);
            Channel client = in.startClient(new InetSocketAddress("10.1.2.3", 0));
            QuicChannel connection = in.await(in.connect(client, 443));
            long size = 256 * 1024;
            assertEquals(Payload.sha256(4, size), in.await(in.download(connection, size, 4)));
            in.net.runFor(Duration.ofMillis(10)); // the last ACKs reach the firewall
            assertEquals(0, in.net.counters().dropped(), in.net::summary);
            long allowed = corp.firewall().count(FirewallAction.ALLOW);
            assertEquals(in.clientWrites.size() + in.clientReads.size(), allowed, corp.firewall()::toString);
            in.report("256 KiB through the UDP-443-only firewall");
        }
    }

    @Test
    void theUdp443OnlyFirewallBlocksQuicOnAnotherPort() throws Exception {
        try (QuicInternet in = new QuicInternet(1612).idleTimeout(IDLE_MILLIS)) {
            Router corp = office(in, FirewallPolicy.udp443Only());
            in.startServer(4433);
            assertHandshakeFailsAtTheFirewall(in, corp, 4433);
        }
    }
}
