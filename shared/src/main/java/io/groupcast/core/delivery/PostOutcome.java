package io.groupcast.core.delivery;

/** What became of one post to one connection. */
public enum PostOutcome {
    /** The management API accepted the message. */
    DELIVERED,
    /** 410 Gone: the connection no longer exists and its memberships should be pruned. */
    GONE,
    /** 429 LimitExceeded or a 5xx: nothing was delivered and the same post may be tried again. */
    RETRYABLE,
    /** Any other failure (403, 413, a timeout whose outcome is unknown, ...): not tried again. */
    FAILED
}
