package io.nettyvirtual.channel;

import java.nio.channels.ClosedChannelException;

/** A {@link ClosedChannelException} that names the channel and what could not be done. */
final class ClosedChannelError extends ClosedChannelException {
    private static final long serialVersionUID = 1L;
    private final String message;

    ClosedChannelError(String message) {
        this.message = message;
    }

    @Override
    public String getMessage() {
        return message;
    }
}
