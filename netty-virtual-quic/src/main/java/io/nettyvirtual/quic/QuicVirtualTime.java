package io.nettyvirtual.quic;

import io.netty.handler.codec.quic.Quic;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.time.TimeMode;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Puts Netty's QUIC codec on a {@link VirtualNetwork}'s clock: quiche's RTT estimate, loss detection, PTO and idle
 * timer then run in the same virtual time as the network's delays and Netty's own timers, and a QUIC test on a
 * 100 ms path measures 100 ms while taking a fraction of that in wall time.
 *
 * <h2>Automatic: the module on the class path is the switch</h2>
 * Every network built while {@code netty-virtual-quic} is on the class path is enabled as it is built (through the
 * transport's {@link io.nettyvirtual.NetworkExtension}), before any of its event loops exist, so there is
 * nothing to call and nothing to forget:
 * <pre>{@code
 * try (VirtualNetwork net = VirtualNetwork.create(42)) {   // QUIC on this network runs in its virtual time
 *     ...
 * }
 * }</pre>
 * It is done when the network is built rather than lazily at the first QUIC connection, because nothing tells the
 * network when a QUIC codec starts using it; binding a thread that never runs QUIC costs nothing. Networks in
 * {@link TimeMode#REAL_TIME} mode are left alone (quiche and the network both run on the wall clock), and so is
 * every network when the QUIC codec cannot run in this JVM at all ({@link Quic#isAvailable()} is false): there is
 * no QUIC to put on a clock, and building the codec fails on its own.
 *
 * <h2>Never silently</h2>
 * Where QUIC can run but its clock cannot be hooked (not Linux x86_64, or a native library built without a dynamic
 * {@code clock_gettime} import), building a network in a virtual mode fails with an
 * {@link UnsupportedOperationException} that names the reason and points to real-time mode, instead of building a
 * network on which quiche would silently measure wall-clock RTTs and fire its timers in wall-clock time. A
 * program that builds virtual networks without QUIC on such a platform can opt out with
 * {@code -D}{@value #AUTO_ENABLE_PROPERTY}{@code =false}. {@link #enable(VirtualNetwork)} does the same for one
 * network explicitly (for class loaders that hide the service file, or to fail early in a test's setup).
 *
 * <h2>How</h2>
 * {@link QuicheClock#install()} (once per JVM) points the {@code clock_gettime} import of the codec's native
 * library at a hook, and every thread that runs the network's event loops is bound to the network's clock cell
 * ({@code net.clock().timeCell()}, 8 bytes the clock keeps up to date) through
 * {@code net.simulation().addThreadInitializer(...)}: the driving thread of a deterministic network, each loop
 * thread of a threaded one. A bound thread's quiche reads {@link #BASE_NANOS} plus the network's virtual time;
 * every other thread, and the rest of the process (the JVM, other libraries, QUIC on NIO), keeps the real clock,
 * so several networks in one JVM each see their own clock.
 *
 * <h2>Limits</h2>
 * <ul>
 *   <li>Linux x86_64 only, like the {@code linux-x86_64} native QUIC codec the module depends on.</li>
 *   <li>A deterministic network's driving thread stays bound until the network is closed or another network is
 *       built on that thread. One thread building two deterministic networks and driving them in turn: QUIC on
 *       the first reads the clock of the second. Give each its own thread, or close the first.</li>
 *   <li>Replay: quiche's random choices (after the handshake it skips a randomly chosen packet number now and
 *       then, which changes ACK sizes and so the timing on a rate-limited path) are drawn from a state seeded
 *       with the network's seed, so a deterministic run replays datagram for datagram. That relies on
 *       {@link QuicheClock#isRandomnessSeeded()}; where the codec's library is built differently it is false (see
 *       {@link QuicheClock#randomnessUnseededReason()}) and QUIC still runs in virtual time, but two runs with
 *       one seed can part ways by microseconds. The seeded numbers also make the TLS randoms of a simulation's
 *       connections predictable: fine for tests, which is what virtual time is for. Java-side randomness (the
 *       connection IDs Netty generates) is not seeded; it changes bytes, not sizes or timing.</li>
 * </ul>
 */
public final class QuicVirtualTime {

    /**
     * What quiche's monotonic clock reads at virtual time zero: one day, as on a machine that has been up for a
     * day. A plausible, fixed value: quiche subtracts durations from its clock readings (which must not underflow),
     * and a fixed base keeps runs with the same seed identical.
     */
    public static final long BASE_NANOS = TimeUnit.DAYS.toNanos(1);

    /**
     * System property: {@code false} stops networks from being put on virtual time as they are built (then only
     * {@link #enable(VirtualNetwork)} does it). Default {@code true}.
     */
    public static final String AUTO_ENABLE_PROPERTY = "io.nettyvirtual.quic.autoEnable";

    /** Enabled networks and their clock cells. */
    private static final Map<VirtualNetwork, ByteBuffer> ENABLED = new WeakHashMap<>();

    private QuicVirtualTime() {}

    /**
     * Makes the QUIC codec read {@code network}'s virtual clock on every thread that runs the network's event
     * loops. Idempotent; does nothing in {@link TimeMode#REAL_TIME} mode. Networks are enabled as they are built
     * (see the class documentation); call this to do it explicitly.
     *
     * @param network the network QUIC will run on
     * @throws UnsupportedOperationException if quiche's clock cannot be hooked here (another OS or CPU, the QUIC
     *         codec's native library missing or unexpected); the message says why and points to real-time mode
     * @throws IllegalStateException if {@code network} is deterministic and this is not its driving thread, or the
     *         network is closed
     */
    public static void enable(VirtualNetwork network) {
        if (network == null) {
            throw new NullPointerException("network");
        }
        if (network.mode() == TimeMode.REAL_TIME) {
            return;
        }
        if (network.simulation().isClosed()) {
            throw new IllegalStateException(network + " is closed");
        }
        synchronized (ENABLED) {
            if (ENABLED.containsKey(network)) {
                return;
            }
            QuicheClock.install();
            ByteBuffer cell = network.clock().timeCell();
            ByteBuffer random = QuicheClock.newRandomState(network.seed());
            network.simulation().addThreadInitializer(() -> QuicheClock.bindCurrentThread(cell, BASE_NANOS, random));
            ENABLED.put(network, cell);
        }
    }

    /**
     * Returns whether QUIC on {@code network} runs on its virtual clock. Always {@code false} in
     * {@link TimeMode#REAL_TIME} mode, where it reads the real clock like the network does.
     *
     * @param network a network
     * @return whether {@code network} has been enabled and is not closed
     */
    public static boolean isEnabled(VirtualNetwork network) {
        synchronized (ENABLED) {
            return ENABLED.containsKey(network);
        }
    }

    /** Called by {@link QuicNetworkExtension} as each network is built. */
    static void networkCreated(VirtualNetwork network) {
        if (network.mode() == TimeMode.REAL_TIME
                || !Boolean.parseBoolean(System.getProperty(AUTO_ENABLE_PROPERTY, "true"))
                || !Quic.isAvailable()) {
            return;
        }
        try {
            enable(network);
        } catch (UnsupportedOperationException e) {
            throw new UnsupportedOperationException(
                    e.getMessage() + " (netty-virtual-quic is on the class path, so "
                            + "every network in a virtual mode runs QUIC on its virtual clock; where no network carries "
                            + "QUIC, set -D" + AUTO_ENABLE_PROPERTY + "=false.)",
                    e);
        }
    }

    /**
     * Called by {@link QuicNetworkExtension} once a network has closed: a deterministic network's driving thread
     * (which outlives it) stops reading its frozen clock, unless another network has bound it since.
     */
    static void networkClosed(VirtualNetwork network) {
        ByteBuffer cell;
        synchronized (ENABLED) {
            cell = ENABLED.remove(network);
        }
        if (cell != null && QuicheClock.boundCell() == cell) {
            QuicheClock.unbindCurrentThread();
        }
    }
}
