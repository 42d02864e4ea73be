package io.groupcast.core.store;

import java.time.Duration;

/** The membership store could not be reached or refused the call; the cause is kept for the logs. */
public class StoreUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What a client is told: never the cause, which names hosts and SDK internals. */
    public static final String ANSWER = "the membership store is unavailable; try again";

    /**
     * The longest one store call may take, retries included (the SDK's call timeout): a store that hangs fails a call
     * after this.
     */
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(6);

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Refuses to start another store call with less than {@link #CALL_TIMEOUT} of the invocation's time left, so that
     * a store that answers slowly fails the request instead of running it past the function's time limit.
     */
    public static void requireTime(long remainingMillis) {
        if (remainingMillis < CALL_TIMEOUT.toMillis()) {
            throw new StoreUnavailableException(
                    "stopped with " + remainingMillis + " ms left: another store call may take "
                            + CALL_TIMEOUT.toMillis() + " ms",
                    null);
        }
    }
}
