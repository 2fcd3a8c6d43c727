package io.nettyvirtual.quic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicConnectionPathStats;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * quiche on NIO loopback, with the event loop thread bound to a cell that only the test moves: quiche's
 * view of time is the cell's, not the wall clock's.
 *
 * <p>Real NIO is not a virtual-time transport: Netty's timers still run on the wall clock, and how the
 * datagrams of one flight are batched into reads varies from run to run. So the checks are the ones that
 * hold in every run: an exact value where the cell never moves, bounds where it moves per datagram.
 */
@EnabledOnOs(
        value = OS.LINUX,
        architectures = {"amd64", "x86_64"})
class QuicheVirtualClockTest {

    /** Makes the virtual monotonic clock read one day at cell zero. */
    private static final long BASE = TimeUnit.DAYS.toNanos(1);

    /** Virtual time added before each datagram reaches a QUIC codec: a one-way delay. */
    private static final long ONE_WAY = TimeUnit.SECONDS.toNanos(30);

    /** Long enough that no idle timeout fires however far the cell moves. */
    private static final long IDLE_TIMEOUT_MS = TimeUnit.DAYS.toMillis(1);

    @BeforeAll
    static void install() {
        QuicheClock.install();
    }

    @Test
    void aFrozenCellFreezesQuichesClock() throws Exception {
        try (Simulation sim = new Simulation(0)) {
            sim.handshakeAndEcho();
            // Every RTT sample is "received at the time it was sent". On real loopback (see QuicheClockTest)
            // quiche's RTT is always above zero.
            assertEquals(0, sim.stats.rtt(), () -> "rtt with a frozen clock: " + sim.stats);
            assertEquals(0, QuicheClock.readCell(sim.cell));
        }
    }

    @Test
    void quicheMeasuresTheDelayTheCellWasAdvancedBy() throws Exception {
        long wallStart = System.nanoTime();
        try (Simulation sim = new Simulation(ONE_WAY)) {
            sim.handshakeAndEcho();
            long wall = System.nanoTime() - wallStart;
            long virtual = QuicheClock.readCell(sim.cell);

            // Every acknowledgement crossed two datagram reads, each of which moved the clock by ONE_WAY, so
            // every RTT sample, and with them the smoothed RTT, is at least two of them; how many more
            // depends on how a flight's datagrams were batched. The handshake took a fraction of that in
            // wall time, so this RTT can only have come from the cell.
            long rtt = sim.stats.rtt();
            assertTrue(rtt >= 2 * ONE_WAY, () -> "rtt " + rtt + " < " + 2 * ONE_WAY + ": " + sim.stats);
            assertTrue(rtt <= virtual, () -> "rtt " + rtt + " > virtual time elapsed " + virtual);
            assertTrue(wall < 2 * ONE_WAY, () -> "the handshake took " + wall + " ns of wall time");
            assertEquals(0, virtual % ONE_WAY, "the cell moved only by whole one-way delays");
        }
    }

    @Test
    void twoSimulationsInOneJvmEachSeeTheirOwnClock() throws Exception {
        try (Simulation frozen = new Simulation(0);
                Simulation delayed = new Simulation(ONE_WAY)) {
            // Both handshakes in flight at the same time, on two loop threads bound to two cells.
            Future<QuicChannel> a = frozen.pair.connectAsync();
            Future<QuicChannel> b = delayed.pair.connectAsync();
            a.get(20, TimeUnit.SECONDS);
            b.get(20, TimeUnit.SECONDS);
            frozen.echoAndCollectStats();
            delayed.echoAndCollectStats();

            assertEquals(0, frozen.stats.rtt(), () -> "frozen: " + frozen.stats);
            assertTrue(delayed.stats.rtt() >= 2 * ONE_WAY, () -> "delayed: " + delayed.stats);
            assertEquals(0, QuicheClock.readCell(frozen.cell));
        }
        assertFalse(QuicheClock.isCurrentThreadBound(), "the test thread was never bound");
    }

    /** One simulated network: a loop thread bound to its own cell, and a QUIC echo pair on it. */
    private static final class Simulation implements AutoCloseable {
        final ByteBuffer cell = QuicheClock.newCell();
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        final QuicEchoPair pair;
        QuicConnectionPathStats stats;

        Simulation(long oneWayDelayNanos) throws Exception {
            for (EventExecutor loop : group) {
                loop.submit(() -> QuicheClock.bindCurrentThread(cell, BASE)).sync();
            }
            Supplier<ChannelHandler> front = oneWayDelayNanos == 0 ? null : () -> new Delay(cell, oneWayDelayNanos);
            pair = QuicEchoPair.bind(group, front, IDLE_TIMEOUT_MS);
        }

        void handshakeAndEcho() throws Exception {
            assertTrue(pair.connect().isActive());
            echoAndCollectStats();
        }

        void echoAndCollectStats() throws Exception {
            assertEquals("virtual time", pair.echo("virtual time"));
            stats = pair.clientPathStats();
        }

        @Override
        public void close() throws Exception {
            try {
                pair.close();
                for (EventExecutor loop : group) {
                    loop.submit(QuicheClock::unbindCurrentThread).sync();
                }
            } finally {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            }
        }
    }

    /**
     * In front of a QUIC codec: moves the simulation's clock by a one-way delay before each datagram is
     * read. Runs on the bound loop thread, which is the only writer of the cell.
     */
    private static final class Delay extends ChannelInboundHandlerAdapter {
        private final ByteBuffer cell;
        private final long oneWayNanos;

        Delay(ByteBuffer cell, long oneWayNanos) {
            this.cell = cell;
            this.oneWayNanos = oneWayNanos;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            QuicheClock.writeCell(cell, QuicheClock.readCell(cell) + oneWayNanos);
            ctx.fireChannelRead(msg);
        }
    }
}
