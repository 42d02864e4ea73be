package io.groupcast.core.store;

/**
 * The store refused a call for its rate (DynamoDB's {@code ProvisionedThroughputExceededException},
 * {@code ThrottlingException} or {@code RequestLimitExceeded}) after the SDK's own retries: the call may succeed if
 * made again a little later.
 */
public final class StoreThrottledException extends StoreUnavailableException {
    private static final long serialVersionUID = 1L;

    public StoreThrottledException(String message, Throwable cause) {
        super(message, cause);
    }
}
