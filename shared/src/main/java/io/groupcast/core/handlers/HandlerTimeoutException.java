package io.groupcast.core.handlers;

/** The event handler did not answer in time; the message is for the logs, never for clients. */
public final class HandlerTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HandlerTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
