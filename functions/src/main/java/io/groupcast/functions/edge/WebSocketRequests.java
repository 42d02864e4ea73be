package io.groupcast.functions.edge;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.Grants;
import io.groupcast.core.model.Protocol;
import io.groupcast.core.model.RequestException;
import io.groupcast.core.model.UserId;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Reads the connection and its user from a WebSocket event's request context. */
public final class WebSocketRequests {
    /** The authorizer context key that carries the user id from the authorizer to every later event. */
    public static final String USER_ID = "userId";

    /** The authorizer context key that carries the token's Groupcast roles, space-separated. */
    public static final String ROLES = "roles";

    /** The authorizer context key that carries the subprotocol chosen from the client's offer, when there is one. */
    public static final String PROTOCOL = "protocol";

    /** The header a client offers subprotocols in, and {@code $connect} answers the chosen one in. */
    public static final String SUBPROTOCOL_HEADER = "Sec-WebSocket-Protocol";

    private WebSocketRequests() {}

    /** The connection id; a clear error when the event has none. */
    public static ConnectionId connectionId(APIGatewayV2WebSocketEvent event) {
        APIGatewayV2WebSocketEvent.RequestContext context = requestContext(event);
        if (context.getConnectionId() == null || context.getConnectionId().isBlank()) {
            throw new MalformedEventException("requestContext.connectionId is missing");
        }
        return ConnectionId.of(context.getConnectionId());
    }

    /** The user of a {@code $disconnect} (its authorizer context), when the event carries a valid one. */
    public static Optional<UserId> userId(APIGatewayV2WebSocketEvent event) {
        Map<String, Object> authorizer = requestContext(event).getAuthorizer();
        Object user = authorizer == null ? null : authorizer.get(USER_ID);
        try {
            return user instanceof String value ? Optional.of(UserId.of(value)) : Optional.empty();
        } catch (RequestException e) {
            return Optional.empty();
        }
    }

    /** The connection with its user (from the authorizer context) and connect time. */
    public static Connection connection(APIGatewayV2WebSocketEvent event) {
        APIGatewayV2WebSocketEvent.RequestContext context = requestContext(event);
        ConnectionId id = connectionId(event);
        Map<String, Object> authorizer = context.getAuthorizer();
        Object user = authorizer == null ? null : authorizer.get(USER_ID);
        if (!(user instanceof String value) || value.isBlank()) {
            throw new MalformedEventException("requestContext.authorizer.userId is missing");
        }
        if (context.getConnectedAt() <= 0) {
            throw new MalformedEventException("requestContext.connectedAt is missing");
        }
        Object roles = authorizer.get(ROLES);
        Grants grants;
        try {
            grants = roles instanceof String text ? Grants.ofRoles(text) : Grants.NONE;
        } catch (IllegalArgumentException | RequestException e) {
            throw new MalformedEventException("requestContext.authorizer.roles: " + e.getMessage());
        }
        Object protocol = authorizer.get(PROTOCOL);
        return Connection.opened(
                id,
                UserId.of(value),
                Instant.ofEpochMilli(context.getConnectedAt()),
                grants,
                protocol instanceof String wire ? Protocol.of(wire) : Protocol.PLAIN);
    }

    /** A header's value, whatever the case of its name (API Gateway keeps the client's); null when absent. */
    public static String header(Map<String, String> headers, String name) {
        if (headers == null) {
            return null;
        }
        return headers.entrySet().stream()
                .filter(header -> name.equalsIgnoreCase(header.getKey()))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
    }

    private static APIGatewayV2WebSocketEvent.RequestContext requestContext(APIGatewayV2WebSocketEvent event) {
        if (event == null || event.getRequestContext() == null) {
            throw new MalformedEventException("the event has no requestContext");
        }
        return event.getRequestContext();
    }
}
