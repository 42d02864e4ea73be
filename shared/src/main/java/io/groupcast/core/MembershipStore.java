package io.groupcast.core;

import java.time.Instant;
import java.util.Set;
import java.util.stream.Stream;

/** Who belongs to which group: the port every function shares, backed by one DynamoDB table. */
public interface MembershipStore {
    /** Records a newly opened connection and adds it to its user's group. */
    void connect(Connection connection);

    /** Adds a connection to a group until {@code expiresAt}; joining twice is harmless. */
    void join(ConnectionId connection, GroupName group, Instant expiresAt);

    /** Removes a connection from a group; a no-op when it is not a member. */
    void leave(ConnectionId connection, GroupName group);

    /** Removes a connection and every membership it has; returns how many groups it left. Idempotent. */
    int disconnect(ConnectionId connection);

    /** The members of a group whose memberships have not expired at {@code now}, read page by page. */
    Stream<ConnectionId> members(GroupName group, Instant now);

    /** The groups a connection belongs to whose memberships have not expired at {@code now} (its user group too). */
    Set<GroupName> groupsOf(ConnectionId connection, Instant now);
}
