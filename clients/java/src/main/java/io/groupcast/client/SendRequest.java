package io.groupcast.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One send ({@code POST /notify}) in full: its target, its message, the connections it skips and its idempotency key.
 * Immutable: each method answers a new request.
 *
 * <pre>{@code
 * groupcast.send(SendRequest.toGroup("room-42")
 *         .message(new Chat("kevin", "hi"))
 *         .except(List.of(senderConnectionId))
 *         .idempotencyKey("chat-" + chatMessageId));
 * }</pre>
 *
 * <p>Without {@link #idempotencyKey}, each call of {@link GroupcastClient#send} draws a random key, which its retries
 * repeat: the server delivers once however many attempts reach it. Give your own key to make your own retries safe
 * too, across calls and processes, within the server's one-hour window.
 */
public final class SendRequest {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.@+=|:-]{1,128}");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String field;
    private final JsonNode target;
    private final Object message;
    private final List<String> excluded;
    private final Optional<String> idempotencyKey;

    private SendRequest(
            String field, JsonNode target, Object message, List<String> excluded, Optional<String> idempotencyKey) {
        this.field = field;
        this.target = target;
        this.message = message;
        this.excluded = excluded;
        this.idempotencyKey = idempotencyKey;
    }

    private static SendRequest to(String field, JsonNode target) {
        return new SendRequest(field, target, null, List.of(), Optional.empty());
    }

    /** To every live connection of a user. */
    public static SendRequest toUser(String userId) {
        return to("user", TextNode.valueOf(Objects.requireNonNull(userId, "userId")));
    }

    /** To every live connection of these users (1 to 100), each connection once. */
    public static SendRequest toUsers(Collection<String> userIds) {
        return to("users", strings(userIds, "userIds"));
    }

    /** To every live connection in a group. */
    public static SendRequest toGroup(String group) {
        return to("group", TextNode.valueOf(Objects.requireNonNull(group, "group")));
    }

    /** To every live connection in these groups (1 to 100), each connection once. */
    public static SendRequest toGroups(Collection<String> groups) {
        return to("groups", strings(groups, "groups"));
    }

    /** To one connection. */
    public static SendRequest toConnection(String connectionId) {
        return to("connectionId", TextNode.valueOf(Objects.requireNonNull(connectionId, "connectionId")));
    }

    /** To every live connection (Web PubSub's {@code sendToAll}). */
    public static SendRequest toAll() {
        return to("all", NODES.booleanNode(true));
    }

    /**
     * The message: any value, serialized by the client's {@code ObjectMapper}. A {@code String} is sent as a JSON
     * string ({@code "hi"} arrives as {@code "hi"}); a Jackson {@code JsonNode} as it is.
     */
    public SendRequest message(Object message) {
        return new SendRequest(field, target, Objects.requireNonNull(message, "message"), excluded, idempotencyKey);
    }

    /**
     * The message as a {@code String} whose content type the caller states: {@link ContentType#APPLICATION_JSON} for
     * JSON text (a {@code malformed_json} {@link GroupcastException} at once if it is not JSON),
     * {@link ContentType#TEXT_PLAIN} for text sent as a JSON string.
     */
    public SendRequest message(String message, ContentType contentType) {
        Objects.requireNonNull(message, "message");
        JsonNode node = switch (Objects.requireNonNull(contentType, "contentType")) {
            case APPLICATION_JSON -> Json.parseMessage(message);
            case TEXT_PLAIN -> TextNode.valueOf(message);
        };
        return message(node);
    }

    /** Skips these connections (the sender's own, say). */
    public SendRequest except(Collection<String> connectionIds) {
        List<String> ids = List.copyOf(Objects.requireNonNull(connectionIds, "connectionIds"));
        return new SendRequest(field, target, message, ids, idempotencyKey);
    }

    /** The idempotency key: 1 to 128 letters, digits or {@code _ - . @ + = | :}; the same key, the same send. */
    public SendRequest idempotencyKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException(
                    "an idempotencyKey must be 1 to 128 letters, digits or _ - . @ + = | :, not " + key);
        }
        return new SendRequest(field, target, message, excluded, Optional.of(key));
    }

    /** The key the caller gave, if any. */
    public Optional<String> idempotencyKey() {
        return idempotencyKey;
    }

    /** The {@code POST /notify} body, with the caller's key or else a random one (drawn once per call). */
    ObjectNode body(ObjectMapper messages, boolean async) {
        if (message == null) {
            throw new IllegalStateException(
                    "this send to " + field + " " + target + " has no message: give one with message(...)");
        }
        ObjectNode body = NODES.objectNode();
        body.set(field, target);
        body.set("message", Json.tree(messages, message));
        if (!excluded.isEmpty()) {
            body.set("exceptConnectionIds", strings(excluded, "connectionIds"));
        }
        if (async) {
            body.put("async", true);
        }
        body.put(
                "idempotencyKey",
                idempotencyKey.orElseGet(() -> UUID.randomUUID().toString()));
        return body;
    }

    private static ArrayNode strings(Collection<String> values, String name) {
        ArrayNode array = NODES.arrayNode();
        Objects.requireNonNull(values, name).forEach(value -> array.add(Objects.requireNonNull(value, name)));
        return array;
    }
}
