package io.groupcast.core.groups;

import io.groupcast.core.delivery.Budget;
import io.groupcast.core.delivery.ConnectionCalls;
import io.groupcast.core.delivery.FanoutResult;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.ErrorCode;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Names;
import io.groupcast.core.model.RequestException;
import io.groupcast.core.model.UserId;
import io.groupcast.core.store.LinkStore;
import io.groupcast.core.store.MembershipStore;
import io.groupcast.core.streams.Streams;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Group membership and connection management for the server API, working across any number of function instances
 * through the table alone: connections in groups, users linked to groups (their current and future connections are
 * members), presence, and closing connections. Every read is a Query of one partition.
 */
public record Groups(
        MembershipStore store, LinkStore links, ConnectionCalls calls, Streams streams, int maxLinks, Clock clock) {
    /** How long a user's group link lasts when the caller gives no TTL: every item has a TTL. */
    public static final Duration DEFAULT_LINK_TTL = Duration.ofDays(30);
    /** The longest TTL a user's group link may have. */
    public static final Duration MAX_LINK_TTL = Duration.ofDays(365);
    /** The most connections {@code GET /groups/{g}?verify=true} checks one by one. */
    public static final int MAX_VERIFIED_GROUP = 1000;
    /** The most connections a user's presence checks one by one ({@code MaxConnectionsPerUser}'s largest value). */
    public static final int MAX_VERIFIED_USER = 10_000;
    /** The most connections one page of a listing returns. */
    public static final int MAX_PAGE = 1000;

    /** Adds a live connection to a group for the rest of its life; 404 when there is no such live connection. */
    public void addConnection(GroupName group, ConnectionId connection) {
        notReserved(group);
        Connection live = store.connection(connection, clock.instant()).orElseThrow(() -> notFound(connection));
        streams.joined(live, group, -1);
        store.join(live.recipient(), group, live.expiresAt());
    }

    /** Removes a connection from a group; a no-op when it is not a member. */
    public void removeConnection(GroupName group, ConnectionId connection) {
        notReserved(group);
        store.leave(connection, group);
        store.connection(connection, clock.instant()).ifPresent(live -> streams.left(live, group));
    }

    /**
     * Links a user to a group for {@code ttl} (default {@link #DEFAULT_LINK_TTL}): the user's live connections join
     * now, later ones when they connect. Refuses with {@code too_many_links} when the user is already linked to
     * {@code maxLinks} other groups. Answers when the link expires.
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
        Map<GroupName, Instant> linked = links.links(user, now);
        if (!linked.containsKey(group) && linked.size() >= maxLinks) {
            throw new RequestException(
                    ErrorCode.TOO_MANY_LINKS,
                    "user " + Names.describe(user.value()) + " is already linked to " + linked.size()
                            + " groups, the most allowed (MaxLinksPerUser); remove one first");
        }
        Instant until = now.plus(lifetime);
        links.link(user, group, until);
        for (ConnectionId connection :
                store.members(GroupName.ofUser(user), now).toList()) {
            store.connection(connection, now).ifPresent(live -> {
                streams.joined(live, group, -1);
                store.join(live.recipient(), group, earliest(live.expiresAt(), until));
            });
        }
        return until;
    }

    /** Unlinks a user from a group and removes the user's live connections from it. */
    public void removeUser(GroupName group, UserId user) {
        notReserved(group);
        links.unlink(user, group);
        for (ConnectionId connection :
                store.members(GroupName.ofUser(user), clock.instant()).toList()) {
            store.leave(connection, group);
        }
        streams.removed(user, group);
    }

    /** Unlinks a user from every group and removes the user's connections from every group but its own. */
    public int removeUserFromAll(UserId user) {
        Instant now = clock.instant();
        List<GroupName> left = new ArrayList<>(links.links(user, now).keySet());
        left.forEach(group -> links.unlink(user, group));
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
        left.forEach(group -> streams.removed(user, group));
        return left.size();
    }

    /** How many connections a group (a user being {@code user:{id}}) has in the table: cheap, and not verified. */
    public long count(GroupName group) {
        return store.members(group, clock.instant()).count();
    }

    /**
     * What a presence check found: connections open, gone (410, pruned as a notify would prune them), and not
     * verified (no time left, or the management API did not say: counted as open).
     */
    public record Presence(int connections, int gone, int unverified) {}

    /**
     * How many of a group's connections are open, asking the management API about each ({@code GET @connections},
     * through {@link ConnectionCalls}: bounded, within the budget's reserve): a connection answered 410 is pruned,
     * unless it is still inside its connect window (then it is about to open, and counts). Refuses with
     * {@code too_many_to_verify} a group of more than {@code max} connections.
     */
    public Presence presence(GroupName group, int max, Budget budget) {
        List<ConnectionId> members =
                store.members(group, clock.instant()).limit(max + 1L).toList();
        if (members.size() > max) {
            throw new RequestException(
                    ErrorCode.TOO_MANY_TO_VERIFY,
                    "group " + Names.describe(group.value()) + " has more than " + max
                            + " connections, too many to verify one by one; leave out verify for the stored count");
        }
        FanoutResult checked = calls.each(members, calls.connections()::check, budget);
        int opening = checked.failures().getOrDefault(FanoutResult.OPENING, 0);
        int unknown = checked.failed() - opening + checked.skipped();
        return new Presence(checked.delivered() + opening + unknown, checked.gone(), unknown);
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

    /** What closing some connections did: closed, already gone, failed, or not attempted for lack of time. */
    public record Closed(int closed, int gone, int failed, int skipped) {}

    /** Closes one connection through the management API (its {@code $disconnect} then removes its memberships). */
    public Closed close(ConnectionId connection, Budget budget) {
        return closeAll(List.of(connection), budget);
    }

    /** Closes every live connection of a group (a user being {@code user:{id}}). */
    public Closed closeGroup(GroupName group, Budget budget) {
        return closeAll(store.members(group, clock.instant()).toList(), budget);
    }

    /**
     * Closes connections through {@link ConnectionCalls} (bounded, within the budget's reserve). A closed connection's
     * memberships go with its {@code $disconnect}; one already gone (its {@code $disconnect} never came) is pruned
     * here, unless it is still inside its connect window.
     */
    private Closed closeAll(List<ConnectionId> targets, Budget budget) {
        FanoutResult closed = calls.each(targets, calls.connections()::close, budget);
        return new Closed(closed.delivered(), closed.gone(), closed.failed(), closed.skipped());
    }

    private static void notReserved(GroupName group) {
        if (group.isUserGroup()) {
            throw new RequestException(
                    ErrorCode.RESERVED_GROUP,
                    "groups starting with \"user:\" are each user's own; use the /users routes");
        }
        if (group.isReserved()) {
            throw new RequestException(
                    ErrorCode.RESERVED_GROUP,
                    "groups starting with \"groupcast:\" are reserved for Groupcast's own use");
        }
    }

    private static RequestException notFound(ConnectionId connection) {
        return new RequestException(
                ErrorCode.CONNECTION_NOT_FOUND, "there is no live connection " + Names.describe(connection.value()));
    }

    /** The earlier of two instants. */
    public static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
