package io.groupcast.core.handlers;

/**
 * The event handler threw, answered what is not a reply, or could not be reached; the message is for the logs, never
 * for clients.
 */
public final class HandlerFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HandlerFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    public HandlerFailedException(String message) {
        super(message);
    }
}
