package io.groupcast.core.store;

import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Recipient;
import io.groupcast.core.model.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Who belongs to which group: connections, their records and their memberships. The port every function shares;
 * {@code store.dynamodb} keeps it in the one table.
 */
public interface MembershipStore {
    /** Records a newly opened connection and adds it to its user's group and the broadcast shard. */
    default void connect(Connection connection) {
        connect(new Opening(connection, NO_SLOT, Map.of(), true));
    }

    /**
     * Records a newly opened connection, its user's group, the broadcast shard (when {@code opening.broadcast()}) and
     * the groups it joins at once, in as few calls as the store allows; the connection's record names its slot.
     * Not atomic: a connect that fails calls {@link #abandon}.
     */
    void connect(Opening opening);

    /** A connection being opened: its slot among its user's ({@link #NO_SLOT}: none), the groups it joins, until when. */
    record Opening(Connection connection, int slot, Map<GroupName, Instant> joins, boolean broadcast) {
        public Opening {
            joins = Map.copyOf(joins);
        }
    }

    /** No slot: the connection was recorded without taking one of its user's. */
    int NO_SLOT = -1;

    /** The slots the user's live connections hold (one per connection, numbered from 0). */
    Set<Integer> slots(UserId user, Instant now);

    /**
     * Takes slot {@code slot} of a user for a connection until {@code expiresAt}, unless a live connection holds it:
     * one conditional write, so that connects racing for the last slot cannot both have it. Answers whether it did.
     */
    boolean takeSlot(UserId user, int slot, ConnectionId connection, Instant expiresAt, Instant now);

    /**
     * Removes what a connect that failed may have written (the record, its memberships of its user's group, the
     * shard and {@code joins}, its slot), without reading: best effort, each removal idempotent.
     */
    void abandon(Opening opening);

    /**
     * Adds a connection to a group until {@code expiresAt}, remembering the protocol its frames take (fan-out reads it
     * with the members); joining twice is harmless.
     */
    default void join(Recipient connection, GroupName group, Instant expiresAt) {
        join(connection, group, expiresAt, Integer.MAX_VALUE);
    }

    /**
     * Adds a connection to a group unless that would put it in more than {@code maxGroups} named groups, counted on
     * its record with a conditional write (frames racing on one connection cannot pass together); joining a group it
     * is in already counts nothing. Answers whether it is a member now.
     */
    boolean join(Recipient connection, GroupName group, Instant expiresAt, int maxGroups);

    /** Adds a plain connection (no subprotocol) to a group; see {@link #join(Recipient, GroupName, Instant)}. */
    default void join(ConnectionId connection, GroupName group, Instant expiresAt) {
        join(Recipient.plain(connection), group, expiresAt);
    }

    /** Removes a connection from a group; a no-op when it is not a member. */
    void leave(ConnectionId connection, GroupName group);

    /** Removes a connection and every membership it has; returns how many groups it left. Idempotent. */
    int disconnect(ConnectionId connection);

    /**
     * Removes a connection API Gateway answered 410 Gone for, unless it opened at or after {@code openedBefore}: such
     * a connection may still be inside {@code $connect}, about to open. Answers whether it was removed.
     */
    boolean prune(ConnectionId connection, Instant openedBefore);

    /** The members of a group whose memberships have not expired at {@code now}, with their protocols, page by page. */
    default Stream<Recipient> recipients(GroupName group, Instant now) {
        return recipients(group, now, until -> {});
    }

    /**
     * As {@link #recipients(GroupName, Instant)}, telling {@code resumableUntil} (before the first member, or at the
     * end when there is none) until when someone may resume the group's stream: read with the members, no call more.
     */
    Stream<Recipient> recipients(GroupName group, Instant now, Consumer<Instant> resumableUntil);

    /**
     * Marks a group's stream as one someone may resume until {@code until} (a reliable member's end and the resume
     * window), unless it is marked until later: an item of the group's partition, read with its members.
     */
    void resumable(GroupName group, Instant until);

    /** Until when someone may resume the group's stream ({@link Instant#EPOCH}: no one), read alone. */
    Instant resumableUntil(GroupName group, Instant now);

    /** The members of a group whose memberships have not expired at {@code now}, read page by page. */
    default Stream<ConnectionId> members(GroupName group, Instant now) {
        return recipients(group, now).map(Recipient::id);
    }

    /** The groups a connection belongs to whose memberships have not expired at {@code now} (its user group too). */
    Set<GroupName> groupsOf(ConnectionId connection, Instant now);

    /** The live connection with this id (its user, times and roles), or empty when there is none. */
    Optional<Connection> connection(ConnectionId connection, Instant now);

    /**
     * Reads {@code group}'s members once, changing nothing: SnapStart priming runs the read path (the SDK's
     * marshalling, the HTTP client) on a group no one joins.
     */
    default void prime(GroupName group, Instant now) {
        members(group, now).count();
    }

    /**
     * At most {@code limit} live members of a group whose connection ids lie strictly between {@code after} and
     * {@code before} ({@code ""}: no bound), in id order: one slice of a large fan-out.
     */
    List<Recipient> recipientsBetween(GroupName group, String after, String before, int limit, Instant now);

    /**
     * One page of a group's live members, in connection id order, after the cursor of the previous page; at most
     * {@code limit} of them (fewer when expired memberships are skipped).
     */
    Page members(GroupName group, Instant now, int limit, Optional<String> after);

    /** A page of members and the cursor of the next page, empty on the last page. */
    record Page(List<ConnectionId> connections, Optional<String> next) {
        public Page {
            connections = List.copyOf(connections);
            Objects.requireNonNull(next, "next");
        }
    }
}
