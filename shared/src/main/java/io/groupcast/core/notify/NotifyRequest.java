package io.groupcast.core.notify;

import com.fasterxml.jackson.databind.JsonNode;
import io.groupcast.core.model.ApiGatewayLimits;
import io.groupcast.core.model.Broadcast;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.ErrorCode;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Json;
import io.groupcast.core.model.Names;
import io.groupcast.core.model.RequestException;
import io.groupcast.core.model.UserId;
import io.groupcast.core.protocol.MessageFrames;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A validated {@code POST /notify}: the target (the groups whose live members receive it, a user being the group
 * {@code user:{id}}, or one connection), the serialized message and connections to skip.
 */
public record NotifyRequest(
        List<GroupName> groups,
        Optional<ConnectionId> connection,
        byte[] payload,
        Set<ConnectionId> except,
        boolean async,
        boolean all,
        Optional<String> idempotencyKey) {
    /**
     * The largest message: API Gateway's 128 KB with room for the envelopes clients receive it in
     * ({@code {"type":"message","from":"server","data":M}}, and a reliable frame's stream, sequence and id).
     */
    public static final int MAX_MESSAGE_BYTES = ApiGatewayLimits.MESSAGE_BYTES - MessageFrames.ENVELOPE_ALLOWANCE;

    /** The most users or groups one notify may name. */
    public static final int MAX_TARGETS = 100;

    /**
     * The most connection ids {@code exceptConnectionIds} may list: with the largest message they fit a notification's
     * record (DynamoDB's 400 KB item) many times over.
     */
    public static final int MAX_EXCEPTED = 1000;

    private static final List<String> TARGETS = List.of("user", "group", "users", "groups", "connectionId", "all");
    private static final Set<String> FIELDS = Set.of(
            "user",
            "group",
            "users",
            "groups",
            "connectionId",
            "all",
            "message",
            "exceptConnectionIds",
            "async",
            "idempotencyKey");

    /** What an idempotency key may be: 1 to 128 letters, digits or {@code _ - . @ + = | :}. */
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.@+=|:-]{1,128}");

    public NotifyRequest {
        groups = List.copyOf(groups);
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(payload, "payload");
        except = Set.copyOf(except);
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        if (groups.isEmpty() == connection.isEmpty()) {
            throw new IllegalArgumentException("a notify has groups or one connection");
        }
    }

    /** A request to the live members of one group. */
    public NotifyRequest(GroupName group, byte[] payload, Set<ConnectionId> except) {
        this(List.of(group), Optional.empty(), payload, except, false, false, Optional.empty());
    }

    /** A synchronous request to groups or one connection. */
    public NotifyRequest(
            List<GroupName> groups, Optional<ConnectionId> connection, byte[] payload, Set<ConnectionId> except) {
        this(groups, connection, payload, except, false, false, Optional.empty());
    }

    /** The hash an idempotency key is held with: the same key with another request is refused. */
    public String hash() {
        return Idempotency.hash(
                groups.toString(),
                connection.map(ConnectionId::value).orElse(""),
                new String(payload, StandardCharsets.UTF_8),
                new TreeSet<>(except.stream().map(ConnectionId::value).toList()).toString(),
                Boolean.toString(async));
    }

    /** What it is sent to, for logs: {@code user:kevin}, {@code room-42}, {@code 3 groups}, {@code connection X}. */
    public String target() {
        if (connection.isPresent()) {
            return "connection " + connection.get().value();
        }
        if (all) {
            return "all";
        }
        return groups.size() == 1 ? groups.get(0).value() : groups.size() + " groups";
    }

    /** Parses and validates a notify body; every problem is a {@link RequestException} naming it. */
    public static NotifyRequest parse(String body) {
        JsonNode root = Json.parse(body);
        if (!root.isObject()) {
            throw new RequestException(
                    ErrorCode.INVALID_BODY, "the body must be a JSON object, not " + Json.kind(root));
        }
        Set<String> unknown = new TreeSet<>();
        root.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            throw new RequestException(
                    ErrorCode.UNKNOWN_FIELD,
                    "unknown field(s) " + unknown
                            + "; allowed are user, group, users, groups, connectionId, all, message,"
                            + " exceptConnectionIds, async, idempotencyKey");
        }
        List<String> given = TARGETS.stream().filter(root::has).toList();
        if (given.size() != 1) {
            throw new RequestException(
                    ErrorCode.INVALID_TARGET,
                    "give exactly one of \"user\", \"group\", \"users\", \"groups\", \"connectionId\" or \"all\""
                            + (given.isEmpty() ? "" : "; got " + String.join(", ", given)));
        }
        String target = given.get(0);
        Optional<ConnectionId> connection = target.equals("connectionId")
                ? Optional.of(ConnectionId.of(
                        text(root.get("connectionId"), "connectionId", ErrorCode.INVALID_CONNECTION_ID)))
                : Optional.empty();
        List<GroupName> groups = connection.isPresent() ? List.of() : groups(root, target);
        byte[] payload = payload(root.get("message"));
        JsonNode async = root.get("async");
        if (async != null && !async.isBoolean()) {
            throw new RequestException(
                    ErrorCode.INVALID_ASYNC, "\"async\" must be true or false, not " + Json.kind(async));
        }
        return new NotifyRequest(
                groups.stream().distinct().toList(),
                connection,
                payload,
                except(root.get("exceptConnectionIds")),
                async != null && async.booleanValue(),
                root.has("all"),
                idempotencyKey(root.get("idempotencyKey")));
    }

    /** The groups a notify's target names: a user's group, groups, or every broadcast shard. */
    private static List<GroupName> groups(JsonNode root, String target) {
        List<GroupName> groups = new ArrayList<>();
        switch (target) {
            case "user" ->
                groups.add(GroupName.ofUser(UserId.of(text(root.get("user"), "user", ErrorCode.INVALID_USER))));
            case "group" -> groups.add(GroupName.of(text(root.get("group"), "group", ErrorCode.INVALID_GROUP)));
            case "users" ->
                list(root.get("users"), "users", ErrorCode.INVALID_USER)
                        .forEach(u -> groups.add(GroupName.ofUser(UserId.of(u))));
            case "groups" ->
                list(root.get("groups"), "groups", ErrorCode.INVALID_GROUP).forEach(g -> groups.add(GroupName.of(g)));
            default -> {
                if (!root.get("all").isBoolean() || !root.get("all").booleanValue()) {
                    throw new RequestException(
                            ErrorCode.INVALID_TARGET,
                            "\"all\" must be true (every live connection), not " + root.get("all"));
                }
                groups.addAll(Broadcast.SHARDS);
            }
        }
        return groups;
    }

    /** The message's compact JSON, within {@link #MAX_MESSAGE_BYTES}. */
    private static byte[] payload(JsonNode message) {
        if (message == null) {
            throw new RequestException(ErrorCode.MISSING_MESSAGE, "\"message\" is required (any JSON value)");
        }
        byte[] payload = Json.bytes(message);
        if (payload.length > MAX_MESSAGE_BYTES) {
            throw new RequestException(
                    ErrorCode.MESSAGE_TOO_LARGE,
                    "the message is " + payload.length + " bytes as JSON; the limit is " + MAX_MESSAGE_BYTES
                            + " bytes (128 KB less 512 bytes for the envelopes clients receive it in)");
        }
        return payload;
    }

    private static Optional<String> idempotencyKey(JsonNode key) {
        if (key == null || key.isNull()) {
            return Optional.empty();
        }
        if (!key.isTextual() || !KEY.matcher(key.textValue()).matches()) {
            throw new RequestException(
                    ErrorCode.INVALID_IDEMPOTENCY_KEY,
                    "\"idempotencyKey\" must be 1 to 128 letters, digits or _ - . @ + = | :, not "
                            + (key.isTextual() ? Names.describe(key.textValue()) : Json.kind(key)));
        }
        return Optional.of(key.textValue());
    }

    /** A non-empty array of at most {@link #MAX_TARGETS} strings. */
    private static List<String> list(JsonNode node, String field, ErrorCode invalid) {
        if (!node.isArray() || node.isEmpty() || node.size() > MAX_TARGETS) {
            throw new RequestException(
                    ErrorCode.INVALID_TARGET,
                    "\"" + field + "\" must be an array of 1 to " + MAX_TARGETS + " names, not "
                            + (node.isArray() ? node.size() + " names" : Json.kind(node)));
        }
        List<String> values = new ArrayList<>();
        node.elements().forEachRemaining(element -> values.add(text(element, field + "[]", invalid)));
        return values;
    }

    private static Set<ConnectionId> except(JsonNode node) {
        if (node == null || node.isNull()) {
            return Set.of();
        }
        if (!node.isArray()) {
            throw new RequestException(
                    ErrorCode.INVALID_EXCEPT,
                    "\"exceptConnectionIds\" must be an array of connection ids, not " + Json.kind(node));
        }
        if (node.size() > MAX_EXCEPTED) {
            throw new RequestException(
                    ErrorCode.TOO_MANY_EXCEPTED,
                    "\"exceptConnectionIds\" lists " + node.size() + " connection ids; the limit is " + MAX_EXCEPTED
                            + " (they are recorded with the message, whose record DynamoDB caps at 400 KB)");
        }
        Set<ConnectionId> ids = new LinkedHashSet<>();
        for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
            ids.add(ConnectionId.of(text(it.next(), "exceptConnectionIds[]", ErrorCode.INVALID_EXCEPT)));
        }
        return ids;
    }

    private static String text(JsonNode node, String field, ErrorCode invalid) {
        if (!node.isTextual()) {
            throw new RequestException(invalid, "\"" + field + "\" must be a string, not " + Json.kind(node));
        }
        return node.textValue();
    }
}
