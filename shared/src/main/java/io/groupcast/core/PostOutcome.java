package io.groupcast.core;

/** What became of one post to one connection. */
public enum PostOutcome {
    /** The management API accepted the message. */
    DELIVERED,
    /** 410 Gone: the connection no longer exists and its memberships should be pruned. */
    GONE,
    /** Any other failure; the connection is left alone. */
    FAILED
}
