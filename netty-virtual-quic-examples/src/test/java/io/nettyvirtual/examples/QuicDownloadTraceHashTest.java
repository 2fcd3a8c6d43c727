package io.nettyvirtual.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nettyvirtual.testing.junit.TraceEveryNetwork;
import io.nettyvirtual.trace.PacketTrace;
import java.io.OutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/**
 * Same seed, same trace hash, for the QUIC download demo. The trace hashes what the network saw of each datagram
 * (times, sizes, endpoints, fates), never the payload: the QUIC packets' bytes differ from run to run (fresh keys,
 * connection IDs), their sizes and timing do not.
 */
class QuicDownloadTraceHashTest {
    private static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void theDownloadHasOneHashPerSeedAndAnotherSeedAnother() throws Exception {
        TraceEveryNetwork.Traced<QuicDownloadDemo.Result> one =
                TraceEveryNetwork.traced(() -> QuicDownloadDemo.run(2026, NOWHERE));
        TraceEveryNetwork.Traced<QuicDownloadDemo.Result> two =
                TraceEveryNetwork.traced(() -> QuicDownloadDemo.run(2026, NOWHERE));
        PacketTrace first = one.only();
        assertTrue(one.result().intact() && two.result().intact());
        assertTrue(first.count() > 50_000, "the trace saw the whole download: " + first);
        assertEquals(first.count(), two.only().count());
        assertEquals(first.hashHex(), two.only().hashHex());
        assertEquals(one.result().downloadMillis(), two.result().downloadMillis());
        // 1% loss each way: another seed loses other datagrams.
        TraceEveryNetwork.Traced<QuicDownloadDemo.Result> other =
                TraceEveryNetwork.traced(() -> QuicDownloadDemo.run(2027, NOWHERE));
        assertTrue(other.result().intact());
        assertNotEquals(first.hashHex(), other.only().hashHex());
    }
}
