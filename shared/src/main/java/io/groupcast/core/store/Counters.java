package io.groupcast.core.store;

import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.UserId;
import java.time.Instant;

/**
 * Counters of what a connection or a user did in a time window, for their rate limits. A counter that cannot be
 * counted for conflicts answers {@link #UNCOUNTED}: over every limit, so that a limit fails closed.
 */
public interface Counters {
    /** What a count that could not be taken answers: more than any limit. */
    long UNCOUNTED = Long.MAX_VALUE;

    /**
     * Counts one more of a connection's {@code kind} of frames ({@code rate}: publishes; {@code frames}: joins, leaves
     * and resumes) in {@code window} and answers how many it made in that window; an earlier window's count is
     * forgotten. The counter expires with the connection.
     */
    long count(ConnectionId connection, String kind, long window, Instant expiresAt);

    /**
     * Counts one more of a user's {@code kind} of frames, across all of the user's connections, in {@code window}
     * and answers how many the user made in it. The counter expires at {@code expiresAt}.
     */
    long count(UserId user, String kind, long window, Instant expiresAt);

    /**
     * Counts one more publish by a connection in {@code window} (an epoch second, say) and answers how many it has
     * made in that window; an earlier window's count is forgotten. The counter expires with the connection.
     */
    default long countPublish(ConnectionId connection, long window, Instant expiresAt) {
        return count(connection, "rate", window, expiresAt);
    }
}
