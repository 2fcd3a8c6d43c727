package io.nettyvirtual.testing.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Without its service file (this module's test resources have none) the helper could trace nothing: it says so
 * rather than returning no traces. The example modules register it and use it ({@code ExampleTraceHashTest}).
 */
class TraceEveryNetworkTest {
    @Test
    void unregisteredItFailsNamingTheServiceFile() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TraceEveryNetwork.traced(() -> 1));
        assertEquals(
                "TraceEveryNetwork is not registered: add the line io.nettyvirtual.testing.junit.TraceEveryNetwork "
                        + "to META-INF/services/io.nettyvirtual.NetworkExtension in the test resources",
                e.getMessage());
        assertThrows(NullPointerException.class, () -> TraceEveryNetwork.traced(null));
    }
}
