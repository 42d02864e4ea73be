package io.groupcast.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.groupcast.core.model.ApiGatewayLimits;
import io.groupcast.core.model.ErrorCode;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Json;
import io.groupcast.core.model.Names;
import io.groupcast.core.model.RequestException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/** A validated client frame: {@code {"action":"join"|"leave","group":"room-42"}}. */
public record ClientAction(Kind kind, GroupName group) {
    /** What the client asks for. */
    public enum Kind {
        JOIN,
        LEAVE;

        /** The action's name in frames: {@code join}, {@code leave}. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ClientAction {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(group, "group");
    }

    /** Parses a frame; clients cannot name {@code user:} groups. */
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
            throw new RequestException(ErrorCode.MISSING_ACTION, "a frame needs \"action\": \"join\" or \"leave\"");
        }
        Kind kind = switch (action.textValue()) {
            case "join" -> Kind.JOIN;
            case "leave" -> Kind.LEAVE;
            default ->
                throw new RequestException(
                        ErrorCode.UNKNOWN_ACTION,
                        "unknown action " + Names.describe(action.textValue()) + "; use \"join\" or \"leave\"");
        };
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
        return new ClientAction(kind, name);
    }
}
