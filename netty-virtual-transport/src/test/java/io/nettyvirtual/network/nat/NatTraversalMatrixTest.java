package io.nettyvirtual.network.nat;

import static io.nettyvirtual.network.nat.NatBehavior.ADDRESS_AND_PORT_DEPENDENT;
import static io.nettyvirtual.network.nat.NatBehavior.ADDRESS_DEPENDENT;
import static io.nettyvirtual.network.nat.NatBehavior.ENDPOINT_INDEPENDENT;
import static io.nettyvirtual.network.nat.NatTableTest.ep;
import static io.nettyvirtual.network.nat.NatTableTest.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * UDP hole punching between two peers behind NATs, modelled with {@link NatTable}s alone (no network): which of the
 * 81 mapping x filtering pairs connect, the carrier-grade case and the hairpinning case.
 *
 * <p>The procedure, the one RFC 5128 section 3.3 describes: each peer sends to a rendezvous server on the public
 * side, which learns the peer's external endpoint and tells the other; then each sends to the other's endpoint. Round
 * one is the unlucky order: A's datagram reaches B's NAT before B has sent anything. Then both retry once. The pair
 * connects if each peer receives at least one datagram from the other.
 */
public class NatTraversalMatrixTest {
    static final InetSocketAddress SERVER = ep("192.0.2.1", 3478);
    static final List<NatBehavior> B = List.of(ENDPOINT_INDEPENDENT, ADDRESS_DEPENDENT, ADDRESS_AND_PORT_DEPENDENT);
    static final long MS = 1_000_000L;

    /** A NAT type of the matrix: mapping, then filtering. */
    record Type(NatBehavior mapping, NatBehavior filtering) {
        @Override
        public String toString() {
            return mapping.shortName() + "/" + filtering.shortName();
        }
    }

    static List<Type> types() {
        List<Type> all = new ArrayList<>();
        for (NatBehavior m : B) {
            for (NatBehavior f : B) {
                all.add(new Type(m, f));
            }
        }
        return all;
    }

    /**
     * The expected matrix, by reasoning (row: A's NAT, column: B's NAT, both in the order of {@link #types()}). B's
     * datagram reaches A's NAT from B's mapping towards A, addressed to A's mapping towards the server. So A receives
     * it if (a) A's filtering is endpoint-independent (its server mapping admits anyone), or (b) A's mapping is
     * endpoint-independent, so the server mapping is also the one A sent to B through, and its filter now admits
     * B's address (address-dependent filtering), or B's exact endpoint, which B's NAT kept only if its own mapping
     * is endpoint-independent (address-and-port-dependent filtering). Otherwise the datagram is filtered. The pair
     * connects if that holds both ways.
     */
    public static final String[] EXPECTED = {
        // A endpoint-independent mapping with endpoint-independent or address-dependent filtering: A admits B
        // always, so the pair connects exactly when B admits A: B has EI filtering, or EI mapping with AD
        // filtering, or EI mapping with APD filtering (A's mapping is EI too).
        "YYYY..Y..", // EI/EI  full cone
        "YYYY..Y..", // EI/AD  restricted cone
        // A endpoint-independent mapping with port-dependent filtering: A admits B only if B's mapping is EI too
        // (the endpoint B's NAT used towards A is the one the server saw), and then B admits A (A is EI).
        "YYY......", // EI/APD port-restricted cone
        // A address-dependent mapping, endpoint-independent filtering: A admits anyone through its server mapping,
        // but sends to B from a new endpoint; B must admit an endpoint it never saw: only EI filtering, or AD
        // filtering with EI mapping (same address).
        "YY.Y..Y..", // AD/EI
        // A dependent mapping and dependent filtering: B's datagram hits the server mapping, whose filter knows only
        // the server: nothing connects.
        ".........", // AD/AD
        ".........", // AD/APD
        // Same reasoning as AD/EI: the mapping is dependent, the filter admits anyone.
        "YY.Y..Y..", // APD/EI
        ".........", // APD/AD
        ".........", // APD/APD symmetric
    };

    /** A small internet of NATs and hosts, addresses only; delivers a datagram through every NAT on its way. */
    static final class Internet {
        final Map<InetAddress, NatTable> natByExternal = new HashMap<>();
        final Map<InetAddress, NatTable> behind = new HashMap<>();
        final Map<NatTable, NatTable> natBehind = new HashMap<>();
        final SplittableRandom random = new SplittableRandom(1);
        long now;

        NatTable nat(NatConfig config, NatTable parent) {
            NatTable t = new NatTable(config, random);
            for (InetAddress a : config.externalAddresses()) {
                natByExternal.put(a, t);
            }
            if (parent != null) {
                natBehind.put(t, parent);
            }
            return t;
        }

        InetSocketAddress host(String ip, int port, NatTable nat) {
            InetSocketAddress h = ep(ip, port);
            behind.put(h.getAddress(), nat);
            return h;
        }

        /** Where a datagram from {@code from} to {@code to} arrives, and from which source; null if dropped. */
        Delivery send(InetSocketAddress from, InetSocketAddress to) {
            now += MS;
            InetSocketAddress source = from;
            for (NatTable nat = behind.get(from.getAddress()); nat != null; nat = natBehind.get(nat)) {
                NatResult out = nat.outbound(source, to, now);
                if (!out.isTranslated()) {
                    return null;
                }
                source = out.endpoint();
                if (nat.isHairpin(to)) {
                    return descend(nat, source, to);
                }
            }
            NatTable owner = natByExternal.get(to.getAddress());
            return owner == null ? new Delivery(to, source) : descend(owner, source, to);
        }

        private Delivery descend(NatTable nat, InetSocketAddress source, InetSocketAddress to) {
            while (nat != null) {
                NatResult in = nat.inbound(to, source, now);
                if (!in.isTranslated()) {
                    return null;
                }
                to = in.endpoint();
                nat = natByExternal.get(to.getAddress());
            }
            return new Delivery(to, source);
        }

        /** Rendezvous, then simultaneous hole punching with one retry; whether both peers heard the other. */
        boolean punch(InetSocketAddress a, InetSocketAddress b) {
            Delivery ra = send(a, SERVER);
            Delivery rb = send(b, SERVER);
            assertNotNull(ra, "A reaches the server");
            assertNotNull(rb, "B reaches the server");
            InetSocketAddress ea = ra.source;
            InetSocketAddress eb = rb.source;
            Delivery toA = send(SERVER, ea); // the server's answer, telling A its own endpoint and B's
            Delivery toB = send(SERVER, eb);
            assertEquals(a, toA == null ? null : toA.to, "the server's answer reaches A");
            assertEquals(b, toB == null ? null : toB.to, "the server's answer reaches B");
            boolean aHeard = false;
            boolean bHeard = false;
            for (int round = 0; round < 2; round++) {
                bHeard |= arrives(send(a, eb), b);
                aHeard |= arrives(send(b, ea), a);
            }
            return aHeard && bHeard;
        }

        private static boolean arrives(Delivery d, InetSocketAddress at) {
            return d != null && d.to.equals(at);
        }
    }

    record Delivery(InetSocketAddress to, InetSocketAddress source) {}

    static NatConfig.Builder config(Type t, String external) {
        return NatConfig.builder().mapping(t.mapping).filtering(t.filtering).externalAddresses(ip(external));
    }

    static boolean connects(Type ta, Type tb) {
        Internet net = new Internet();
        NatTable natA = net.nat(config(ta, "198.51.100.1").build(), null);
        NatTable natB = net.nat(config(tb, "203.0.113.1").build(), null);
        return net.punch(net.host("192.168.1.2", 5000, natA), net.host("192.168.2.2", 5000, natB));
    }

    static String[] matrix() {
        List<Type> types = types();
        String[] rows = new String[types.size()];
        for (int i = 0; i < types.size(); i++) {
            StringBuilder row = new StringBuilder();
            for (Type tb : types) {
                row.append(connects(types.get(i), tb) ? 'Y' : '.');
            }
            rows[i] = row.toString();
        }
        return rows;
    }

    @Test
    void theNineByNineMatrixMatchesTheTheory() {
        String[] actual = matrix();
        assertEquals(render(EXPECTED), render(actual));
        int connected = 0;
        for (int i = 0; i < 9; i++) {
            for (int j = 0; j < 9; j++) {
                assertEquals(actual[i].charAt(j), actual[j].charAt(i), "hole punching is symmetric: " + i + "," + j);
                connected += actual[i].charAt(j) == 'Y' ? 1 : 0;
            }
        }
        assertEquals(21, connected);
    }

    @Test
    void theDocumentShowsThisMatrix() throws IOException {
        Path doc = Path.of("..", "docs", "nat-traversal.md");
        String text = Files.readString(doc, StandardCharsets.UTF_8);
        assertTrue(text.contains(render(EXPECTED)), "docs/nat-traversal.md must contain:\n" + render(EXPECTED));
    }

    /** The matrix as the Markdown table of docs/nat-traversal.md. */
    public static String render(String[] rows) {
        List<Type> types = types();
        StringBuilder sb = new StringBuilder("| A \\ B |");
        for (Type t : types) {
            sb.append(' ').append(t).append(" |");
        }
        sb.append("\n|---|");
        sb.append("---|".repeat(types.size()));
        for (int i = 0; i < types.size(); i++) {
            sb.append("\n| ").append(types.get(i)).append(" |");
            for (char c : rows[i].toCharArray()) {
                sb.append(c == 'Y' ? " yes |" : " no |");
            }
        }
        return sb.append('\n').toString();
    }

    @Test
    void thePresetsPairUpAsFolkloreSays() {
        Type fullCone = new Type(ENDPOINT_INDEPENDENT, ENDPOINT_INDEPENDENT);
        Type portRestricted = new Type(ENDPOINT_INDEPENDENT, ADDRESS_AND_PORT_DEPENDENT);
        Type symmetric = new Type(ADDRESS_AND_PORT_DEPENDENT, ADDRESS_AND_PORT_DEPENDENT);
        assertTrue(connects(portRestricted, portRestricted));
        assertFalse(connects(fullCone, symmetric), "a symmetric NAT's peer sees a port it never learned");
        assertFalse(connects(portRestricted, symmetric));
        assertFalse(connects(symmetric, symmetric));
    }

    @Test
    void aHomeNatBehindACarrierGradeNat() {
        // A: port-restricted cone home NAT (external 100.64.0.2) behind a CGNAT; B: port-restricted cone elsewhere.
        // Both NATs on A's path are endpoint-independent mapping, so together they still are: the pair connects.
        assertTrue(behindCgnat(NatConfig.portRestrictedCone()));
        // With a symmetric home NAT under the CGNAT the pair fails, as with a symmetric NAT alone.
        assertFalse(behindCgnat(NatConfig.symmetric()));
    }

    private static boolean behindCgnat(NatConfig.Builder home) {
        Internet net = new Internet();
        NatTable cgnat = net.nat(
                NatConfig.carrierGrade().externalAddresses(ip("198.51.100.1")).build(), null);
        NatTable homeA = net.nat(home.externalAddresses(ip("100.64.0.2")).build(), cgnat);
        NatTable natB = net.nat(
                NatConfig.portRestrictedCone()
                        .externalAddresses(ip("203.0.113.1"))
                        .build(),
                null);
        boolean ok = net.punch(net.host("192.168.1.2", 5000, homeA), net.host("192.168.2.2", 5000, natB));
        assertTrue(cgnat.counters().created() >= 1, "the CGNAT translated A's datagrams: " + cgnat.counters());
        return ok;
    }

    @Test
    void twoHomesBehindTheSameCarrierGradeNatNeedItToHairpin() {
        assertTrue(sameCgnat(true));
        assertFalse(sameCgnat(false));
    }

    private static boolean sameCgnat(boolean hairpinning) {
        Internet net = new Internet();
        NatTable cgnat = net.nat(
                NatConfig.carrierGrade()
                        .hairpinning(hairpinning)
                        .externalAddresses(ip("198.51.100.1"))
                        .build(),
                null);
        NatTable homeA = net.nat(
                NatConfig.portRestrictedCone()
                        .externalAddresses(ip("100.64.0.2"))
                        .build(),
                cgnat);
        NatTable homeB = net.nat(
                NatConfig.portRestrictedCone()
                        .externalAddresses(ip("100.64.0.3"))
                        .build(),
                cgnat);
        boolean ok = net.punch(net.host("192.168.1.2", 5000, homeA), net.host("192.168.1.2", 6000, homeB));
        assertEquals(hairpinning ? 0 : 4, cgnat.counters().refused(NatRefusal.HAIRPINNING_DISABLED));
        return ok;
    }

    @Test
    void twoPeersBehindTheSameNat() {
        assertTrue(sameNat(NatConfig.portRestrictedCone()), "hairpinning carries the punch");
        assertFalse(sameNat(NatConfig.portRestrictedCone().hairpinning(false)));
        assertTrue(sameNat(NatConfig.fullCone()));
        assertFalse(sameNat(NatConfig.symmetric()), "hairpinned, but the mapping is still endpoint-dependent");
    }

    private static boolean sameNat(NatConfig.Builder config) {
        Internet net = new Internet();
        NatTable nat = net.nat(config.externalAddresses(ip("198.51.100.1")).build(), null);
        return net.punch(net.host("192.168.1.2", 5000, nat), net.host("192.168.1.3", 5000, nat));
    }
}
