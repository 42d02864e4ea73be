package io.groupcast.core.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.core.model.ApiGatewayLimits;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Json;
import io.groupcast.core.model.Names;
import io.groupcast.core.model.RequestException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The handler's wire protocol, in one place: the input it gets
 * ({@code {"type","event","connectionId","userId","roles","data"}}) and the replies it may answer. A reply that breaks
 * a rule is a {@link HandlerFailedException} naming the rule (for the logs).
 */
public final class HandlerProtocol {
    /** The input's {@code type} of a client event. */
    public static final String EVENT = "event";

    /** The input's {@code type} (and {@code event}) of the connect hook. */
    public static final String CONNECT = "connect";

    /** The most bytes of a reply's data: an ack frame of it fits API Gateway's 128 KB, with room for the envelope. */
    public static final int MAX_REPLY_BYTES = ApiGatewayLimits.MESSAGE_BYTES - 512;

    /** The most characters of a refusal's message or a connect refusal's reason. */
    public static final int MAX_MESSAGE = 1024;

    /** The most groups a connect hook may name, and roles it may add. */
    public static final int MAX_GROUPS = 100;

    /** The data of an input that carries none (the connect hook's). */
    public static final JsonNode NO_DATA = NullNode.getInstance();

    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    private HandlerProtocol() {}

    /** The input of {@code type} about {@code event} from {@code connection}, carrying {@code data}. */
    public static byte[] input(String type, String event, Connection connection, JsonNode data) {
        ObjectNode input = Json.object()
                .put("type", type)
                .put("event", event)
                .put("connectionId", connection.id().value())
                .put("userId", connection.user().value());
        ArrayNode roles = input.putArray("roles");
        Arrays.stream(connection.roles().roles().split(" "))
                .filter(role -> !role.isEmpty())
                .forEach(roles::add);
        input.set("data", data);
        return Json.bytes(input);
    }

    /**
     * A client event's reply: {@code {"data":R}} or {@code {"error":{"code":C,"message":M}}}; {@code {}} is
     * {@code {"data":null}} (Lambda's Java runtime writes no null field).
     */
    public static HandlerReply reply(String body) {
        JsonNode root = object(body);
        JsonNode error = root.path("error");
        if (!error.isMissingNode() && !error.isNull()) {
            String code = error.path("code").isTextual() ? error.path("code").textValue() : "";
            if (!CODE.matcher(code).matches()) {
                throw new HandlerFailedException("the handler's error.code must be 1-64 letters, digits or _ - . :");
            }
            return new HandlerReply.Refusal(code, message(error.path("message"), "error.message"));
        }
        if (root.isEmpty()) {
            // {"data":null} as Lambda's Java runtime writes it: it leaves null fields out
            return new HandlerReply.Data(NullNode.getInstance());
        }
        if (!root.has("data")) {
            throw new HandlerFailedException("the handler answered neither \"data\" nor \"error\"");
        }
        JsonNode data = root.get("data");
        int size = Json.bytes(data).length;
        if (size > MAX_REPLY_BYTES) {
            throw new HandlerFailedException(
                    "the handler's data is " + size + " bytes; a reply holds at most " + MAX_REPLY_BYTES);
        }
        return new HandlerReply.Data(data);
    }

    /** The connect hook's reply: {@code {"allow":true,"roles","groups"}} or {@code {"allow":false,"status","reason"}}. */
    public static HandlerReply connect(String body) {
        JsonNode root = object(body);
        JsonNode allow = root.get("allow");
        if (allow == null || !allow.isBoolean()) {
            throw new HandlerFailedException("the connect hook's reply needs \"allow\": true or false");
        }
        if (!allow.booleanValue()) {
            // an explicit refusal always refuses, even under ConnectHookOnFailure=Allow: a status or reason out of
            // shape ("403" as a string, 503, a reason too long) is made one, never read as the hook failing
            JsonNode status = root.path("status");
            int code = status.isNumber() ? status.intValue() : status.isTextual() ? parsed(status.textValue()) : 403;
            JsonNode reason = root.path("reason");
            String text = reason.isTextual() ? reason.textValue() : "";
            return new HandlerReply.Deny(
                    code < 400 || code > 499 ? 403 : code, text.substring(0, Math.min(text.length(), MAX_MESSAGE)));
        }
        List<String> roles = strings(root.path("roles"), "roles");
        List<GroupName> groups = new ArrayList<>();
        for (String group : strings(root.path("groups"), "groups")) {
            groups.add(group(group));
        }
        return new HandlerReply.Allow(roles, groups);
    }

    private static GroupName group(String name) {
        try {
            GroupName group = GroupName.of(name);
            if (group.isUserGroup() || group.isReserved()) {
                throw new HandlerFailedException("the connect hook named the reserved group " + Names.describe(name));
            }
            return group;
        } catch (RequestException e) {
            throw new HandlerFailedException("the connect hook named a group that is not one: " + e.getMessage());
        }
    }

    private static List<String> strings(JsonNode list, String field) {
        if (list.isMissingNode() || list.isNull()) {
            return List.of();
        }
        if (!list.isArray() || list.size() > MAX_GROUPS) {
            throw new HandlerFailedException(
                    "the connect hook's \"" + field + "\" must be an array of at most " + MAX_GROUPS + " strings");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode value : list) {
            if (!value.isTextual()) {
                throw new HandlerFailedException("the connect hook's \"" + field + "\" holds " + Json.kind(value));
            }
            values.add(value.textValue());
        }
        return values;
    }

    private static int parsed(String status) {
        try {
            return Integer.parseInt(status.trim());
        } catch (NumberFormatException e) {
            return 403;
        }
    }

    private static String message(JsonNode message, String field) {
        if (message.isMissingNode() || message.isNull()) {
            return "";
        }
        if (!message.isTextual() || message.textValue().length() > MAX_MESSAGE) {
            throw new HandlerFailedException(
                    "the handler's " + field + " must be a string of at most " + MAX_MESSAGE + " characters");
        }
        return message.textValue();
    }

    private static JsonNode object(String body) {
        JsonNode root;
        try {
            root = Json.parse(body);
        } catch (RequestException e) {
            throw new HandlerFailedException("the handler answered what is not JSON");
        }
        if (!root.isObject()) {
            throw new HandlerFailedException("the handler answered " + Json.kind(root) + ", not a JSON object");
        }
        return root;
    }
}
