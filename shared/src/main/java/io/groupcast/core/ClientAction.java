package io.groupcast.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** A validated client frame: {@code {"action":"join"|"leave","group":"room-42"}}. */
public record ClientAction(Kind kind, GroupName group) {
    /** The largest frame a client may send: API Gateway's 128 KB message limit. */
    public static final int MAX_FRAME_BYTES = 128 * 1024;

    /** What the client asks for. */
    public enum Kind {
        JOIN("join"), LEAVE("leave");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        /** The action's name in frames. */
        public String wire() {
            return wire;
        }
    }

    public ClientAction {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(group, "group");
    }

    /** Parses a frame; clients cannot name {@code user:} groups. */
    public static ClientAction parse(String frame) {
        if (frame != null && frame.getBytes(StandardCharsets.UTF_8).length > MAX_FRAME_BYTES) {
            throw new RequestException(413, "frame_too_large", "frames are limited to " + MAX_FRAME_BYTES + " bytes");
        }
        JsonNode root = Json.parse(frame);
        if (!root.isObject()) {
            throw RequestException.badRequest("invalid_frame", "a frame must be a JSON object, not " + NotifyRequest.kind(root));
        }
        JsonNode action = root.get("action");
        if (action == null || !action.isTextual()) {
            throw RequestException.badRequest("missing_action", "a frame needs \"action\": \"join\" or \"leave\"");
        }
        Kind kind = switch (action.textValue()) {
            case "join" -> Kind.JOIN;
            case "leave" -> Kind.LEAVE;
            default -> throw RequestException.badRequest("unknown_action",
                    "unknown action " + Names.describe(action.textValue()) + "; use \"join\" or \"leave\"");
        };
        JsonNode group = root.get("group");
        if (group == null || !group.isTextual()) {
            throw RequestException.badRequest("invalid_group", "\"" + kind.wire() + "\" needs \"group\": a group name");
        }
        GroupName name = GroupName.of(group.textValue());
        if (name.isUserGroup()) {
            throw new RequestException(403, "reserved_group",
                    "groups starting with \"user:\" are reserved for each user's own connections");
        }
        return new ClientAction(kind, name);
    }
}
