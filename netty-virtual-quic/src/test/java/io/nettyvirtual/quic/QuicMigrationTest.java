package io.nettyvirtual.quic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.util.concurrent.Future;
import io.nettyvirtual.network.Host;
import io.nettyvirtual.network.Interface;
import io.nettyvirtual.network.Router;
import io.nettyvirtual.network.Wire;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.network.nat.NatConfig;
import io.nettyvirtual.network.nat.NatMapping;
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
 * A phone with Wi-Fi (metric 600, behind a home NAT) and cellular (metric 1000, behind the carrier's NAT) whose
 * Wi-Fi goes down during a QUIC session. Netty's QUIC codec 4.2.18 has no client-initiated migration (no API to
 * probe or move to a new local address; see docs/nat-traversal.md, "QUIC migration"), so what happens is what the
 * OS does to a wildcard-bound socket: its next datagrams leave by cellular, from the cellular address, and the
 * server's quiche sees the connection arrive from a new address, a passive migration like a NAT rebinding.
 */
@EnabledOnOs(
        value = OS.LINUX,
        architectures = {"amd64", "x86_64"})
class QuicMigrationTest {
    private static final long MB = 1024 * 1024;
    private static final int PORT = 443;

    /** The phone's world: its two interfaces, their wires and the two NATs. */
    private static final class Phone {
        Router home;
        Router carrier;
        Interface wifi;
        Interface cell;
        Wire wifiWire;
        Wire cellWire;
        Host host;
        Channel client;
    }

    private static Phone phone(QuicInternet in) throws Exception {
        Phone p = new Phone();
        p.home = in.home("home", "198.51.100.2/24", "192.168.1.1/24");
        p.home.nat(
                p.home.iface("wan"),
                NatConfig.portRestrictedCone()
                        .externalAddresses(InetAddress.getByName("198.51.100.2"))
                        .build());
        // The carrier: a CGNAT-like symmetric NAT in front of 10.64.0.0/24, 15 ms from the ISP.
        Interface ispMobile = in.isp.newInterface("mobile", "192.0.2.1/24");
        p.carrier = in.net.newRouter("carrier");
        Interface carrierWan = p.carrier.newInterface("wan", "192.0.2.2/24");
        p.carrier.newInterface("ran", "10.64.0.1/24");
        p.carrier.defaultRoute("192.0.2.1");
        p.carrier.nat(
                carrierWan,
                NatConfig.symmetric()
                        .externalAddresses(InetAddress.getByName("192.0.2.2"))
                        .build());
        in.net.newWire(carrierWan, ispMobile, LinkConfig.delayed(Duration.ofMillis(15)));

        Host phone = in.net.newHost("phone");
        p.host = phone;
        p.wifi = phone.newInterface("wlan0", 600, "192.168.1.20/24").gateway("192.168.1.1");
        p.cell = phone.newInterface("rmnet0", 1000, "10.64.0.5/24").gateway("10.64.0.1");
        p.wifiWire = in.net.newWire(
                p.wifi,
                p.home.iface("lan"),
                LinkConfig.delayed(Duration.ofMillis(3)).bitsPerSecond(50_000_000));
        p.cellWire = in.net.newWire(
                p.cell,
                p.carrier.iface("ran"),
                LinkConfig.delayed(Duration.ofMillis(20)).bitsPerSecond(10_000_000));
        in.startServer(PORT);
        in.net.defaultHost(phone);
        p.client = in.startClient(new InetSocketAddress("0.0.0.0", 0));
        return p;
    }

    /** What a run of {@link #wifiDownBetweenDownloads} saw, to compare two runs of one seed. */
    private static final class Run {
        final List<String> events = new ArrayList<>();
        long endedAt;
    }

    private static Run wifiDownBetweenDownloads(long seed) throws Exception {
        Run run = new Run();
        try (QuicInternet in = new QuicInternet(seed)) {
            Phone p = phone(in);
            InetSocketAddress bound = (InetSocketAddress) p.client.localAddress();
            InetAddress server = InetAddress.getByName(QuicInternet.SERVER_ADDRESS);
            assertEquals(new InetSocketAddress("192.168.1.20", bound.getPort()), p.host.source(bound, server));
            QuicChannel connection = in.await(in.connect(p.client, PORT));
            assertEquals(Payload.sha256(1, MB), in.await(in.download(connection, MB, 1)), "first MiB, by Wi-Fi");
            QuicChannel atServer = in.serverConnections.get(0);
            InetSocketAddress viaWifi = p.home.natMappings().get(0).external();
            assertEquals(viaWifi, atServer.remoteSocketAddress(), "the server sees the home NAT");
            assertEquals(0, p.cellWire.aToB().counters().sent(), "nothing by cellular yet");

            in.net.runFor(Duration.ofMillis(200)); // the last ACKs cross
            long wifiSent = p.wifiWire.aToB().counters().sent();
            p.wifi.down();
            // The wildcard-bound socket's source follows the route: cellular is the only default route left.
            assertEquals(new InetSocketAddress("10.64.0.5", bound.getPort()), p.host.source(bound, server));

            assertEquals(Payload.sha256(2, MB), in.await(in.download(connection, MB, 2)), "second MiB, by cellular");
            assertEquals(wifiSent, p.wifiWire.aToB().counters().sent(), "nothing more left by Wi-Fi");
            assertTrue(p.cellWire.aToB().counters().sent() > 0);
            List<NatMapping> carrier = p.carrier.natMappings();
            assertEquals(1, carrier.size(), carrier::toString);
            assertEquals(
                    new InetSocketAddress("10.64.0.5", bound.getPort()),
                    carrier.get(0).internal());
            InetSocketAddress viaCell = carrier.get(0).external();
            assertEquals(viaCell, atServer.remoteSocketAddress(), "the server now sends to the carrier's NAT");
            assertEquals(0, in.net.counters().dropped(), in.net::summary);
            List<String> kinds = new ArrayList<>();
            for (String e : in.serverPathEvents) {
                kinds.add(e.substring(e.indexOf(' ') + 1, e.indexOf('{')));
                assertTrue(e.contains("remote=" + QuicNatTest.swapped(viaCell)), e);
            }
            assertEquals(
                    List.of(
                            "QuicPathEvent.New",
                            "QuicPathEvent.ReusedSourceConnectionId",
                            "QuicPathEvent.Validated",
                            "QuicPathEvent.PeerMigrated"),
                    kinds,
                    in.serverPathEvents::toString);
            PacketCounters c = in.net.counters();
            assertEquals(c.sent(), c.delivered() + c.dropped() + c.inFlight(), c::toString);
            in.report("Wi-Fi down between two 1 MiB downloads, " + viaWifi + " -> " + viaCell);
            run.events.addAll(in.serverPathEvents);
            run.events.addAll(in.clientWrites);
            run.endedAt = in.now();
        }
        return run;
    }

    @Test
    void wifiGoesDownBetweenTwoDownloadsAndTheConnectionContinuesOverCellular() throws Exception {
        Run first = wifiDownBetweenDownloads(1620);
        Run second = wifiDownBetweenDownloads(1620);
        assertEquals(first.endedAt, second.endedAt, "same seed, same virtual end");
        assertEquals(first.events, second.events, "same seed, same path events and client datagrams");
    }

    /**
     * Wi-Fi goes down 300 ms into a 2 MiB download: what the server had in flight towards the Wi-Fi address is
     * dropped at the phone ({@link DropReason#INTERFACE_DOWN}); the client's next datagrams leave by cellular and
     * the server moves the connection there, but, as after a NAT rebinding with data in flight
     * ({@link QuicNatTest}), quiche never retransmits what was lost on the old path: the stream stalls and the
     * connection ends by idle timeout.
     */
    @Test
    void wifiGoesDownMidTransferAndQuicheNeverRetransmitsWhatWasInFlightTowardsIt() throws Exception {
        long idle = 5_000;
        try (QuicInternet in = new QuicInternet(1621).idleTimeout(idle)) {
            Phone p = phone(in);
            QuicChannel connection = in.await(in.connect(p.client, PORT));
            Future<String> download = in.download(connection, 2 * MB, 3);
            in.net.runFor(Duration.ofMillis(300));
            assertFalse(download.isDone());
            p.wifi.down();
            QuicChannel atServer = in.serverConnections.get(0);
            assertTrue(
                    in.net.runUntil(
                            () -> !in.serverPathEvents.isEmpty()
                                    && in.serverPathEvents
                                            .get(in.serverPathEvents.size() - 1)
                                            .contains("PeerMigrated"),
                            Duration.ofSeconds(20)),
                    in.serverPathEvents::toString);
            long migratedAt = in.now();
            InetSocketAddress viaCell = p.carrier.natMappings().get(0).external();
            assertEquals(viaCell, atServer.remoteSocketAddress(), "the server moved to the cellular path");
            assertFalse(download.isDone(), "still downloading when the new path is validated");

            AssertionError stalled = assertThrows(AssertionError.class, () -> in.await(download));
            in.report("Wi-Fi down mid-transfer: " + stalled.getMessage());
            assertEquals("stream closed after 857984 of 2097152 bytes", stalled.getMessage());
            assertEquals(753, in.net.counters().dropped(DropReason.INTERFACE_DOWN), in.net::summary);
            assertEquals(in.net.counters().dropped(), in.net.counters().dropped(DropReason.INTERFACE_DOWN));
            assertTrue(connection.isTimedOut() && atServer.isTimedOut(), "both ends closed by idle timeout");
            String lastRead = in.clientReads.get(in.clientReads.size() - 1);
            long lastReadAt = Long.parseLong(lastRead.substring(0, lastRead.indexOf(' ')));
            assertTrue(lastReadAt > migratedAt, lastRead);
            assertEquals(lastReadAt + idle * 1_000_000L, in.now(), "closed at the last datagram + the idle timeout");
            PacketCounters c = in.net.counters();
            assertEquals(c.sent(), c.delivered() + c.dropped() + c.inFlight(), c::toString);
        }
    }
}
