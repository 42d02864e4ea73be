package io.groupcast.core.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.groupcast.core.model.ApiGatewayLimits;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.ErrorCode;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Json;
import io.groupcast.core.model.Names;
import io.groupcast.core.model.RequestException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** Reads client frames: every rule of what a client may send, in one place. */
public final class ClientFrames {
    /** The actions a client frame may name. */
    public static final List<String> ACTIONS = List.of("join", "leave", "send", "resume", "ping", "whoami", "event");

    /** The most streams one resume names. */
    public static final int MAX_RESUME_STREAMS = 100;

    /** The largest {@code ackId}: the largest integer JavaScript numbers hold exactly. */
    public static final long MAX_ACK_ID = (1L << 53) - 1;

    private static final String ACTION_LIST =
            "\"join\", \"leave\", \"send\", \"resume\", \"ping\", \"whoami\" or \"event\"";

    private ClientFrames() {}

    /** What a frame asks for, or why it cannot be done ({@link ClientFrame.Invalid}); never throws. */
    public static ClientFrame read(String text) {
        JsonNode root;
        OptionalLong ackId;
        try {
            root = object(text);
            ackId = ackId(root);
        } catch (RequestException e) {
            return new ClientFrame.Invalid(e, "", OptionalLong.empty());
        }
        JsonNode action = root.get("action");
        if (action == null || !action.isTextual()) {
            return invalid(ErrorCode.MISSING_ACTION, "a frame needs \"action\": one of " + ACTION_LIST, "", ackId);
        }
        String name = action.textValue();
        try {
            return switch (name) {
                case "ping" -> new ClientFrame.Ping(ackId);
                case "whoami" -> new ClientFrame.Whoami(ackId);
                case "resume" ->
                    new ClientFrame.Resume(
                            streams(root.get("streams")),
                            epochs(root.get("epochs")),
                            previous(root.get("previous")),
                            ackId);
                case "join" -> new ClientFrame.Join(group(root, name), rewind(root), ackId);
                case "leave" -> new ClientFrame.Leave(group(root, name), ackId);
                case "send" -> send(root, ackId);
                case "event" -> event(root, ackId);
                default ->
                    throw new RequestException(
                            ErrorCode.UNKNOWN_ACTION,
                            "unknown action " + Names.describe(name) + "; use one of " + ACTION_LIST);
            };
        } catch (RequestException e) {
            return new ClientFrame.Invalid(e, ACTIONS.contains(name) ? name : "", ackId);
        }
    }

    private static ClientFrame.Invalid invalid(ErrorCode code, String message, String action, OptionalLong ackId) {
        return new ClientFrame.Invalid(new RequestException(code, message), action, ackId);
    }

    /** The frame's group: one a client may name (not {@code user:}, not {@code groupcast:}). */
    private static GroupName group(JsonNode root, String action) {
        JsonNode group = root.get("group");
        if (group == null || !group.isTextual()) {
            throw new RequestException(ErrorCode.INVALID_GROUP, "\"" + action + "\" needs \"group\": a group name");
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
        return name;
    }

    private static ClientFrame.Send send(JsonNode root, OptionalLong ackId) {
        GroupName group = group(root, "send");
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
        return new ClientFrame.Send(group, data, noEcho != null && noEcho.booleanValue(), ackId);
    }

    /** An event frame: its name checked, its data any JSON ({@code null} when absent). */
    private static ClientFrame.Event event(JsonNode root, OptionalLong ackId) {
        JsonNode event = root.get("event");
        if (event == null || !event.isTextual()) {
            throw new RequestException(
                    ErrorCode.INVALID_EVENT,
                    "\"event\" needs \"event\": the event's name, not "
                            + (event == null ? "nothing" : Json.kind(event)));
        }
        JsonNode data = root.get("data");
        return new ClientFrame.Event(
                Names.EVENT.check(event.textValue()), data == null ? NullNode.getInstance() : data, ackId);
    }

    /** The most messages, and seconds, a join may rewind. */
    public static final int MAX_REWIND = 500;

    public static final int MAX_REWIND_SECONDS = 3600;

    /** A frame's JSON object, refused when too large, malformed or not an object. */
    private static JsonNode object(String text) {
        if (text != null
                && text.length() > ApiGatewayLimits.MESSAGE_BYTES / 4
                && text.getBytes(StandardCharsets.UTF_8).length > ApiGatewayLimits.MESSAGE_BYTES) {
            throw new RequestException(
                    ErrorCode.FRAME_TOO_LARGE, "frames are limited to " + ApiGatewayLimits.MESSAGE_BYTES + " bytes");
        }
        JsonNode root = Json.parse(text);
        if (!root.isObject()) {
            throw new RequestException(
                    ErrorCode.INVALID_FRAME, "a frame must be a JSON object, not " + Json.kind(root));
        }
        return root;
    }

    /** A frame's {@code ackId}, when it has one. */
    private static OptionalLong ackId(JsonNode root) {
        JsonNode ack = root.get("ackId");
        if (ack == null) {
            return OptionalLong.empty();
        }
        if (!ack.isIntegralNumber() || !ack.canConvertToLong() || ack.longValue() < 1 || ack.longValue() > MAX_ACK_ID) {
            throw new RequestException(
                    ErrorCode.INVALID_FRAME,
                    "\"ackId\" must be a whole number from 1 to " + MAX_ACK_ID + ", not " + Json.kind(ack));
        }
        return OptionalLong.of(ack.longValue());
    }

    private static ClientFrame.Rewind rewind(JsonNode root) {
        JsonNode count = root.get("rewind");
        JsonNode seconds = root.get("rewindSeconds");
        if (count != null && seconds != null) {
            throw new RequestException(ErrorCode.INVALID_FRAME, "give \"rewind\" or \"rewindSeconds\", not both");
        }
        return new ClientFrame.Rewind(
                bounded(count, "rewind", MAX_REWIND), bounded(seconds, "rewindSeconds", MAX_REWIND_SECONDS));
    }

    private static int bounded(JsonNode value, String field, int max) {
        if (value == null) {
            return 0;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 1 || value.intValue() > max) {
            throw new RequestException(
                    ErrorCode.INVALID_FRAME,
                    "\"" + field + "\" must be a whole number from 1 to " + max + ", not " + Json.kind(value));
        }
        return value.intValue();
    }

    private static Map<GroupName, String> epochs(JsonNode epochs) {
        Map<GroupName, String> parsed = new LinkedHashMap<>();
        if (epochs == null) {
            return parsed;
        }
        if (!epochs.isObject() || epochs.size() > MAX_RESUME_STREAMS) {
            throw new RequestException(
                    ErrorCode.INVALID_FRAME,
                    "\"epochs\" must be an object of at most " + MAX_RESUME_STREAMS + " streams and their epochs");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = epochs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> epoch = it.next();
            if (!epoch.getValue().isTextual() || epoch.getValue().textValue().length() > 64) {
                throw new RequestException(
                        ErrorCode.INVALID_FRAME,
                        "stream " + Names.describe(epoch.getKey()) + ": an epoch is a string of at most 64 characters");
            }
            parsed.put(GroupName.of(epoch.getKey()), epoch.getValue().textValue());
        }
        return parsed;
    }

    /** The most earlier connections a resume may name. */
    public static final int MAX_PREVIOUS = 10;

    private static List<ConnectionId> previous(JsonNode previous) {
        if (previous == null) {
            return List.of();
        }
        if (!previous.isArray() || previous.size() > MAX_PREVIOUS) {
            throw new RequestException(
                    ErrorCode.INVALID_FRAME,
                    "\"previous\" must be an array of at most " + MAX_PREVIOUS + " connection ids");
        }
        List<ConnectionId> ids = new ArrayList<>();
        for (JsonNode id : previous) {
            if (!id.isTextual()) {
                throw new RequestException(
                        ErrorCode.INVALID_FRAME, "\"previous\" holds connection ids, not " + Json.kind(id));
            }
            ids.add(ConnectionId.of(id.textValue()));
        }
        return ids;
    }

    private static Map<GroupName, OptionalLong> streams(JsonNode streams) {
        if (streams == null || !streams.isObject()) {
            throw new RequestException(
                    ErrorCode.INVALID_FRAME,
                    "\"resume\" needs \"streams\": an object of stream names and the last sequence number seen");
        }
        if (streams.size() > MAX_RESUME_STREAMS) {
            throw new RequestException(
                    ErrorCode.INVALID_FRAME,
                    "a resume names at most " + MAX_RESUME_STREAMS + " streams, not " + streams.size());
        }
        Map<GroupName, OptionalLong> parsed = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = streams.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> stream = it.next();
            JsonNode seq = stream.getValue();
            if (!seq.isNull() && !(seq.isIntegralNumber() && seq.canConvertToLong() && seq.longValue() >= 0)) {
                throw new RequestException(
                        ErrorCode.INVALID_FRAME,
                        "stream " + Names.describe(stream.getKey()) + ": the last sequence number seen must be a "
                                + "whole number from 0, or null, not " + Json.kind(seq));
            }
            parsed.put(
                    GroupName.of(stream.getKey()),
                    seq.isNull() ? OptionalLong.empty() : OptionalLong.of(seq.longValue()));
        }
        return parsed;
    }
}
