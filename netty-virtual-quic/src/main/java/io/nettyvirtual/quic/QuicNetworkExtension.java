package io.nettyvirtual.quic;

import io.nettyvirtual.NetworkExtension;
import io.nettyvirtual.VirtualNetwork;

/**
 * Puts every network built in this JVM on virtual time for QUIC as it is built; found by the transport through
 * {@code META-INF/services}. See {@link QuicVirtualTime}. Not meant to be used directly.
 */
public final class QuicNetworkExtension implements NetworkExtension {

    /** Called by {@link java.util.ServiceLoader}. */
    public QuicNetworkExtension() {}

    @Override
    public void networkCreated(VirtualNetwork network) {
        QuicVirtualTime.networkCreated(network);
    }

    @Override
    public void networkClosed(VirtualNetwork network) {
        QuicVirtualTime.networkClosed(network);
    }
}
