package io.groupcast.client;

import java.util.Optional;

/**
 * What a send did: every live recipient is exactly one of delivered, gone (its connection had closed, now forgotten),
 * failed or skipped (the server API ran out of time); and how long the fan-out took. A send too large for the server
 * API's time was handed to the fan-out workers after these counts: {@code notificationId} follows the rest with
 * {@link GroupcastClient#notificationStatus}. {@code duplicate} says the server had already done a send with this
 * idempotency key and answered with its counts, delivering nothing again.
 */
public record SendResult(
        int recipients,
        int delivered,
        int gone,
        int failed,
        int skipped,
        long elapsedMs,
        Optional<String> notificationId,
        boolean duplicate) {
    /** A send delivered within the call. */
    public SendResult(int recipients, int delivered, int gone, int failed, int skipped, long elapsedMs) {
        this(recipients, delivered, gone, failed, skipped, elapsedMs, Optional.empty(), false);
    }

    /** A first send, perhaps handed to the workers. */
    public SendResult(
            int recipients, int delivered, int gone, int failed, int skipped, long elapsedMs, Optional<String> id) {
        this(recipients, delivered, gone, failed, skipped, elapsedMs, id, false);
    }
}
