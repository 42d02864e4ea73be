package io.groupcast.core.store;

import java.time.Duration;

/** The membership store could not be reached or refused the call; the cause is kept for the logs. */
public final class StoreUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What a client is told: never the cause, which names hosts and SDK internals. */
    public static final String ANSWER = "the membership store is unavailable; try again";

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Refuses to start another store call with less than {@code callLimit} of the invocation's time left, so that a
     * store that answers slowly fails the request instead of running it past the function's time limit.
     */
    public static void requireTime(long remainingMillis, Duration callLimit) {
        if (remainingMillis < callLimit.toMillis()) {
            throw new StoreUnavailableException(
                    "stopped with " + remainingMillis + " ms left: another store call may take " + callLimit.toMillis()
                            + " ms",
                    null);
        }
    }
}
