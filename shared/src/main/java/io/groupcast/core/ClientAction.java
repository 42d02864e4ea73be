package io.groupcast.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.groupcast.core.model.ApiGatewayLimits;
import io.groupcast.core.model.ErrorCode;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Json;
import io.groupcast.core.model.Names;
import io.groupcast.core.model.RequestException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A validated client frame: {@code {"action":"join"|"leave","group":"room-42"}} or
 * {@code {"action":"send","group":"room-42","data":ANY,"noEcho":false}}.
 *
 * @param data   what a {@code send} publishes (any JSON, {@code null} included); empty for the other actions
 * @param noEcho whether the sending connection itself is left out of a {@code send}
 */
public record ClientAction(Kind kind, GroupName group, Optional<JsonNode> data, boolean noEcho) {
    /** What the client asks for. */
    public enum Kind {
        JOIN,
        LEAVE,
        SEND;

        /** The action's name in frames: {@code join}, {@code leave}, {@code send}. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The keep-alive frame's action: {@code {"action":"ping"}} is answered {@code {"type":"pong"}}. */
    public static final String PING = "ping";

    private static final String ACTIONS =
            Arrays.stream(Kind.values()).map(k -> "\"" + k.wire() + "\"").collect(Collectors.joining(", ")) + " or \""
                    + PING + "\"";

    public ClientAction {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(data, "data");
    }

    /** Whether a frame is the keep-alive {@code {"action":"ping"}} (anything else in it is ignored). */
    public static boolean isPing(String frame) {
        if (frame == null || frame.length() > 1024 || !frame.contains(PING)) {
            return false;
        }
        try {
            return PING.equals(Json.parse(frame).path("action").textValue());
        } catch (RequestException malformed) {
            return false;
        }
    }

    /** Parses a frame; clients cannot name reserved groups ({@code user:}, {@code groupcast:}). */
    public static ClientAction parse(String frame) {
        if (frame != null && frame.getBytes(StandardCharsets.UTF_8).length > ApiGatewayLimits.MESSAGE_BYTES) {
            throw new RequestException(
                    ErrorCode.FRAME_TOO_LARGE, "frames are limited to " + ApiGatewayLimits.MESSAGE_BYTES + " bytes");
        }
        JsonNode root = Json.parse(frame);
        if (!root.isObject()) {
            throw new RequestException(
                    ErrorCode.INVALID_FRAME, "a frame must be a JSON object, not " + Json.kind(root));
        }
        JsonNode action = root.get("action");
        if (action == null || !action.isTextual()) {
            throw new RequestException(ErrorCode.MISSING_ACTION, "a frame needs \"action\": one of " + ACTIONS);
        }
        Kind kind = Arrays.stream(Kind.values())
                .filter(k -> k.wire().equals(action.textValue()))
                .findFirst()
                .orElseThrow(() -> new RequestException(
                        ErrorCode.UNKNOWN_ACTION,
                        "unknown action " + Names.describe(action.textValue()) + "; use one of " + ACTIONS));
        JsonNode group = root.get("group");
        if (group == null || !group.isTextual()) {
            throw new RequestException(
                    ErrorCode.INVALID_GROUP, "\"" + kind.wire() + "\" needs \"group\": a group name");
        }
        GroupName name = GroupName.of(group.textValue());
        if (name.isUserGroup()) {
            throw new RequestException(
                    ErrorCode.RESERVED_GROUP,
                    "groups starting with \"user:\" are reserved for each user's own connections");
        }
        if (name.isReserved()) {
            throw new RequestException(
                    ErrorCode.RESERVED_GROUP,
                    "groups starting with \"groupcast:\" are reserved for Groupcast's own use");
        }
        if (kind != Kind.SEND) {
            return new ClientAction(kind, name, Optional.empty(), false);
        }
        JsonNode data = root.get("data");
        if (data == null) {
            throw new RequestException(
                    ErrorCode.MISSING_DATA, "\"send\" needs \"data\": the JSON to publish (null is allowed)");
        }
        JsonNode noEcho = root.get("noEcho");
        if (noEcho != null && !noEcho.isBoolean() && !noEcho.isNull()) {
            throw new RequestException(
                    ErrorCode.INVALID_FRAME, "\"noEcho\" must be true or false, not " + Json.kind(noEcho));
        }
        return new ClientAction(kind, name, Optional.of(data), noEcho != null && noEcho.booleanValue());
    }
}
