package io.nettyvirtual.quic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicConnectionPathStats;
import io.netty.util.concurrent.Future;
import io.nettyvirtual.network.Host;
import io.nettyvirtual.network.Router;
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
 * Netty's QUIC codec (quiche inside) behind a home router's NAT that rebinds the client's mapping to a new external
 * port ({@link Router#rebindNat}): the server sees datagrams of the connection arrive from a new address, validates
 * the new path (PATH_CHALLENGE, PATH_RESPONSE) and moves the connection to it. That works while nothing of the
 * server's is in flight; what was in flight towards the old port when the NAT moved is never retransmitted by the
 * quiche that Netty 4.2.18 bundles (cloudflare/quiche#2452), and the stream stalls until the idle timeout: both are
 * pinned here, by seed and in exact virtual time. See docs/nat-traversal.md, "QUIC migration".
 */
@EnabledOnOs(
        value = OS.LINUX,
        architectures = {"amd64", "x86_64"})
class QuicNatTest {
    private static final long MB = 1024 * 1024;
    private static final int PORT = 4433;
    static final InetSocketAddress LAPTOP = new InetSocketAddress("192.168.1.10", 0);

    /** The server's internet, a home router with a port-restricted cone NAT, and a laptop behind it, 5 ms away. */
    static Router homeWithNat(QuicInternet in) throws Exception {
        Router home = in.home("home", "198.51.100.2/24", "192.168.1.1/24");
        home.nat(
                home.iface("wan"),
                NatConfig.portRestrictedCone()
                        .externalAddresses(InetAddress.getByName("198.51.100.2"))
                        .build());
        Host laptop = in.net.newHost("laptop", "192.168.1.10/24").defaultGateway("192.168.1.1");
        in.net.newWire(
                laptop,
                home.iface("lan"),
                LinkConfig.delayed(Duration.ofMillis(5)).bitsPerSecond(20_000_000));
        return home;
    }

    /** What a run of {@link #rebindBetweenDownloads} saw, to compare two runs of one seed. */
    private static final class Run {
        final List<String> events = new ArrayList<>();
        long endedAt;
    }

    private static Run rebindBetweenDownloads(long seed) throws Exception {
        Run run = new Run();
        try (QuicInternet in = new QuicInternet(seed)) {
            Router home = homeWithNat(in);
            in.startServer(PORT);
            Channel client = in.startClient(LAPTOP);
            InetSocketAddress internal = (InetSocketAddress) client.localAddress();
            QuicChannel connection = in.await(in.connect(client, PORT));
            assertEquals(Payload.sha256(1, MB), in.await(in.download(connection, MB, 1)), "first MiB");
            InetSocketAddress before = home.natMappings().get(0).external();
            QuicChannel atServer = in.serverConnections.get(0);
            assertEquals(before, atServer.remoteSocketAddress(), "the server sees the NAT's mapping");

            // Let the last ACKs cross, then move the mapping while nothing is in flight.
            in.net.runFor(Duration.ofMillis(200));
            long rebindAt = in.now();
            assertEquals(1, home.rebindNat(internal), "one mapping moved");
            InetSocketAddress after = home.natMappings().get(0).external();
            assertEquals(before.getAddress(), after.getAddress());
            assertNotEquals(before.getPort(), after.getPort(), "a new external port");

            assertEquals(Payload.sha256(2, MB), in.await(in.download(connection, MB, 2)), "second MiB");
            assertEquals(in.sentDigests.get(1), Payload.sha256(2, MB), "what the server sent");
            assertEquals(after, atServer.remoteSocketAddress(), "the server now sends to the new mapping");
            // Nothing was in flight towards the old port, so nothing was lost to the move.
            assertEquals(0, in.net.counters().dropped(DropReason.NAT_NO_MAPPING), in.net::summary);

            // quiche's view: path 0 (the old 4-tuple) is validated and inactive, path 1 (the new one) validated
            // and active. Netty 4.2.18 reports the ports of paths and path events byte-swapped.
            QuicConnectionPathStats oldPath = in.await(atServer.collectPathStats(0));
            QuicConnectionPathStats newPath = in.await(atServer.collectPathStats(1));
            assertEquals(swapped(before), oldPath.peerAddress());
            assertEquals(swapped(after), newPath.peerAddress());
            assertFalse(oldPath.active());
            assertTrue(newPath.active(), newPath::toString);
            assertEquals(3, newPath.validationState(), "validated: " + newPath);

            List<String> kinds = new ArrayList<>();
            for (String e : in.serverPathEvents) {
                kinds.add(e.substring(e.indexOf(' ') + 1, e.indexOf('{')));
                assertTrue(Long.parseLong(e.substring(0, e.indexOf(' '))) > rebindAt, e);
                assertTrue(e.contains("remote=" + swapped(after)), e);
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
            in.report("NAT rebinding between two 1 MiB downloads, events " + in.serverPathEvents);
            run.events.addAll(in.serverPathEvents);
            run.events.addAll(in.clientWrites);
            run.endedAt = in.now();
        }
        return run;
    }

    @Test
    void aRebindingBetweenTwoDownloadsIsValidatedAndTheConnectionMovesToTheNewPort() throws Exception {
        Run first = rebindBetweenDownloads(1601);
        Run second = rebindBetweenDownloads(1601);
        assertEquals(first.endedAt, second.endedAt, "same seed, same virtual end");
        assertEquals(first.events, second.events, "same seed, same path events and client datagrams");
    }

    /**
     * The NAT moves the mapping 300 ms into a 2 MiB download, with a window of the server's packets queued towards
     * the old port: they are dropped ({@link DropReason#NAT_NO_MAPPING}), the next datagram from the client arrives
     * from the new port, and quiche moves the connection and validates the new path. But it never declares those
     * packets lost (on the old path no ACK acknowledges anything new, so loss detection never runs there; a PTO
     * resends only a probe's worth), so the client's stream keeps a hole however much arrives after it, and the
     * connection ends by idle timeout.
     */
    @Test
    void aRebindingWithTheServersDataInFlightLeavesAHoleThatQuicheNeverRetransmits() throws Exception {
        long idle = 5_000;
        try (QuicInternet in = new QuicInternet(1602).idleTimeout(idle)) {
            Router home = homeWithNat(in);
            in.startServer(PORT);
            Channel client = in.startClient(LAPTOP);
            QuicChannel connection = in.await(in.connect(client, PORT));
            Future<String> download = in.download(connection, 2 * MB, 3);
            in.net.runFor(Duration.ofMillis(300));
            assertFalse(download.isDone());
            long rebindAt = in.now();
            InetSocketAddress before = home.natMappings().get(0).external();
            assertEquals(1, home.rebindNat((InetSocketAddress) client.localAddress()));
            InetSocketAddress after = home.natMappings().get(0).external();

            QuicChannel atServer = in.serverConnections.get(0);
            assertTrue(
                    in.net.runUntil(
                            () -> !in.serverPathEvents.isEmpty()
                                    && in.serverPathEvents
                                            .get(in.serverPathEvents.size() - 1)
                                            .contains("PeerMigrated"),
                            Duration.ofSeconds(20)),
                    () -> in.serverPathEvents + " at " + in.now() + ", download " + download + " " + in.net.summary());
            long migratedAt = in.now();
            assertEquals(after, atServer.remoteSocketAddress(), "the server moved to the new port");
            assertFalse(download.isDone(), "still downloading when the new path is validated");

            AssertionError stalled = assertThrows(AssertionError.class, () -> in.await(download));
            in.report("NAT rebinding with data in flight: " + stalled.getMessage());
            // The datagrams queued towards the old port are lost; the stream stops at the first byte missing (with
            // seed 1602 about 660 kB in, after some 120 drops: the exact figures move with quiche's handshake bytes).
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("stream closed after (\\d+) of 2097152 bytes")
                    .matcher(stalled.getMessage());
            assertTrue(m.matches(), stalled.getMessage());
            long got = Long.parseLong(m.group(1));
            assertTrue(got > 300_000 && got < 2 * MB, stalled.getMessage());
            long dropped = in.net.counters().dropped(DropReason.NAT_NO_MAPPING);
            assertTrue(dropped > 50, in.net::summary);
            assertTrue(connection.isTimedOut() && atServer.isTimedOut(), "both ends closed by idle timeout");
            // The client heard the server last after the move; its idle timer runs out 5 s later, exactly.
            String lastRead = in.clientReads.get(in.clientReads.size() - 1);
            long lastReadAt = Long.parseLong(lastRead.substring(0, lastRead.indexOf(' ')));
            assertTrue(lastReadAt > migratedAt, lastRead + " migrated " + migratedAt + " " + in.serverPathEvents);
            assertEquals(lastReadAt + idle * 1_000_000L, in.now(), "closed at the last datagram + the idle timeout");
            PacketCounters c = in.net.counters();
            assertEquals(c.sent(), c.delivered() + c.dropped() + c.inFlight(), c::toString);
            System.out.println("rebound " + before + " -> " + after + " at " + rebindAt + ", dropped " + dropped
                    + ", migrated at " + migratedAt + ", " + stalled.getMessage());
        }
    }

    /** An endpoint with its port's two bytes swapped, as Netty 4.2.18 reports paths' addresses. */
    static InetSocketAddress swapped(InetSocketAddress a) {
        int p = a.getPort();
        return new InetSocketAddress(a.getAddress(), ((p & 0xff) << 8) | (p >>> 8));
    }
}
