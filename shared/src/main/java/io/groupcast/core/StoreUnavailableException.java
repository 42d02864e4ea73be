package io.groupcast.core;

/** The membership store could not be reached or refused the call; the cause is kept for the logs. */
public final class StoreUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
