package io.groupcast.core;

import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.store.MembershipStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/** A connection opening ({@code $connect}) and closing ({@code $disconnect}): what the table records of it. */
public record ConnectionLifecycle(MembershipStore store, Clock clock) {

    /**
     * Records a new connection in its user's group, then in every group its user is linked to, each membership
     * ending when the connection or the link ends, whichever is first. Answers how many links applied.
     */
    public int opened(Connection connection) {
        store.connect(connection);
        Map<GroupName, Instant> links = store.links(connection.user(), clock.instant());
        links.forEach(
                (group, until) -> store.join(connection.id(), group, Groups.earliest(connection.expiresAt(), until)));
        return links.size();
    }

    /** Removes a connection and every membership it has; answers how many groups it left. Running it twice is harmless. */
    public int closed(ConnectionId connection) {
        return store.disconnect(connection);
    }

    /** The store's read path on a partition no one writes (SnapStart priming). */
    public void prime(GroupName group) {
        store.members(group, clock.instant()).count();
    }
}
