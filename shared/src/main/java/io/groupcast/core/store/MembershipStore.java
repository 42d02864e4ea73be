package io.groupcast.core.store;

import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.Grant;
import io.groupcast.core.model.Grants;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Recipient;
import io.groupcast.core.model.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** Who belongs to which group: the port every function shares, backed by one DynamoDB table. */
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
    Stream<Recipient> recipients(GroupName group, Instant now);

    /** The members of a group whose memberships have not expired at {@code now}, read page by page. */
    default Stream<ConnectionId> members(GroupName group, Instant now) {
        return recipients(group, now).map(Recipient::id);
    }

    /** The groups a connection belongs to whose memberships have not expired at {@code now} (its user group too). */
    Set<GroupName> groupsOf(ConnectionId connection, Instant now);

    /** The live connection with this id (its user, times and roles), or empty when there is none. */
    Optional<Connection> connection(ConnectionId connection, Instant now);

    /** Grants a connection a permission until {@code expiresAt} (its own expiry); granting twice is harmless. */
    void grant(ConnectionId connection, Grant grant, Instant expiresAt);

    /** Takes back a grant; a no-op when the connection does not have it. */
    void revoke(ConnectionId connection, Grant grant);

    /** What the server has granted a connection (not its token's roles). */
    Grants grants(ConnectionId connection, Instant now);

    /**
     * Counts one more publish by a connection in {@code window} (an epoch second, say) and answers how many it has
     * made in that window; an earlier window's count is forgotten. The counter expires with the connection.
     */
    long countPublish(ConnectionId connection, long window, Instant expiresAt);

    /**
     * Takes a stream's next sequence number (1 for its first message), one atomic update; the stream's head lives
     * until {@code headExpiresAt}, pushed back at every message, and remembers when the number was taken. Answers the
     * number and when the one before it was taken.
     */
    Taken nextSeq(GroupName stream, Instant takenAt, Instant headExpiresAt);

    /**
     * At most {@code limit} live members of a group whose connection ids lie strictly between {@code after} and
     * {@code before} ({@code ""}: no bound), in id order: one slice of a large fan-out.
     */
    List<Recipient> recipientsBetween(GroupName group, String after, String before, int limit, Instant now);

    /** A stream's last taken sequence number and when; 0 for a stream that has none (or whose head expired). */
    Head head(GroupName stream, Instant now);

    /**
     * Keeps a stream's message (the frame a resuming client is sent) until expiresAt, with when the number before it
     * was taken.
     */
    void keep(GroupName stream, long seq, byte[] frame, Instant previousTakenAt, Instant expiresAt);

    /** At most {@code limit} kept messages of a stream after sequence {@code after}, in order, unexpired at now. */
    List<Kept> kept(GroupName stream, long after, int limit, Instant now);

    /** A stream's last taken number and when it was taken ({@link Instant#EPOCH} for none). */
    record Head(long seq, Instant takenAt) {
        /** A stream without messages. */
        public static final Head NONE = new Head(0, Instant.EPOCH);
    }

    /** A number just taken, and when the one before it was ({@link Instant#EPOCH} for none). */
    record Taken(long seq, Instant previousTakenAt) {}

    /** A message a stream keeps for resumes, and when the number before it was taken. */
    record Kept(long seq, byte[] frame, Instant previousTakenAt) {}

    /** Links a user to a group until {@code expiresAt}: the user's connections, now and future, are members. */
    void link(UserId user, GroupName group, Instant expiresAt);

    /** Removes a user's link to a group (its connections' memberships are separate items). */
    void unlink(UserId user, GroupName group);

    /** The user's live group links and when each expires. */
    Map<GroupName, Instant> links(UserId user, Instant now);

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
