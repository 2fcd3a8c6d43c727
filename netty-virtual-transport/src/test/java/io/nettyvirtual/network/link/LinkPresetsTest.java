package io.nettyvirtual.network.link;

import static io.nettyvirtual.network.link.ChainRig.MS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.network.Node;
import io.nettyvirtual.network.Wire;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The presets: their published numbers, and one line to put one on a wire. */
class LinkPresetsTest {
    private static List<LinkPresets.Preset> all() throws IllegalAccessException {
        List<LinkPresets.Preset> presets = new ArrayList<>();
        for (Field f : LinkPresets.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == LinkPresets.Preset.class) {
                LinkPresets.Preset p = (LinkPresets.Preset) f.get(null);
                assertEquals(f.getName(), p.name());
                presets.add(p);
            }
        }
        return presets;
    }

    @Test
    void everyPresetGoesOnAWireInOneLine() throws Exception {
        List<LinkPresets.Preset> presets = all();
        assertTrue(presets.size() >= 17, "presets: " + presets.size());
        try (VirtualNetwork net = VirtualNetwork.create(61)) {
            Node a = net.newHost("a", "10.0.0.1");
            Node b = net.newHost("b", "10.0.0.2");
            for (LinkPresets.Preset p : presets) {
                Wire w = net.newWire(a, b, p.uplink(), p.downlink());
                assertSame(p.uplink(), w.aToB().config());
                assertSame(p.downlink(), w.bToA().config());
                assertNotNull(p.toString());
                w.unplug();
            }
        }
    }

    @Test
    void theInteropRunnersDefaultScenarioIsTenMegabitsFifteenMillisecondsTwentyFivePackets() throws Exception {
        LinkConfig c = LinkPresets.QUIC_INTEROP.downlink();
        assertEquals(Duration.ofMillis(15), c.delay());
        assertEquals(1_250_000, c.bytesPerSecond());
        assertEquals(25, c.queuePackets());
        try (ChainRig rig = new ChainRig(62, c)) {
            rig.send(2, 1200); // 1200 + 28 + 2 (PPP) = 1230 B at 1.25 MB/s = 984 us, then 15 ms
            rig.sim.runUntilIdle();
            assertArrayEquals(new long[] {15 * MS + 984_000, 15 * MS + 2 * 984_000}, rig.arrivalTimes());
        }
        assertEquals(0.30, LinkPresets.QUIC_INTEROP_HANDSHAKE_LOSS.uplink().loss());
        assertEquals(
                Duration.ofMillis(750),
                LinkPresets.QUIC_INTEROP_LONG_RTT.uplink().delay());
    }

    private static Duration rtt(LinkPresets.Preset p) {
        return p.downlink().delay().plus(p.uplink().delay());
    }

    @Test
    void devtoolsProfilesAreChromiumsPacketLevelNumbers() {
        assertEquals(62_500, LinkPresets.DEVTOOLS_SLOW_3G.downlink().bytesPerSecond()); // 500 kbit/s
        assertEquals(62_500, LinkPresets.DEVTOOLS_SLOW_3G.uplink().bytesPerSecond());
        assertEquals(Duration.ofMillis(400), rtt(LinkPresets.DEVTOOLS_SLOW_3G));
        assertEquals(200_000, LinkPresets.DEVTOOLS_FAST_3G.downlink().bytesPerSecond()); // 1.6 Mbit/s
        assertEquals(93_750, LinkPresets.DEVTOOLS_FAST_3G.uplink().bytesPerSecond()); // 750 kbit/s
        assertEquals(Duration.ofMillis(150), rtt(LinkPresets.DEVTOOLS_FAST_3G));
        assertEquals(1_125_000, LinkPresets.DEVTOOLS_FAST_4G.downlink().bytesPerSecond()); // 9 Mbit/s
        assertEquals(187_500, LinkPresets.DEVTOOLS_FAST_4G.uplink().bytesPerSecond()); // 1.5 Mbit/s
        assertEquals(Duration.ofMillis(60), rtt(LinkPresets.DEVTOOLS_FAST_4G));
        assertEquals(0, LinkPresets.DEVTOOLS_FAST_4G.downlink().overhead(), "IP and UDP headers, no framing");
    }

    @Test
    void framingFollowsTheLinkLayers() {
        assertEquals(32, LinkPresets.DSL.uplink().overhead()); // tc-cake pppoe-vcmux
        assertEquals(175_000, LinkPresets.DSL.uplink().bytesPerSecond()); // 1.4 Mbit/s, Annex A
        assertEquals(18, LinkPresets.CABLE.downlink().overhead()); // tc-cake docsis
        assertEquals(36, LinkPresets.WIFI_CONGESTED.downlink().overhead()); // 24 + 4 + 8
    }

    @Test
    void asymmetricAndSatellitePresets() {
        assertTrue(LinkPresets.DSL.downlink().bytesPerSecond()
                > LinkPresets.DSL.uplink().bytesPerSecond());
        assertTrue(LinkPresets.CABLE.downlink().bytesPerSecond()
                > LinkPresets.CABLE.uplink().bytesPerSecond());
        assertEquals(
                Duration.ofMillis(280), LinkPresets.GEO_SATELLITE.downlink().delay());
        assertEquals(
                LinkFlaps.periodic(Duration.ofMillis(14_970), Duration.ofMillis(30)),
                LinkPresets.LEO_SATELLITE.downlink().flaps());
    }
}
