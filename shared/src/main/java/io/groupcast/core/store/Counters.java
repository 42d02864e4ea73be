package io.groupcast.core.store;

import io.groupcast.core.model.ConnectionId;
import java.time.Instant;

/** Counters of what a connection did in a time window, for its rate limits. */
public interface Counters {
    /**
     * Counts one more of a connection's {@code kind} of frames ({@code rate}: publishes; {@code frames}: joins, leaves
     * and resumes) in {@code window} and answers how many it made in that window; an earlier window's count is
     * forgotten. The counter expires with the connection.
     */
    long count(ConnectionId connection, String kind, long window, Instant expiresAt);

    /**
     * Counts one more publish by a connection in {@code window} (an epoch second, say) and answers how many it has
     * made in that window; an earlier window's count is forgotten. The counter expires with the connection.
     */
    default long countPublish(ConnectionId connection, long window, Instant expiresAt) {
        return count(connection, "rate", window, expiresAt);
    }
}
