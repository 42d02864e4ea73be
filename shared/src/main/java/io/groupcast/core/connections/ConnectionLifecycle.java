package io.groupcast.core.connections;

import io.groupcast.core.delivery.Budget;
import io.groupcast.core.groups.Groups;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.ErrorCode;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Names;
import io.groupcast.core.model.RequestException;
import io.groupcast.core.store.LinkStore;
import io.groupcast.core.store.MembershipStore;
import io.groupcast.core.store.StoreUnavailableException;
import io.groupcast.core.streams.Streams;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** A connection opening ({@code $connect}) and closing ({@code $disconnect}): what the table records of it. */
public record ConnectionLifecycle(
        MembershipStore store, LinkStore links, Streams streams, UserLimits limits, Clock clock) {

    /**
     * Records a new connection in its user's group, then in every group its user is linked to (at most
     * {@link UserLimits#maxLinks}), each membership ending when the connection or the link ends, whichever is first.
     * Refuses with {@code too_many_connections}, recording nothing, when the user already has
     * {@link UserLimits#maxConnections} live connections (connects racing each other can pass the check together).
     * Answers how many links applied.
     */
    public int opened(Connection connection) {
        return opened(connection, Budget.unlimited());
    }

    /**
     * As {@link #opened(Connection)}, starting no store call with less than {@link StoreUnavailableException#CALL_TIMEOUT} of
     * {@code budget} left: a slow store fails the connect (500, nothing half-joined that TTL and reads do not cover)
     * before the function's time limit.
     */
    public int opened(Connection connection, Budget budget) {
        StoreUnavailableException.requireTime(budget.remainingMillis());
        GroupName own = GroupName.ofUser(connection.user());
        long live = store.members(own, clock.instant())
                .filter(other -> !other.equals(connection.id()))
                .limit(limits.maxConnections())
                .count();
        if (live >= limits.maxConnections()) {
            throw new RequestException(
                    ErrorCode.TOO_MANY_CONNECTIONS,
                    "user " + Names.describe(connection.user().value()) + " already has " + live
                            + " live connections, the most allowed (MaxConnectionsPerUser)");
        }
        StoreUnavailableException.requireTime(budget.remainingMillis());
        store.connect(connection);
        StoreUnavailableException.requireTime(budget.remainingMillis());
        streams.joined(connection, own, -1);
        StoreUnavailableException.requireTime(budget.remainingMillis());
        Map<GroupName, Instant> linked = links.links(connection.user(), clock.instant()).entrySet().stream()
                .limit(limits.maxLinks())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        if (linked.isEmpty()) {
            return 0;
        }
        linked.forEach((group, until) -> {
            StoreUnavailableException.requireTime(budget.remainingMillis());
            streams.joined(connection, group, -1);
            store.join(connection.recipient(), group, Groups.earliest(connection.expiresAt(), until));
        });
        StoreUnavailableException.requireTime(budget.remainingMillis());
        // A link removed while this connection joined it may have missed the connection (the removal lists the
        // user's connections before the join lands): read the links again and leave the groups no longer linked.
        Set<GroupName> still = links.links(connection.user(), clock.instant()).keySet();
        int applied = 0;
        for (GroupName group : linked.keySet()) {
            if (still.contains(group)) {
                applied++;
            } else {
                store.leave(connection.id(), group);
                streams.left(connection, group);
            }
        }
        return applied;
    }

    /** Removes a connection and every membership it has; answers how many groups it left. Running it twice is harmless. */
    public int closed(ConnectionId connection) {
        return store.disconnect(connection);
    }

    /** The store's read path on a partition no one writes (SnapStart priming). */
    public void prime(GroupName group) {
        store.prime(group, clock.instant());
    }
}
