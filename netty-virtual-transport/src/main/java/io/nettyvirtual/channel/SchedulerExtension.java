package io.nettyvirtual.channel;

import io.nettyvirtual.NetworkExtension;
import io.nettyvirtual.VirtualNetwork;

/**
 * Gives every network its {@link VirtualNetwork#scheduler()}: an event loop of a one-loop
 * {@link VirtualEventLoopGroup}, made on first use. The network model knows no event loops; this layer, which
 * has them, tells it how to make one. Found with {@link java.util.ServiceLoader}, as any {@link NetworkExtension}.
 */
public final class SchedulerExtension implements NetworkExtension {
    /** Called by {@link java.util.ServiceLoader}. */
    public SchedulerExtension() {}

    @Override
    public void networkCreated(VirtualNetwork network) {
        network.schedulerFactory(n -> new VirtualEventLoopGroup(n, 1).next());
    }
}
