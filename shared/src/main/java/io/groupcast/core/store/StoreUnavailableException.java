package io.groupcast.core.store;

/** The membership store could not be reached or refused the call; the cause is kept for the logs. */
public final class StoreUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What a client is told: never the cause, which names hosts and SDK internals. */
    public static final String ANSWER = "the membership store is unavailable; try again";

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
