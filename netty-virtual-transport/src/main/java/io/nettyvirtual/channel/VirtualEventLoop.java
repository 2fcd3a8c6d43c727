package io.nettyvirtual.channel;

import io.netty.channel.ManualIoEventLoop;
import io.nettyvirtual.network.VirtualNetwork;
import io.nettyvirtual.time.LoopRegistration;
import io.nettyvirtual.time.SimulatedLoop;

import java.util.concurrent.RejectedExecutionException;

/**
 * One event loop of a {@link VirtualEventLoopGroup}: Netty's {@link ManualIoEventLoop} with the simulation's clock
 * as its ticker, so every task scheduled on it runs in simulation time. Driven by the simulation: by the driving
 * thread in deterministic mode, by a thread of its own otherwise.
 */
final class VirtualEventLoop extends ManualIoEventLoop implements SimulatedLoop {
    private final VirtualNetwork network;
    final LoopRegistration registration;
    VirtualIoHandler ioHandler; // set by the handler's constructor, during super(...)

    VirtualEventLoop(VirtualEventLoopGroup parent, Thread owner, VirtualNetwork network) {
        super(parent, owner, VirtualIoHandler.factory(), network.clock());
        this.network = network;
        this.registration = network.simulation().register(this);
    }

    VirtualNetwork network() {
        return network;
    }

    @Override
    public int runReady() {
        return runNow();
    }

    @Override
    public long nextDeadline() {
        return nextScheduledTaskDeadlineNanos();
    }

    /**
     * Closes this loop's channels, lets what their closing set in motion run, then shuts the loop down without a
     * quiet period (the quiet period of {@link VirtualEventLoopGroup#shutdownGracefully} is waited in simulation
     * time before this is called).
     *
     * <p>Closing a channel queues tasks on its loop (channelInactive, deregistration) and handlers queue more: the
     * QUIC codec closes its connections and their streams from there. Once {@code shutdown()} is called the loop
     * refuses every new task, so they run first. Netty's graceful shutdown would run them too, but it waits for a
     * quiet period on the loop's clock, which does not move while a deterministic simulation is closing.
     */
    @SuppressWarnings("deprecation")
    @Override
    public void stop() {
        if (isShuttingDown()) {
            return;
        }
        if (inEventLoop()) {
            ioHandler.closeAll();
            while (runNonBlockingTasks(0) > 0) {
                // tasks queued by the closes, and the tasks those queue
            }
            shutdown();
        } else {
            try {
                execute(this::stop);
            } catch (RejectedExecutionException ignored) {
                // already terminated
            }
        }
    }
}
