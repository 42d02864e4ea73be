package io.groupcast.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/** A validated {@code POST /notify}: the target group, the serialized message and connections to skip. */
public record NotifyRequest(GroupName target, byte[] payload, Set<ConnectionId> except) {
    /** API Gateway's WebSocket message limit: 128 KB. */
    public static final int MAX_MESSAGE_BYTES = 128 * 1024;

    private static final Set<String> FIELDS = Set.of("user", "group", "message", "exceptConnectionIds");

    public NotifyRequest {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(payload, "payload");
        except = Set.copyOf(except);
    }

    /** Parses and validates a notify body; every problem is a {@link RequestException} naming it. */
    public static NotifyRequest parse(String body) {
        JsonNode root = Json.parse(body);
        if (!root.isObject()) {
            throw RequestException.badRequest("invalid_body", "the body must be a JSON object, not " + kind(root));
        }
        Set<String> unknown = new TreeSet<>();
        root.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            throw RequestException.badRequest("unknown_field",
                    "unknown field(s) " + unknown + "; allowed are user, group, message, exceptConnectionIds");
        }
        JsonNode user = root.get("user");
        JsonNode group = root.get("group");
        if ((user == null) == (group == null)) {
            throw RequestException.badRequest("invalid_target", "give exactly one of \"user\" or \"group\"");
        }
        GroupName target = user != null
                ? GroupName.ofUser(UserId.of(text(user, "user")))
                : GroupName.of(text(group, "group"));
        JsonNode message = root.get("message");
        if (message == null) {
            throw RequestException.badRequest("missing_message", "\"message\" is required (any JSON value)");
        }
        byte[] payload = Json.bytes(message);
        if (payload.length > MAX_MESSAGE_BYTES) {
            throw new RequestException(413, "message_too_large", "the message is " + payload.length
                    + " bytes as JSON; the limit is " + MAX_MESSAGE_BYTES + " bytes (128 KB)");
        }
        return new NotifyRequest(target, payload, except(root.get("exceptConnectionIds")));
    }

    private static Set<ConnectionId> except(JsonNode node) {
        if (node == null || node.isNull()) {
            return Set.of();
        }
        if (!node.isArray()) {
            throw RequestException.badRequest("invalid_except",
                    "\"exceptConnectionIds\" must be an array of connection ids, not " + kind(node));
        }
        Set<ConnectionId> ids = new LinkedHashSet<>();
        for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
            ids.add(ConnectionId.of(text(it.next(), "exceptConnectionIds[]")));
        }
        return ids;
    }

    private static String text(JsonNode node, String field) {
        if (!node.isTextual()) {
            throw RequestException.badRequest("invalid_" + (field.startsWith("except") ? "except" : field),
                    "\"" + field + "\" must be a string, not " + kind(node));
        }
        return node.textValue();
    }

    static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
