package io.groupcast.client;

import java.util.Optional;

/**
 * What a send did: every live recipient is exactly one of delivered, gone (its connection had closed, now forgotten),
 * failed or skipped (the server API ran out of time); and how long the fan-out took. A send too large for the server
 * API's time was handed to the fan-out workers after these counts: {@code notificationId} follows the rest with
 * {@link GroupcastClient#notificationStatus}.
 */
public record SendResult(
        int recipients,
        int delivered,
        int gone,
        int failed,
        int skipped,
        long elapsedMs,
        Optional<String> notificationId) {
    /** A send delivered within the call. */
    public SendResult(int recipients, int delivered, int gone, int failed, int skipped, long elapsedMs) {
        this(recipients, delivered, gone, failed, skipped, elapsedMs, Optional.empty());
    }
}
