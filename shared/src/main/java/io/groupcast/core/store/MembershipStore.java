package io.groupcast.core.store;

import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Recipient;
import java.time.Instant;
import java.util.List;
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
    /** Records a newly opened connection and adds it to its user's group. */
    void connect(Connection connection);

    /**
     * Adds a connection to a group until {@code expiresAt}, remembering the protocol its frames take (fan-out reads it
     * with the members); joining twice is harmless.
     */
    void join(Recipient connection, GroupName group, Instant expiresAt);

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
