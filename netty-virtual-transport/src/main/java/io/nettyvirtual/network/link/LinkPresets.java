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
 * of it. Each number below is either checked against the source cited beside it or marked <em>chosen</em>: a
 * representative value picked for the profile, not taken from a source; {@code docs/impairments.md} says how each
 * source was checked.
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
     * The QUIC interop runner's default scenario, {@code simple-p2p --delay=15ms --bandwidth=10Mbps --queue=25}
     * ({@code testcases.py}, checked): 15 ms each way, 10 Mbit/s, a 25-packet queue. ns-3's point-to-point link
     * serializes the IP packet plus its 2-byte PPP header, hence {@code overhead(2)}.
     */
    public static final Preset QUIC_INTEROP =
            symmetric("QUIC_INTEROP", link(15, 10_000_000).queuePackets(25).overhead(2));

    /**
     * The interop runner's {@code longrtt} test: {@code simple-p2p --delay=750ms --bandwidth=10Mbps --queue=25}
     * (checked).
     */
    public static final Preset QUIC_INTEROP_LONG_RTT =
            symmetric("QUIC_INTEROP_LONG_RTT", QUIC_INTEROP.downlink().delayMillis(750));

    /**
     * The interop runner's {@code handshakeloss}: {@code drop-rate --rate_to_server=30 --rate_to_client=30
     * --burst_to_server=3 --burst_to_client=3} on the default scenario (checked), here Bernoulli loss of 30% each
     * way. The runner's model also forwards the packet after any 3 drops in a row; that cap is not modelled, so runs
     * of 4 or more losses occur here (a run of 3 continues with probability 0.3) and the loss rate is 30% where the
     * capped model's is 29.4%.
     */
    public static final Preset QUIC_INTEROP_HANDSHAKE_LOSS =
            symmetric("QUIC_INTEROP_HANDSHAKE_LOSS", QUIC_INTEROP.downlink().loss(0.30));

    /**
     * The interop runner's {@code transferloss}: {@code drop-rate} 2% each way with bursts capped at 3 (checked), here
     * Bernoulli loss of 2% (the cap changes the rate by less than 0.01%).
     */
    public static final Preset QUIC_INTEROP_TRANSFER_LOSS =
            symmetric("QUIC_INTEROP_TRANSFER_LOSS", QUIC_INTEROP.downlink().loss(0.02));

    /** The interop runner's {@code handshakecorruption}: {@code corrupt-rate} 30% each way (checked; burst cap as above). */
    public static final Preset QUIC_INTEROP_HANDSHAKE_CORRUPTION = symmetric(
            "QUIC_INTEROP_HANDSHAKE_CORRUPTION", QUIC_INTEROP.downlink().corrupt(0.30));

    /** The interop runner's {@code transfercorruption}: {@code corrupt-rate} 2% each way (checked; burst cap as above). */
    public static final Preset QUIC_INTEROP_TRANSFER_CORRUPTION = symmetric(
            "QUIC_INTEROP_TRANSFER_CORRUPTION", QUIC_INTEROP.downlink().corrupt(0.02));

    /**
     * The interop runner's {@code blackhole}: {@code blackhole ... --on=5s --off=2s} (checked), the link up 5 s then
     * down 2 s, repeated.
     */
    public static final Preset QUIC_INTEROP_BLACKHOLE = symmetric(
            "QUIC_INTEROP_BLACKHOLE",
            QUIC_INTEROP.downlink().flaps(LinkFlaps.periodic(Duration.ofSeconds(5), Duration.ofSeconds(2))));

    // Browser devtools' throttling (Chromium front_end/core/sdk/NetworkManager.ts, mirrored with its comments in
    //      puppeteer's PredefinedNetworkConditions; Lighthouse docs/throttling.md). DevTools throttles per request:
    //      its "latency" is a minimum time from request to response headers, and its figures are packet-level ones
    //      times correction factors (latency x 5, x 3.75, x 2.75; throughput x 0.8 or x 0.9) meant to approximate at
    //      request level what a packet-level link does. This network is packet-level, so the presets take the
    //      figures before the factors (Lighthouse's packet-level recommendation for "Slow 4G"), and count each
    //      datagram's IP and UDP headers, as a packet-level shaper does.

    /**
     * Chrome DevTools' "Slow 3G" at packet level: 400 ms round trip, 500 kbit/s each way (puppeteer's comments
     * "400ms RTT", "~500Kbps down/up"; DevTools itself applies 400 x 5 = 2,000 ms of request latency and 400 kbit/s;
     * checked). Recent DevTools call it "3G" (not checked against the DevTools source).
     */
    public static final Preset DEVTOOLS_SLOW_3G = symmetric("DEVTOOLS_SLOW_3G", devtools(200, 500_000));

    /**
     * Chrome DevTools' "Fast 3G", now "Slow 4G" (Lighthouse: "currently called Slow 4G but used to be labeled as
     * Fast 3G"), at packet level: 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up, Lighthouse's mobile throttling
     * default and WebPageTest's "Mobile 3G - Fast" (checked; DevTools applies 150 x 3.75 = 562.5 ms, 1.44 Mbit/s and
     * 675 kbit/s at request level).
     */
    public static final Preset DEVTOOLS_FAST_3G =
            new Preset("DEVTOOLS_FAST_3G", devtools(75, 750_000), devtools(75, 1_600_000));

    /**
     * Chrome DevTools' "Fast 4G" at packet level: 60 ms round trip, 9 Mbit/s down, 1.5 Mbit/s up (puppeteer's
     * comments; DevTools applies 60 x 2.75 = 165 ms, 8.1 and 1.35 Mbit/s at request level; checked).
     */
    public static final Preset DEVTOOLS_FAST_4G =
            new Preset("DEVTOOLS_FAST_4G", devtools(30, 1_500_000), devtools(30, 9_000_000));

    private static LinkConfig devtools(double oneWayMillis, long bitsPerSecond) {
        return link(oneWayMillis, bitsPerSecond).overhead(0);
    }

    // Access networks

    /**
     * LTE: 13.5 Mbit/s down, the world's average LTE download speed in OpenSignal's "The State of LTE" of early 2016
     * (on Q4 2015 data; checked against reports of it, the month of the issue not checked). Chosen: 5 Mbit/s up,
     * 50 ms round trip, 5 ms of normal jitter kept in order (the radio link's RLC layer delivers in sequence, 3GPP
     * TS 36.322, not checked here), and 14 B of framing standing in for the PDCP/RLC/MAC headers.
     */
    public static final Preset LTE = new Preset("LTE", cellular(25, 5, 5_000_000), cellular(25, 5, 13_500_000));

    /**
     * 5G NR (sub-6 GHz), all chosen (no source checked): 200 Mbit/s down, 20 Mbit/s up, 20 ms round trip, 2 ms of
     * normal jitter kept in order, 14 B of framing.
     */
    public static final Preset NR_5G = new Preset("NR_5G", cellular(10, 2, 20_000_000), cellular(10, 2, 200_000_000));

    private static LinkConfig cellular(double oneWayMillis, long jitterMillis, long bitsPerSecond) {
        return link(oneWayMillis, bitsPerSecond)
                .overhead(14)
                .jitter(Duration.ofMillis(jitterMillis), DelayDistribution.NORMAL)
                .jitterPreservesOrder(true);
    }

    /**
     * Congested Wi-Fi, chosen values (no source checked): 20 Mbit/s each way shared with other stations, 5 ms each way
     * with 10 ms of Pareto-normal jitter (contention and retries; kept in order, as 802.11's per-station queue does),
     * 1% loss with 25% correlation (collisions the retries did not repair), and delivery in 2 ms slots (A-MPDU
     * aggregation, as in tc-netem's {@code slot} example). Framing 36 B, from the 802.11 data frame format: the 24-byte
     * MAC header, the 4-byte FCS and 8 bytes of LLC/SNAP (QoS data frames add 2).
     */
    public static final Preset WIFI_CONGESTED = symmetric(
            "WIFI_CONGESTED",
            link(5, 20_000_000)
                    .overhead(36)
                    .jitter(Duration.ofMillis(10), DelayDistribution.PARETO_NORMAL)
                    .jitterPreservesOrder(true)
                    .loss(0.01, 0.25)
                    .slot(Duration.ofMillis(2)));

    /**
     * ADSL2+ at its maximum sync rates: 24 Mbit/s down and 1.4 Mbit/s up with Annex A (ITU-T G.992.5, as its
     * Wikipedia article gives them; the ITU text itself not checked; Annex M raises the uplink to 3.3 Mbit/s).
     * Framing 32 B: PPPoE over ATM with VC multiplexing, tc-cake's {@code pppoe-vcmux} (checked in iproute2's
     * q_cake.c; LLC/SNAP encapsulation, {@code pppoe-llcsnap}, is 40 B), ignoring the ATM cell tax. Chosen: 10 ms
     * each way (interleaving).
     */
    public static final Preset DSL = new Preset(
            "DSL", link(10, 1_400_000).overhead(32), link(10, 24_000_000).overhead(32));

    /**
     * Cable (DOCSIS 3.0). Framing 18 B: DOCSIS carries Ethernet frames and cable modems shape on the frame with its
     * FCS, tc-cake's {@code docsis} keyword (overhead 18; checked in iproute2's q_cake.c). Chosen (no source
     * checked): 100 Mbit/s down, 10 Mbit/s up, 8 ms each way, and upstream grants in 2 ms slots standing for the
     * DOCSIS MAP interval.
     */
    public static final Preset CABLE = new Preset(
            "CABLE",
            link(8, 10_000_000).overhead(18).slot(Duration.ofMillis(2)),
            link(8, 100_000_000).overhead(18));

    // Satellites

    /**
     * Geostationary satellite: 280 ms each way, RFC 2488 section 2's 279.0 ms ground-satellite-ground propagation at
     * the edge of coverage rounded up (239.6 ms at the sub-satellite point; checked); 25 Mbit/s down and 3 Mbit/s up,
     * the FCC's broadband benchmark of its 2015 Broadband Progress Report (checked; that GEO plans are sold at it is
     * not). Chosen: 14 B of framing.
     */
    public static final Preset GEO_SATELLITE = new Preset(
            "GEO_SATELLITE",
            link(280, 3_000_000).overhead(14),
            link(280, 25_000_000).overhead(14));

    /**
     * Low-earth-orbit satellite (Starlink-like): 15 ms each way with 3 ms of normal jitter and a handover every 15 s
     * (Huston, APNIC blog, "A transport protocol's view of Starlink", May 2024: minimum RTT about 30 ms, a change of
     * satellite every 15 s, 6.7 ms mean variation between successive RTTs; checked against reports quoting it).
     * Chosen: 100 Mbit/s down and 10 Mbit/s up (Huston reports 10 to 370 Mbit/s), 14 B of framing, and each handover
     * modelled as the link down for the last 30 ms of each 15 s (Huston saw loss and latency spikes there; the length
     * is not his).
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
