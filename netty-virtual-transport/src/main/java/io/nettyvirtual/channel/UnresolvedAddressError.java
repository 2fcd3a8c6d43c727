package io.nettyvirtual.channel;

import java.net.InetSocketAddress;
import java.nio.channels.UnresolvedAddressException;

/** An {@link UnresolvedAddressException} that names the address and says the network resolves no names. */
final class UnresolvedAddressError extends UnresolvedAddressException {
    private static final long serialVersionUID = 1L;
    private final String message;

    UnresolvedAddressError(InetSocketAddress address) {
        this.message = "unresolved address: " + address.getHostString() + ":" + address.getPort()
                + " (the virtual network resolves no names; use an address literal)";
    }

    @Override
    public String getMessage() {
        return message;
    }
}
