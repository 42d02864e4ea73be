package io.groupcast.core.delivery;

import java.time.Duration;

/**
 * Limits of a fan-out: posts in flight, retries of 429/5xx with exponential backoff and full jitter, and the time
 * kept in reserve at the end of the budget (no new post starts with less than that left).
 */
public record FanoutSettings(int maxInFlight, int maxRetries, Duration baseDelay, Duration maxDelay, Duration reserve) {
    /** Default posts in flight (see BENCHMARKS.md for the measurements). */
    public static final int DEFAULT_MAX_IN_FLIGHT = 128;
    /** Default retries of a throttled or failed (5xx) post. */
    public static final int DEFAULT_MAX_RETRIES = 3;

    public FanoutSettings {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must not be negative, was " + maxRetries);
        }
    }

    /** Defaults: 128 in flight, 3 retries from 100 ms up to 2 s, 4 s reserve (one post's timeout and a second). */
    public static FanoutSettings defaults() {
        return new FanoutSettings(
                DEFAULT_MAX_IN_FLIGHT,
                DEFAULT_MAX_RETRIES,
                Duration.ofMillis(100),
                Duration.ofSeconds(2),
                Duration.ofSeconds(4));
    }

    /** The same settings with another in-flight limit. */
    public FanoutSettings withMaxInFlight(int limit) {
        return new FanoutSettings(limit, maxRetries, baseDelay, maxDelay, reserve);
    }

    /** The same settings with other retry delays. */
    public FanoutSettings withDelays(Duration base, Duration max) {
        return new FanoutSettings(maxInFlight, maxRetries, base, max, reserve);
    }
}
