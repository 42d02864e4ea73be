package io.groupcast.core.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An open WebSocket connection of a user: when it opened, when its memberships expire, what its token's roles allow
 * it, and the protocol its frames take.
 */
public record Connection(
        ConnectionId id, UserId user, Instant connectedAt, Instant expiresAt, Grants roles, Protocol protocol) {
    /** API Gateway closes every WebSocket connection after 2 hours; 5 minutes more covers late disconnects. */
    public static final Duration LIFETIME = Duration.ofHours(2).plusMinutes(5);

    /**
     * The longest a SnapStart restore may take before Lambda gives up on it ({@code SnapStartTimeoutException}); it
     * does not count against the function's own time limit.
     */
    public static final Duration RESTORE_LIMIT = Duration.ofSeconds(10);

    /**
     * How long after API Gateway's {@code connectedAt} a connection may still be inside {@code $connect}: the
     * authorizer's and {@code $connect}'s time limits (10 s each in {@code template.yaml}) plus a SnapStart restore of
     * each ({@link #RESTORE_LIMIT}), and 5 s for API Gateway's own hops; a test keeps the template within this.
     * Measured, a warm connect takes about 20 ms end to end and the first one of a fresh process under 2 s
     * ({@code groupcast-bench connect-latency}); the window is sized from the limits, not the typical case, because
     * API Gateway answers a post to such a connection with 410 Gone although it is about to open.
     */
    public static final Duration CONNECT_WINDOW = Duration.ofSeconds(45);

    public Connection {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(connectedAt, "connectedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(roles, "roles");
        Objects.requireNonNull(protocol, "protocol");
    }

    /** A connection opened at {@code connectedAt} whose token carried no Groupcast role. */
    public static Connection opened(ConnectionId id, UserId user, Instant connectedAt) {
        return opened(id, user, connectedAt, Grants.NONE);
    }

    /** A plain connection opened at {@code connectedAt}, expiring {@link #LIFETIME} later, with its token's roles. */
    public static Connection opened(ConnectionId id, UserId user, Instant connectedAt, Grants roles) {
        return opened(id, user, connectedAt, roles, Protocol.PLAIN);
    }

    /** A connection opened at {@code connectedAt} with its token's roles and the protocol it chose. */
    public static Connection opened(
            ConnectionId id, UserId user, Instant connectedAt, Grants roles, Protocol protocol) {
        return new Connection(id, user, connectedAt, expiryOf(connectedAt), roles, protocol);
    }

    /** Where messages to this connection go, and in which protocol. */
    public Recipient recipient() {
        return new Recipient(id, protocol);
    }

    /** When the memberships of a connection opened at {@code connectedAt} expire. */
    public static Instant expiryOf(Instant connectedAt) {
        return connectedAt.plus(LIFETIME);
    }
}
