package io.nettyvirtual;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ServiceLoader;

/** The {@link NetworkExtension}s on the class path, found once per class loader, and telling them about a network. */
final class Extensions {
    private static final List<NetworkExtension> ALL = load();

    private Extensions() {}

    private static List<NetworkExtension> load() {
        List<NetworkExtension> list = new ArrayList<>();
        for (NetworkExtension e : ServiceLoader.load(NetworkExtension.class, VirtualNetwork.class.getClassLoader())) {
            list.add(e);
        }
        return Collections.unmodifiableList(list);
    }

    /** Tells every extension about {@code network}; if one throws, closes the network and rethrows. */
    static void created(VirtualNetwork network) {
        try {
            for (NetworkExtension e : ALL) {
                e.networkCreated(network);
            }
        } catch (RuntimeException | Error e) {
            try {
                network.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Tells every extension that {@code network} is closed. */
    static void closed(VirtualNetwork network) {
        for (NetworkExtension e : ALL) {
            e.networkClosed(network);
        }
    }
}
