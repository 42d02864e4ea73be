package io.groupcast.functions.serverapi;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.core.delivery.Budget;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.ErrorCode;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Json;
import io.groupcast.core.model.Names;
import io.groupcast.core.model.Permission;
import io.groupcast.core.model.RequestException;
import io.groupcast.core.model.UserId;
import io.groupcast.functions.edge.Invocation;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One server API request as API Gateway hands it over: path parameters already decoded, query, body. */
final class ServerRequest {
    private final APIGatewayV2HTTPEvent event;
    private final Context context;

    ServerRequest(APIGatewayV2HTTPEvent event, Context context) {
        this.event = event;
        this.context = context;
    }

    /** The decoded value of the route key's {@code {name}}; 400 {@code invalid_path} when API Gateway sent none. */
    String path(String name) {
        Map<String, String> parameters = event.getPathParameters();
        String value = parameters == null ? null : parameters.get(name);
        if (value == null || value.isEmpty()) {
            throw new RequestException(ErrorCode.INVALID_PATH, "the path has no {" + name + "}");
        }
        return value;
    }

    /** The route's {@code {group}}, validated. */
    GroupName group() {
        return GroupName.of(path("group"));
    }

    /** The route's {@code {userId}}, validated. */
    UserId user() {
        return UserId.of(path("userId"));
    }

    /** The route's {@code {connectionId}}, validated. */
    ConnectionId connection() {
        return ConnectionId.of(path("connectionId"));
    }

    /** The route's {@code {permission}}: {@code joinLeaveGroup} or {@code sendToGroup}. */
    Permission permission() {
        String name = path("permission");
        return Permission.of(name)
                .orElseThrow(() -> new RequestException(
                        ErrorCode.INVALID_PERMISSION,
                        "permission " + Names.describe(name) + " is not joinLeaveGroup or sendToGroup"));
    }

    /** The path parameters the answer names: {@code {"group":…,"connectionId":…}} or {@code {"group":…,"userId":…}}. */
    ObjectNode named() {
        ObjectNode answer = Json.object();
        if (event.getPathParameters() != null) {
            for (String name : List.of("group", "userId", "connectionId", "permission")) {
                if (event.getPathParameters().containsKey(name)) {
                    answer.put(name, path(name));
                }
            }
        }
        return answer;
    }

    /** A true-or-false query parameter, false when absent; anything else is {@code invalid_query}. */
    boolean flag(String name) {
        Optional<String> value = query(name);
        if (value.isEmpty() || value.get().equals("false")) {
            return false;
        }
        if (value.get().equals("true")) {
            return true;
        }
        throw new RequestException(
                ErrorCode.INVALID_QUERY, "\"" + name + "\" must be true or false, not " + Names.describe(value.get()));
    }

    /** A query parameter. */
    Optional<String> query(String name) {
        Map<String, String> query = event.getQueryStringParameters();
        return Optional.ofNullable(query == null ? null : query.get(name));
    }

    /** The body as text (API Gateway base64-encodes bodies it does not take for text), or null without one. */
    String body() {
        if (event.getBody() == null) {
            return null;
        }
        if (event.getIsBase64Encoded()) {
            try {
                return new String(Base64.getDecoder().decode(event.getBody()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new RequestException(ErrorCode.MALFORMED_JSON, "the body is not valid base64-encoded JSON");
            }
        }
        return event.getBody();
    }

    /** The time the invocation has left: the Lambda context's, or unlimited without one. */
    Budget budget() {
        return Invocation.budget(context);
    }
}
