package io.groupcast.core.store;

import io.groupcast.core.model.ConnectionId;
import java.time.Instant;

/** Counters of what a connection did in a time window, for its rate limits. */
public interface Counters {
    /**
     * Counts one more publish by a connection in {@code window} (an epoch second, say) and answers how many it has
     * made in that window; an earlier window's count is forgotten. The counter expires with the connection.
     */
    long countPublish(ConnectionId connection, long window, Instant expiresAt);
}
