package io.nettyvirtual.network;

import io.nettyvirtual.NetworkExtension;
import io.nettyvirtual.VirtualNetwork;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link NetworkExtension} registered for the transport's tests (see {@code META-INF/services}): records what it is
 * told, and refuses networks while {@link #refuse} is set on the building thread.
 */
public final class RecordingExtension implements NetworkExtension {
    static final List<String> EVENTS = new CopyOnWriteArrayList<>();
    static final ThreadLocal<String> REFUSE = new ThreadLocal<>();

    @Override
    public void networkCreated(VirtualNetwork network) {
        EVENTS.add("created " + network.seed() + " on " + Thread.currentThread().getName());
        String refusal = REFUSE.get();
        if (refusal != null) {
            throw new UnsupportedOperationException(refusal);
        }
    }

    @Override
    public void networkClosed(VirtualNetwork network) {
        EVENTS.add("closed " + network.seed() + " on " + Thread.currentThread().getName());
    }
}
