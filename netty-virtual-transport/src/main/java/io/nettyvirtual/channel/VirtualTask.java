package io.nettyvirtual.channel;

import io.netty.util.concurrent.EventExecutor;
import io.nettyvirtual.engine.Simulation;
import java.util.concurrent.Callable;
import java.util.concurrent.RunnableFuture;

/** A task submitted to a virtual event loop, and its future (a {@link VirtualPromise}, so waiting on it drives). */
final class VirtualTask<V> extends VirtualPromise<V> implements RunnableFuture<V> {
    private final Callable<V> task;

    VirtualTask(EventExecutor executor, Simulation simulation, Callable<V> task) {
        super(executor, simulation);
        this.task = task;
    }

    @Override
    public void run() {
        if (!setUncancellable()) {
            return;
        }
        try {
            trySuccess(task.call());
        } catch (Throwable t) {
            tryFailure(t);
        }
    }

    @Override
    protected StringBuilder toStringBuilder() {
        return super.toStringBuilder().append(" task: ").append(task);
    }
}
