package io.nettyvirtual.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.network.link.LinkConfig;
import org.junit.jupiter.api.Test;

/** A careless user's calls on the network get a clear error naming what is wrong. */
class NetworkMisuseTest {

    private static void assertMentions(Throwable t, String value) {
        assertTrue(
                String.valueOf(t.getMessage()).contains(value),
                "message should name '" + value + "': " + t.getMessage());
    }

    @Test
    void aHostGivenTheSameAddressTwice() {
        try (VirtualNetwork net = VirtualNetwork.create(1)) {
            assertMentions(
                    assertThrows(IllegalArgumentException.class, () -> net.newHost("a", "10.0.0.1", "10.0.0.1")),
                    "10.0.0.1 is given twice");
            assertEquals(null, net.hostOwning(java.net.InetAddress.getByName("10.0.0.1")), "no host half-made");
            assertEquals(1, net.newHost("a", "10.0.0.1").addresses().size());
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aWireWithANullConfigNamesTheParameter() {
        try (VirtualNetwork net = VirtualNetwork.create(2)) {
            Host a = net.newHost("a", "10.0.0.1");
            Host b = net.newHost("b", "10.0.0.2");
            assertEquals(
                    "config",
                    assertThrows(NullPointerException.class, () -> net.newWire(a, b, null))
                            .getMessage());
            assertMentions(
                    assertThrows(NullPointerException.class, () -> net.newWire(a, b, LinkConfig.ideal(), null)),
                    "bToA");
            assertEquals(
                    "a",
                    assertThrows(NullPointerException.class, () -> net.newWire(null, b))
                            .getMessage());
            assertEquals(
                    "config",
                    assertThrows(NullPointerException.class, () -> net.newWire((LinkConfig) null))
                            .getMessage());
            assertEquals(0, net.wires().size());
        }
    }

    @Test
    void buildingOnAClosedNetworkSaysItIsClosed() {
        VirtualNetwork net = VirtualNetwork.create(3);
        net.close();
        assertMentions(assertThrows(IllegalStateException.class, () -> net.newHost("a", "10.0.0.1")), "is closed");
        assertMentions(assertThrows(IllegalStateException.class, () -> net.newSwitch("s")), "is closed");
        assertMentions(assertThrows(IllegalStateException.class, () -> net.newWire(LinkConfig.ideal())), "is closed");
        assertTrue(net.isClosed());
    }
}
