package io.nettyvirtual.network.link;

import java.time.Duration;
import java.util.Objects;

/**
 * Named link profiles built from public figures, one line to use. A wire has two directions; a preset gives the
 * user's {@link Preset#uplink() uplink} (from the first node given to {@code newWire}, the client side) and
 * {@link Preset#downlink() downlink}:
 * <pre>{@code
 * net.newWire(phone, tower, LinkPresets.LTE.uplink(), LinkPresets.LTE.downlink());
 * net.newWire(client, server, LinkPresets.QUIC_INTEROP.uplink(), LinkPresets.QUIC_INTEROP.downlink());
 * }</pre>
 * Each preset is an ordinary {@link LinkConfig} per direction, so it can be adjusted like any other
 * ({@code LinkPresets.LTE.downlink().loss(0.01)}). Where a source gives a round-trip time, each direction gets half
 * of it. The sources and the choices made where a source gives no number are in {@code docs/impairments.md}; a
 * number given below without a source is a representative value chosen for the profile, not a measurement.
 */
public final class LinkPresets {
    private LinkPresets() {}

    /** The two directions of a named profile. */
    public static final class Preset {
        private final String name;
        private final LinkConfig uplink;
        private final LinkConfig downlink;

        Preset(String name, LinkConfig uplink, LinkConfig downlink) {
            this.name = name;
            this.uplink = Objects.requireNonNull(uplink);
            this.downlink = Objects.requireNonNull(downlink);
        }

        /** From the user (the client, the first node of the wire) to the network. */
        public LinkConfig uplink() {
            return uplink;
        }

        /** From the network to the user. */
        public LinkConfig downlink() {
            return downlink;
        }

        /** The preset's name, e.g. {@code "LTE"}. */
        public String name() {
            return name;
        }

        @Override
        public String toString() {
            return name + "(up " + uplink + ", down " + downlink + ")";
        }
    }

    private static LinkConfig link(double oneWayMillis, long bitsPerSecond) {
        return LinkConfig.ideal().delayMillis(oneWayMillis).bitsPerSecond(bitsPerSecond);
    }

    private static Preset symmetric(String name, LinkConfig both) {
        return new Preset(name, both, both);
    }

    // The QUIC interop runner (quic-interop-runner testcases.py, on quic-network-simulator's ns-3 scenarios)

    /**
     * The QUIC interop runner's default scenario, {@code simple-p2p --delay=15ms --bandwidth=10Mbps --queue=25}:
     * 15 ms each way, 10 Mbit/s, a 25-packet queue. ns-3's point-to-point link serializes the IP packet plus its
     * 2-byte PPP header, hence {@code overhead(2)}.
     */
    public static final Preset QUIC_INTEROP =
            symmetric("QUIC_INTEROP", link(15, 10_000_000).queuePackets(25).overhead(2));

    /** The interop runner's {@code longrtt} test: {@code simple-p2p --delay=750ms --bandwidth=10Mbps --queue=25}. */
    public static final Preset QUIC_INTEROP_LONG_RTT =
            symmetric("QUIC_INTEROP_LONG_RTT", QUIC_INTEROP.downlink().delayMillis(750));

    /** The interop runner's {@code handshakeloss}: {@code drop-rate} 30% each way on the default scenario. */
    public static final Preset QUIC_INTEROP_HANDSHAKE_LOSS =
            symmetric("QUIC_INTEROP_HANDSHAKE_LOSS", QUIC_INTEROP.downlink().loss(0.30));

    /** The interop runner's {@code transferloss}: {@code drop-rate} 2% each way on the default scenario. */
    public static final Preset QUIC_INTEROP_TRANSFER_LOSS =
            symmetric("QUIC_INTEROP_TRANSFER_LOSS", QUIC_INTEROP.downlink().loss(0.02));

    /** The interop runner's {@code handshakecorruption}: {@code corrupt-rate} 30% each way. */
    public static final Preset QUIC_INTEROP_HANDSHAKE_CORRUPTION = symmetric(
            "QUIC_INTEROP_HANDSHAKE_CORRUPTION", QUIC_INTEROP.downlink().corrupt(0.30));

    /** The interop runner's {@code transfercorruption}: {@code corrupt-rate} 2% each way. */
    public static final Preset QUIC_INTEROP_TRANSFER_CORRUPTION = symmetric(
            "QUIC_INTEROP_TRANSFER_CORRUPTION", QUIC_INTEROP.downlink().corrupt(0.02));

    /** The interop runner's {@code blackhole}: {@code --on=5s --off=2s}, the link up 5 s then down 2 s, repeated. */
    public static final Preset QUIC_INTEROP_BLACKHOLE = symmetric(
            "QUIC_INTEROP_BLACKHOLE",
            QUIC_INTEROP.downlink().flaps(LinkFlaps.periodic(Duration.ofSeconds(5), Duration.ofSeconds(2))));

    // Browser devtools' throttling (Chromium front_end/core/sdk/NetworkManager.ts, also puppeteer's
    //      PredefinedNetworkConditions). DevTools throttles the application's bytes: payload only, no overhead.

    /**
     * Chrome DevTools' "Slow 3G" (renamed "3G"): latency {@code 400 * 5} = 2,000 ms, {@code 500 kbit/s * 0.8} = 400
     * kbit/s each way.
     */
    public static final Preset DEVTOOLS_SLOW_3G = symmetric("DEVTOOLS_SLOW_3G", link(1000, 400_000));

    /**
     * Chrome DevTools' "Fast 3G" (renamed "Slow 4G"): latency {@code 150 * 3.75} = 562.5 ms, down
     * {@code 1.6 Mbit/s * 0.9} = 1.44 Mbit/s, up {@code 750 kbit/s * 0.9} = 675 kbit/s.
     */
    public static final Preset DEVTOOLS_FAST_3G =
            new Preset("DEVTOOLS_FAST_3G", link(281.25, 675_000), link(281.25, 1_440_000));

    /**
     * Chrome DevTools' "Fast 4G": latency {@code 60 * 2.75} = 165 ms, down {@code 9 Mbit/s * 0.9} = 8.1 Mbit/s, up
     * {@code 1.5 Mbit/s * 0.9} = 1.35 Mbit/s.
     */
    public static final Preset DEVTOOLS_FAST_4G =
            new Preset("DEVTOOLS_FAST_4G", link(82.5, 1_350_000), link(82.5, 8_100_000));

    // Access networks

    /**
     * LTE: 13.5 Mbit/s down (OpenSignal, "The State of LTE", February 2016: the world's average LTE download speed),
     * 5 Mbit/s up, 50 ms round trip, 5 ms of normal jitter kept in order (the radio link's RLC layer delivers in
     * sequence, 3GPP TS 36.322), framing 14 B.
     */
    public static final Preset LTE = new Preset("LTE", cellular(25, 5, 5_000_000), cellular(25, 5, 13_500_000));

    /** 5G NR (sub-6 GHz): 200 Mbit/s down, 20 Mbit/s up, 20 ms round trip, 2 ms of normal jitter kept in order. */
    public static final Preset NR_5G = new Preset("NR_5G", cellular(10, 2, 20_000_000), cellular(10, 2, 200_000_000));

    private static LinkConfig cellular(double oneWayMillis, long jitterMillis, long bitsPerSecond) {
        return link(oneWayMillis, bitsPerSecond)
                .overhead(14)
                .jitter(Duration.ofMillis(jitterMillis), DelayDistribution.NORMAL)
                .jitterPreservesOrder(true);
    }

    /**
     * Congested Wi-Fi: 20 Mbit/s each way shared with other stations, 5 ms each way with 10 ms of Pareto-normal
     * jitter (contention and retries; kept in order, as 802.11's per-station queue does), 1% loss with 25%
     * correlation (collisions the retries did not repair), and delivery in 2 ms slots (A-MPDU aggregation, the
     * example of tc-netem's {@code slot}). Framing 34 B: the 802.11 MAC header with FCS, and LLC/SNAP.
     */
    public static final Preset WIFI_CONGESTED = symmetric(
            "WIFI_CONGESTED",
            link(5, 20_000_000)
                    .overhead(34)
                    .jitter(Duration.ofMillis(10), DelayDistribution.PARETO_NORMAL)
                    .jitterPreservesOrder(true)
                    .loss(0.01, 0.25)
                    .slot(Duration.ofMillis(2)));

    /**
     * ADSL2+: ITU-T G.992.5's nominal 24 Mbit/s down and 1 Mbit/s up (Annex A), 10 ms each way (interleaving),
     * framing 32 B (PPPoE over ATM, RFC 2516 and RFC 2684, ignoring the ATM cell tax).
     */
    public static final Preset DSL = new Preset(
            "DSL", link(10, 1_000_000).overhead(32), link(10, 24_000_000).overhead(32));

    /**
     * Cable (DOCSIS 3.0): 100 Mbit/s down, 10 Mbit/s up, 8 ms each way, and upstream grants in 2 ms slots (the
     * DOCSIS MAP interval), framing 14 B (DOCSIS carries Ethernet frames).
     */
    public static final Preset CABLE = new Preset(
            "CABLE",
            link(8, 10_000_000).overhead(14).slot(Duration.ofMillis(2)),
            link(8, 100_000_000).overhead(14));

    // Satellites

    /**
     * Geostationary satellite: 280 ms each way (up to the satellite at 35,786 km and down again: 239 ms at the
     * sub-satellite point, about 279 ms at the edge of coverage, RFC 2488 section 2), 25 Mbit/s down and 3 Mbit/s
     * up (the FCC's 2015 broadband benchmark, which consumer GEO plans advertise), framing 14 B.
     */
    public static final Preset GEO_SATELLITE = new Preset(
            "GEO_SATELLITE",
            link(280, 3_000_000).overhead(14),
            link(280, 25_000_000).overhead(14));

    /**
     * Low-earth-orbit satellite (Starlink-like): 15 ms each way with 3 ms of normal jitter (Huston, APNIC, "A
     * transport protocol's view of Starlink", 2024: about 30 ms minimum RTT, 6.7 ms mean RTT variation), 100 Mbit/s
     * down and 10 Mbit/s up, and a handover every 15 s (the terminal is assigned a new satellite every 15 s, ibid.;
     * losses cluster there, Mohan et al., IMC 2022) modelled as the link down for the last 30 ms of each 15 s.
     */
    public static final Preset LEO_SATELLITE = new Preset("LEO_SATELLITE", leo(10_000_000), leo(100_000_000));

    private static LinkConfig leo(long bitsPerSecond) {
        return link(15, bitsPerSecond)
                .overhead(14)
                .jitter(Duration.ofMillis(3), DelayDistribution.NORMAL)
                .jitterPreservesOrder(true)
                .flaps(LinkFlaps.periodic(Duration.ofMillis(14_970), Duration.ofMillis(30)));
    }
}
