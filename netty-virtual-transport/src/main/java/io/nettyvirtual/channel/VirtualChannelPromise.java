package io.nettyvirtual.channel;

import io.netty.channel.Channel;
import io.netty.channel.DefaultChannelPromise;
import io.netty.util.concurrent.BlockingOperationException;
import io.netty.util.concurrent.EventExecutor;

/**
 * A channel promise whose dead-lock check explains, in deterministic mode, what to call instead of blocking.
 */
final class VirtualChannelPromise extends DefaultChannelPromise {
    VirtualChannelPromise(Channel channel) {
        super(channel);
    }

    VirtualChannelPromise(Channel channel, EventExecutor executor) {
        super(channel, executor);
    }

    @Override
    protected void checkDeadLock() {
        EventExecutor e = executor();
        if (e != null && e.inEventLoop()) {
            throw new BlockingOperationException(this + ": blocking on a simulation future from the thread that "
                    + "drives the simulation would stop its clock; call network.runUntil(future) instead");
        }
    }
}
