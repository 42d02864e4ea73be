package io.groupcast.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.core.AwsClients;
import io.groupcast.core.ClientActions;
import io.groupcast.core.Connection;
import io.groupcast.core.Environment;
import io.groupcast.core.RequestException;
import java.util.Map;
import java.util.Objects;

/** {@code $default}: a client's frame ({@code join}, {@code leave}), answered with an ack or error frame. */
public final class MessageHandler implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {
    private final ClientActions actions;

    /** Wires store and management API from the process environment (Lambda). */
    public MessageHandler() {
        this(System.getenv());
        Priming.register("message", this::prime);
    }

    /** Wires store and management API from the given environment (local gateway). */
    public MessageHandler(Map<String, String> env) {
        this(actions(Log.configured(env)));
    }

    MessageHandler(ClientActions actions) {
        this.actions = Objects.requireNonNull(actions, "actions");
    }

    private static ClientActions actions(Environment env) {
        AwsClients clients = AwsClients.from(env);
        return new ClientActions(clients.membershipStore(), clients.connections(4), ClientActions.maxGroups(env));
    }

    /** The store's read path on a partition no one writes, and a signed post that is never sent. */
    void prime() {
        actions.prime(Priming.GROUP);
    }

    @Override
    public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
        Connection connection;
        try {
            connection = WebSocketRequests.connection(event);
        } catch (MalformedEventException | RequestException e) {
            Log.error(context, "frame ignored: malformed event", e, Map.of());
            return Responses.webSocket(400);
        }
        ObjectNode answer = actions.handle(connection, event.getBody());
        boolean ok = "ack".equals(answer.path("type").asText());
        Log.info(context, ok ? "client action done" : "client action refused", Map.of(
                "connectionId", connection.id(),
                "userId", connection.user(),
                "route", String.valueOf(event.getRequestContext().getRouteKey()),
                "group", answer.path("group").asText(""),
                "outcome", ok ? answer.path("action").asText() + " " + answer.path("group").asText()
                        : answer.path("error").asText()));
        String error = answer.path("error").asText("");
        Metrics.count(context, error.equals("store_unavailable")
                ? Map.of(Metrics.CLIENT_ACTION_ERRORS, 1, Metrics.STORE_ERRORS, 1)
                : Map.of(ok ? Metrics.CLIENT_ACTIONS : Metrics.CLIENT_ACTION_ERRORS, 1));
        return Responses.webSocket(ok ? 200 : 400);
    }
}
