package io.groupcast.client;

import static io.groupcast.client.Routes.segment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Groupcast's server API from any Java server, with the methods of Azure Web PubSub's {@code WebPubSubServiceClient}:
 * send to users, groups and connections, manage group membership, presence, closing and permissions, and mint the
 * tokens browsers connect with. Every request is signed with the AWS SDK's SigV4 signer (service {@code
 * execute-api}); every send carries an idempotency key, so retrying it (429, 5xx, 409 {@code request_in_progress}, no
 * answer; {@code Retry-After} honoured, full jitter, capped) never repeats a send the server completed; every refusal
 * is a {@link GroupcastException} carrying Groupcast's error code and API Gateway's request id.
 *
 * <pre>{@code
 * GroupcastClient groupcast = GroupcastClient.builder()
 *         .endpoint(URI.create("https://abc123.execute-api.us-east-1.amazonaws.com")) // the stack's ServerApiUrl
 *         .build();
 * SendResult sent = groupcast.sendToUser("kevin", new Chat("bob", "hello"));  // any object, through Jackson
 * groupcast.sendToGroup("room-42", "{\"text\":\"hi\"}", ContentType.APPLICATION_JSON); // JSON text, stated so
 * }</pre>
 *
 * <p>A {@code String} message is a JSON string ({@code sendToGroup(g, "hi")} delivers {@code "hi"}); JSON text is sent
 * with {@link ContentType#APPLICATION_JSON}. Thread-safe; build one per endpoint and close it when done.
 */
public final class GroupcastClient implements AutoCloseable {
    /** Something the client created and closes. */
    record Created(String what, AutoCloseable resource) {}

    private final Routes routes;
    private final ObjectMapper messages;
    private final Optional<ClientTokens> tokens;
    private final Executor executor;
    private final List<Created> created;

    GroupcastClient(
            Retries retries,
            ObjectMapper messages,
            Optional<ClientTokens> tokens,
            Executor executor,
            List<Created> created) {
        this.routes = new Routes(retries);
        this.messages = messages;
        this.tokens = tokens;
        this.executor = executor;
        this.created = List.copyOf(created);
    }

    /** A builder: {@code endpoint} is required. */
    public static GroupcastClientBuilder builder() {
        return new GroupcastClientBuilder();
    }

    // ---------------------------------------------------------------- sending

    /** Sends a message as the request says, retried with its idempotency key; the counts, or who delivers the rest. */
    public SendResult send(SendRequest request) {
        return Answers.sent(routes.call("POST", "/notify", Map.of(), request.body(messages, false)));
    }

    /** {@link #send} on the builder's executor: the same blocking call, off the caller's thread. */
    public CompletableFuture<SendResult> sendAsync(SendRequest request) {
        ObjectNode body = request.body(messages, false);
        return CompletableFuture.supplyAsync(
                () -> Answers.sent(routes.call("POST", "/notify", Map.of(), body)), executor);
    }

    /**
     * Starts a send through the fan-out workers and answers at once with its notification id; follow it with {@link
     * #notificationStatus}. For audiences too large for one call.
     */
    public String startSend(SendRequest request) {
        return routes.call("POST", "/notify", Map.of(), request.body(messages, true))
                .path("notificationId")
                .asText();
    }

    /** Sends a message (any object, serialized by the client's mapper) to every live connection of a user. */
    public SendResult sendToUser(String userId, Object message) {
        return send(SendRequest.toUser(userId).message(message));
    }

    /** Sends a message of the stated content type to every live connection of a user. */
    public SendResult sendToUser(String userId, String message, ContentType contentType) {
        return send(SendRequest.toUser(userId).message(message, contentType));
    }

    /** Sends a message to every live connection of these users (1 to 100), each connection once. */
    public SendResult sendToUsers(Collection<String> userIds, Object message) {
        return send(SendRequest.toUsers(userIds).message(message));
    }

    /** Sends a message of the stated content type to every live connection of these users. */
    public SendResult sendToUsers(Collection<String> userIds, String message, ContentType contentType) {
        return send(SendRequest.toUsers(userIds).message(message, contentType));
    }

    /** Sends a message to every live connection in a group. */
    public SendResult sendToGroup(String group, Object message) {
        return send(SendRequest.toGroup(group).message(message));
    }

    /** Sends a message of the stated content type to every live connection in a group. */
    public SendResult sendToGroup(String group, String message, ContentType contentType) {
        return send(SendRequest.toGroup(group).message(message, contentType));
    }

    /** Sends a message to a group, except some connections (the sender's own, say). */
    public SendResult sendToGroup(String group, Object message, Collection<String> excludedConnectionIds) {
        return send(SendRequest.toGroup(group).message(message).except(excludedConnectionIds));
    }

    /** Sends a message to every live connection in these groups (1 to 100), each connection once. */
    public SendResult sendToGroups(Collection<String> groups, Object message) {
        return send(SendRequest.toGroups(groups).message(message));
    }

    /** Sends a message of the stated content type to every live connection in these groups. */
    public SendResult sendToGroups(Collection<String> groups, String message, ContentType contentType) {
        return send(SendRequest.toGroups(groups).message(message, contentType));
    }

    /** Sends a message to one connection. */
    public SendResult sendToConnection(String connectionId, Object message) {
        return send(SendRequest.toConnection(connectionId).message(message));
    }

    /** Sends a message of the stated content type to one connection. */
    public SendResult sendToConnection(String connectionId, String message, ContentType contentType) {
        return send(SendRequest.toConnection(connectionId).message(message, contentType));
    }

    /** Sends a message to every live connection (Web PubSub's {@code sendToAll}). */
    public SendResult sendToAll(Object message) {
        return send(SendRequest.toAll().message(message));
    }

    /** Sends a message of the stated content type to every live connection. */
    public SendResult sendToAll(String message, ContentType contentType) {
        return send(SendRequest.toAll().message(message, contentType));
    }

    /** Starts a send to every live connection through the fan-out workers; answers its notification id at once. */
    public String startSendToAll(Object message) {
        return startSend(SendRequest.toAll().message(message));
    }

    /** Starts a send to a group through the fan-out workers; answers its notification id at once. */
    public String startSendToGroup(String group, Object message) {
        return startSend(SendRequest.toGroup(group).message(message));
    }

    /** The progress of a send the workers deliver (a {@code NOT_FOUND} exception after its one-day lifetime). */
    public NotificationStatus notificationStatus(String notificationId) {
        return Answers.status(routes.call("GET", "/notifications/" + segment(notificationId), Map.of(), null));
    }

    // ---------------------------------------------------------------- groups

    /** Adds a live connection to a group for the rest of its life ({@code connection_not_found} if there is none). */
    public void addConnectionToGroup(String group, String connectionId) {
        routes.call("PUT", "/groups/" + segment(group) + "/connections/" + segment(connectionId), Map.of(), null);
    }

    /** Removes a connection from a group (a no-op when it is not a member). */
    public void removeConnectionFromGroup(String group, String connectionId) {
        routes.call("DELETE", "/groups/" + segment(group) + "/connections/" + segment(connectionId), Map.of(), null);
    }

    /** Links a user to a group for 30 days: its connections now and to come are members. Answers when it ends. */
    public Instant addUserToGroup(String group, String userId) {
        return addUser(group, userId, null);
    }

    /** Links a user to a group for {@code ttl} (1 second to 365 days). Answers when the link ends. */
    public Instant addUserToGroup(String group, String userId, Duration ttl) {
        return addUser(group, userId, Objects.requireNonNull(ttl, "ttl"));
    }

    /** Unlinks a user from a group and removes its connections from it. */
    public void removeUserFromGroup(String group, String userId) {
        routes.call("DELETE", "/groups/" + segment(group) + "/users/" + segment(userId), Map.of(), null);
    }

    /** Unlinks a user from every group and removes its connections from all but its own; answers how many. */
    public int removeUserFromAllGroups(String userId) {
        return routes.call("DELETE", "/users/" + segment(userId) + "/groups", Map.of(), null)
                .path("groupsLeft")
                .asInt();
    }

    // ---------------------------------------------------------------- presence

    /** Whether the user has an open connection (checked with API Gateway, not only the table). */
    public boolean userExists(String userId) {
        return routes.call("GET", "/users/" + segment(userId), Map.of(), null)
                .path("online")
                .asBoolean();
    }

    /** Whether the group has a connection, by the table's count (cheap; see {@link #groupConnectionCount}). */
    public boolean groupExists(String group) {
        return groupConnectionCount(group, false) > 0;
    }

    /** How many connections a group has: the table's count, or with {@code verify} each checked (1,000 at most). */
    public long groupConnectionCount(String group, boolean verify) {
        return routes.call("GET", "/groups/" + segment(group), verify ? Map.of("verify", "true") : Map.of(), null)
                .path("connections")
                .asLong();
    }

    /** Every live connection id of a user, reading every page. */
    public List<String> listUserConnections(String userId) {
        return routes.list("/users/" + segment(userId) + "/connections");
    }

    /** Every live connection id in a group, reading every page. */
    public List<String> listGroupConnections(String group) {
        return routes.list("/groups/" + segment(group) + "/connections");
    }

    // ---------------------------------------------------------------- closing

    /** Closes one connection. */
    public CloseResult closeConnection(String connectionId) {
        return Answers.closed(routes.call("DELETE", "/connections/" + segment(connectionId), Map.of(), null));
    }

    /** Closes every connection of a user. */
    public CloseResult closeUserConnections(String userId) {
        return Answers.closed(routes.call("DELETE", "/users/" + segment(userId) + "/connections", Map.of(), null));
    }

    /** Closes every connection in a group. */
    public CloseResult closeGroupConnections(String group) {
        return Answers.closed(routes.call("DELETE", "/groups/" + segment(group) + "/connections", Map.of(), null));
    }

    // ---------------------------------------------------------------- permissions

    /** Grants a live connection a permission on every group (not reserved) for the rest of its life. */
    public void grantPermission(String connectionId, Permission permission) {
        permission("PUT", connectionId, permission, null);
    }

    /** Grants a live connection a permission on one group, or on {@code prefix*} groups. */
    public void grantPermission(String connectionId, Permission permission, String targetGroup) {
        permission("PUT", connectionId, permission, Objects.requireNonNull(targetGroup, "targetGroup"));
    }

    /** Takes back a permission the server granted on every group (the token's roles stay). */
    public void revokePermission(String connectionId, Permission permission) {
        permission("DELETE", connectionId, permission, null);
    }

    /** Takes back a permission the server granted on a group. */
    public void revokePermission(String connectionId, Permission permission, String targetGroup) {
        permission("DELETE", connectionId, permission, Objects.requireNonNull(targetGroup, "targetGroup"));
    }

    /** Whether a live connection has the permission on every group (roles, public groups or grants). */
    public boolean checkPermission(String connectionId, Permission permission) {
        return permission("GET", connectionId, permission, null);
    }

    /** Whether a live connection has the permission on a group. */
    public boolean checkPermission(String connectionId, Permission permission, String targetGroup) {
        return permission("GET", connectionId, permission, Objects.requireNonNull(targetGroup, "targetGroup"));
    }

    // ---------------------------------------------------------------- tokens

    /**
     * A token a browser connects with ({@code ?token=}), for a stack that verifies HS256 tokens: signed with the
     * builder's {@link GroupcastClientBuilder#hs256Secret}, the user id in {@code sub}, the Groupcast roles (say {@code
     * groupcast.joinLeaveGroup.room-42}) in {@code roles} (or the claims the builder names), valid for {@code lifetime}
     * from now. Stacks verified with a JWKS URL take tokens from their identity provider (Cognito, any OIDC issuer).
     */
    public String getClientAccessToken(String userId, List<String> roles, Duration lifetime) {
        return tokens.orElseThrow(() -> new IllegalStateException("no HS256 secret to sign with: build the client with"
                        + " .hs256Secret(...); a stack verified with JWKS gets tokens from its identity provider"))
                .mint(userId, roles, lifetime);
    }

    /** Closes what the client created (its HTTP client, credentials provider, executor); nothing it was given. */
    @Override
    public void close() {
        RuntimeException failed = null;
        for (Created resource : created) {
            try {
                resource.resource().close();
            } catch (Exception e) {
                failed = failed != null ? failed : new IllegalStateException("closing the " + resource.what(), e);
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    /** What the client created and closes, by name. */
    List<String> created() {
        return created.stream().map(Created::what).toList();
    }

    // ---------------------------------------------------------------- internals

    private Instant addUser(String group, String userId, Duration ttl) {
        ObjectNode body = Json.WIRE.createObjectNode();
        if (ttl != null) {
            body.put("ttlSeconds", ttl.toSeconds());
        }
        return Instant.ofEpochSecond(
                routes.call("PUT", "/groups/" + segment(group) + "/users/" + segment(userId), Map.of(), body)
                        .path("expiresAt")
                        .asLong());
    }

    private boolean permission(String method, String connectionId, Permission permission, String group) {
        Map<String, String> query = group == null ? Map.of() : Map.of("group", group);
        return routes.call(
                        method,
                        "/connections/" + segment(connectionId) + "/permissions/" + permission.wire(),
                        query,
                        null)
                .path("granted")
                .asBoolean();
    }
}
