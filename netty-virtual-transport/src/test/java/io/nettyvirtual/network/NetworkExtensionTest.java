package io.nettyvirtual.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.time.TimeMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Extensions on the class path hear of every network's creation and closing. */
class NetworkExtensionTest {

    @Test
    void extensionsHearOfCreationAndClosingOnTheCallingThread() {
        String me = Thread.currentThread().getName();
        RecordingExtension.EVENTS.clear();
        VirtualNetwork net =
                VirtualNetwork.builder().mode(TimeMode.THREADED).seed(77).build();
        assertEquals(List.of("created 77 on " + me), RecordingExtension.EVENTS);
        net.close();
        net.close();
        assertEquals(List.of("created 77 on " + me, "closed 77 on " + me), RecordingExtension.EVENTS);
    }

    @Test
    void anExtensionThatRefusesFailsTheBuildAndTheNetworkIsClosed() {
        RecordingExtension.EVENTS.clear();
        RecordingExtension.REFUSE.set("not on this platform");
        try {
            UnsupportedOperationException e = assertThrows(
                    UnsupportedOperationException.class,
                    () -> VirtualNetwork.builder()
                            .mode(TimeMode.THREADED)
                            .seed(78)
                            .build());
            assertEquals("not on this platform", e.getMessage());
        } finally {
            RecordingExtension.REFUSE.remove();
        }
        assertTrue(RecordingExtension.EVENTS.get(1).startsWith("closed 78"), RecordingExtension.EVENTS.toString());
    }
}
