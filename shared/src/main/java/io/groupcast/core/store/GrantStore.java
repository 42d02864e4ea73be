package io.groupcast.core.store;

import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.Grant;
import io.groupcast.core.model.Grants;
import java.time.Instant;

/** What the server granted each connection, beyond its token's roles. */
public interface GrantStore {
    /** Grants a connection a permission until {@code expiresAt} (its own expiry); granting twice is harmless. */
    void grant(ConnectionId connection, Grant grant, Instant expiresAt);

    /** Takes back a grant; a no-op when the connection does not have it. */
    void revoke(ConnectionId connection, Grant grant);

    /** What the server has granted a connection and has not expired at {@code now}. */
    Grants grants(ConnectionId connection, Instant now);
}
