package io.groupcast.core;

import io.groupcast.core.delivery.Connections;
import io.groupcast.core.delivery.PostOutcome;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.ErrorCode;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Names;
import io.groupcast.core.model.RequestException;
import io.groupcast.core.model.UserId;
import io.groupcast.core.store.MembershipStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Group membership and connection management for the server API, working across any number of function instances
 * through the table alone: connections in groups, users linked to groups (their current and future connections are
 * members), presence, and closing connections. Every read is a Query of one partition.
 */
public record Groups(MembershipStore store, Connections connections, Clock clock) {
    /** How long a user's group link lasts when the caller gives no TTL: every item has a TTL. */
    public static final Duration DEFAULT_LINK_TTL = Duration.ofDays(30);
    /** The longest TTL a user's group link may have. */
    public static final Duration MAX_LINK_TTL = Duration.ofDays(365);
    /** The most connections one page of a listing returns. */
    public static final int MAX_PAGE = 1000;

    /** Adds a live connection to a group for the rest of its life; 404 when there is no such live connection. */
    public void addConnection(GroupName group, ConnectionId connection) {
        notReserved(group);
        Instant expires = store.connectionExpiry(connection, clock.instant()).orElseThrow(() -> notFound(connection));
        store.join(connection, group, expires);
    }

    /** Removes a connection from a group; a no-op when it is not a member. */
    public void removeConnection(GroupName group, ConnectionId connection) {
        notReserved(group);
        store.leave(connection, group);
    }

    /**
     * Links a user to a group for {@code ttl} (default {@link #DEFAULT_LINK_TTL}): the user's live connections join
     * now, later ones when they connect. Answers when the link expires.
     */
    public Instant addUser(GroupName group, UserId user, Optional<Duration> ttl) {
        notReserved(group);
        Duration lifetime = ttl.orElse(DEFAULT_LINK_TTL);
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(MAX_LINK_TTL) > 0) {
            throw new RequestException(
                    ErrorCode.INVALID_TTL,
                    "\"ttlSeconds\" must be 1 to " + MAX_LINK_TTL.toSeconds() + " (365 days), was "
                            + lifetime.toSeconds());
        }
        Instant now = clock.instant();
        Instant until = now.plus(lifetime);
        store.link(user, group, until);
        for (ConnectionId connection :
                store.members(GroupName.ofUser(user), now).toList()) {
            store.connectionExpiry(connection, now)
                    .ifPresent(expires -> store.join(connection, group, earliest(expires, until)));
        }
        return until;
    }

    /** Unlinks a user from a group and removes the user's live connections from it. */
    public void removeUser(GroupName group, UserId user) {
        notReserved(group);
        store.unlink(user, group);
        for (ConnectionId connection :
                store.members(GroupName.ofUser(user), clock.instant()).toList()) {
            store.leave(connection, group);
        }
    }

    /** Unlinks a user from every group and removes the user's connections from every group but its own. */
    public int removeUserFromAll(UserId user) {
        Instant now = clock.instant();
        List<GroupName> left = new ArrayList<>(store.links(user, now).keySet());
        left.forEach(group -> store.unlink(user, group));
        for (ConnectionId connection :
                store.members(GroupName.ofUser(user), now).toList()) {
            for (GroupName group : store.groupsOf(connection, now)) {
                if (!group.isUserGroup()) {
                    store.leave(connection, group);
                    if (!left.contains(group)) {
                        left.add(group);
                    }
                }
            }
        }
        return left.size();
    }

    /** How many live connections a group (a user being {@code user:{id}}) has. */
    public long count(GroupName group) {
        return store.members(group, clock.instant()).count();
    }

    /** One page of a group's live connections; {@code limit} 1 to {@link #MAX_PAGE}. */
    public MembershipStore.Page list(GroupName group, int limit, Optional<String> after) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new RequestException(
                    ErrorCode.INVALID_LIMIT, "\"limit\" must be 1 to " + MAX_PAGE + ", was " + limit);
        }
        after.ifPresent(ConnectionId::of);
        return store.members(group, clock.instant(), limit, after);
    }

    /** What closing some connections did. */
    public record Closed(int closed, int gone, int failed) {}

    /** Closes one connection through the management API and removes its memberships (even when it was gone). */
    public Closed close(ConnectionId connection) {
        return closeAll(List.of(connection));
    }

    /** Closes every live connection of a group (a user being {@code user:{id}}) and removes their memberships. */
    public Closed closeGroup(GroupName group) {
        return closeAll(store.members(group, clock.instant()).toList());
    }

    private Closed closeAll(List<ConnectionId> targets) {
        List<CompletableFuture<PostOutcome>> outcomes =
                targets.stream().map(connections::close).toList();
        int closed = 0;
        int gone = 0;
        int failed = 0;
        for (int i = 0; i < targets.size(); i++) {
            PostOutcome outcome = outcomes.get(i).join();
            switch (outcome) {
                case DELIVERED -> closed++;
                case GONE -> gone++;
                default -> failed++;
            }
            if (outcome == PostOutcome.DELIVERED || outcome == PostOutcome.GONE) {
                store.disconnect(targets.get(i));
            }
        }
        return new Closed(closed, gone, failed);
    }

    private static void notReserved(GroupName group) {
        if (group.isUserGroup()) {
            throw new RequestException(
                    ErrorCode.RESERVED_GROUP,
                    "groups starting with \"user:\" are each user's own; use the /users routes");
        }
    }

    private static RequestException notFound(ConnectionId connection) {
        return new RequestException(
                ErrorCode.CONNECTION_NOT_FOUND, "there is no live connection " + Names.describe(connection.value()));
    }

    static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
