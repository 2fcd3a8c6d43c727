package io.nettyvirtual.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The QUIC demo downloads its file intact, on the virtual clock, in the time the path allows. */
class QuicDownloadDemoTest {
    @Test
    void downloadsTenMebibytesIntactInVirtualTime() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        QuicDownloadDemo.Result r = QuicDownloadDemo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertTrue(r.virtualClock(), "quiche must follow the network's clock");
        assertEquals(10L * 1024 * 1024, r.bytes());
        assertTrue(r.intact(), out);
        // Two round trips of 100 ms (plus serialization at 10 Mbit/s) for the handshake.
        assertTrue(r.handshakeMillis() >= 200 && r.handshakeMillis() < 260, () -> "handshake " + r.handshakeMillis());
        // 10 MiB at 10 Mbit/s take at least 8.4 s; 1% loss each way costs more.
        assertTrue(r.downloadMillis() > 8_400 && r.downloadMillis() < 60_000, () -> "download " + r.downloadMillis());
        // quiche measures the path's 100 ms round trip on the virtual clock (a few ms on the wall clock).
        assertTrue(r.clientRttMillis() >= 100 && r.clientRttMillis() < 200, () -> "RTT " + r.clientRttMillis());
        assertTrue(r.lostOnWire() > 0, "a 1% lossy path loses datagrams");

        assertTrue(out.contains("quiche on the network's virtual clock: true (seed 2026)"), out);
        assertTrue(out.contains("... virtual "), "progress lines: " + out);
        assertTrue(out.contains("matches"), out);
        assertTrue(out.endsWith(r.summary()), out);
    }
}
