package io.nettyvirtual.channel;

import java.net.InetSocketAddress;
import java.nio.channels.AlreadyConnectedException;

/** An {@link AlreadyConnectedException} that names both addresses: a connected channel sent elsewhere. */
final class AlreadyConnectedError extends AlreadyConnectedException {
    private static final long serialVersionUID = 1L;
    private final String message;

    AlreadyConnectedError(InetSocketAddress connectedTo, InetSocketAddress recipient) {
        this.message = "connected to " + connectedTo + "; cannot send to " + recipient;
    }

    @Override
    public String getMessage() {
        return message;
    }
}
