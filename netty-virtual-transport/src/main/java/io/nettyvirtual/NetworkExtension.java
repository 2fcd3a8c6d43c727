package io.nettyvirtual;

/**
 * Puts code that reads its own clock on a network's clock without the user having to remember it: implementations
 * are found with {@link java.util.ServiceLoader} (a {@code META-INF/services/io.nettyvirtual.NetworkExtension}
 * file in their jar) and told about every {@link VirtualNetwork} built in the JVM. {@code netty-virtual-quic} uses
 * it to make Netty's QUIC codec read each network's virtual clock: having the module on the class path is the
 * switch.
 *
 * <p>Implementations must be cheap when they have nothing to do, and must not drive the network.
 */
public interface NetworkExtension {

    /**
     * Called at the end of {@link VirtualNetwork.Builder#build()}, on the building thread (the driving thread of a
     * deterministic network), before any event loop exists. Typically adds a thread initializer
     * ({@code network.simulation().addThreadInitializer(...)}).
     *
     * <p>Throwing fails the build (the network is closed first): do it only where the network would otherwise run
     * code on the wrong clock without telling, and say why in the message.
     *
     * @param network the new network
     */
    void networkCreated(VirtualNetwork network);

    /**
     * Called at the end of {@link VirtualNetwork#close()}, on the closing thread, once every event loop of the
     * network has terminated. Undo here what must not outlive the network on that thread.
     *
     * @param network the closed network
     */
    default void networkClosed(VirtualNetwork network) {}
}
