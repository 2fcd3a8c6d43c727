package io.nettyvirtual.bench;

import io.nettyvirtual.bench.support.FloodPair;
import io.nettyvirtual.capture.NetworkCapture;
import java.nio.file.Path;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What a {@link NetworkCapture} costs the flood of {@link DatagramThroughputBenchmark} (virtual transport, shared
 * buffers): no capture, a capture of the wire's sending link (one record per datagram), and a capture of the whole
 * network (a record each time the datagram enters the sending host, the link and the receiving host: three). The
 * capture writes to {@code /dev/null}, so the figure is the capture's own work (encoding the headers, copying the
 * payload, the UDP checksum, the pcapng framing and the stream writes) without the disk's.
 */
public class CaptureBenchmark extends SteadyStateBenchmark {
    /** Datagrams per benchmark invocation. */
    public static final int BATCH = 4096;

    @Param({"64", "1200"})
    public int size;

    /** {@code none}, {@code link} (the a-to-b link of the wire) or {@code network} (every element). */
    @Param({"none", "link", "network"})
    public String capture;

    private FloodPair.Virtual pair;
    private NetworkCapture tap;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        pair = (FloodPair.Virtual) FloodPair.create("virtual", size);
        switch (capture) {
            case "none":
                break;
            case "link":
                tap = NetworkCapture.open(Path.of("/dev/null"));
                pair.net.wires().get(0).aToB().addTap(tap);
                break;
            case "network":
                tap = NetworkCapture.open(Path.of("/dev/null"));
                pair.net.addTap(tap);
                break;
            default:
                throw new IllegalArgumentException("capture: " + capture + " (expected none, link or network)");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        pair.close();
        if (tap != null) {
            tap.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long flood() {
        return pair.flood(BATCH);
    }
}
