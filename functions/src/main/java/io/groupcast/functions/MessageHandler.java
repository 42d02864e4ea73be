package io.groupcast.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.core.ClientActions;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ErrorCode;
import io.groupcast.functions.edge.Invocation;
import io.groupcast.functions.edge.Metrics;
import io.groupcast.functions.edge.Outcome;
import io.groupcast.functions.edge.WebSocketRequests;

/** {@code $default}: a client's frame ({@code join}, {@code leave}), answered with an ack or error frame. */
public final class MessageHandler implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {
    private final ClientActions actions;

    /** Lambda: wired from the process environment, primed before a SnapStart snapshot. */
    public MessageHandler() {
        this(Wiring.ofProcess());
        Priming.register("message", this::prime);
    }

    /** Wired by {@code wiring} (the local gateway, tests, the benchmark's baseline). */
    public MessageHandler(Wiring wiring) {
        this.actions = wiring.clientActions();
    }

    /** The store's read path on a partition no one writes, and a signed post that is never sent. */
    void prime() {
        actions.prime(Priming.GROUP);
    }

    @Override
    public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
        String route = event == null || event.getRequestContext() == null
                ? "$default"
                : String.valueOf(event.getRequestContext().getRouteKey());
        return Invocation.of(context, route).webSocket(() -> {
            Connection connection = WebSocketRequests.connection(event);
            ObjectNode answer = actions.handle(connection, event.getBody());
            boolean ok = "ack".equals(answer.path("type").asText());
            String error = answer.path("error").asText("");
            Outcome<APIGatewayV2WebSocketResponse> outcome = Outcome.of(
                            Invocation.webSocketStatus(ok ? 200 : 400),
                            ok ? "client action done" : "client action refused")
                    .with("connectionId", connection.id())
                    .with("userId", connection.user())
                    .with("group", answer.path("group").asText(""))
                    .with(
                            "outcome",
                            ok
                                    ? answer.path("action").asText() + " "
                                            + answer.path("group").asText()
                                    : error)
                    .count(ok ? Metrics.CLIENT_ACTIONS : Metrics.CLIENT_ACTION_ERRORS, 1);
            if (error.equals(ErrorCode.STORE_UNAVAILABLE.code())) {
                outcome.count(Metrics.STORE_ERRORS, 1);
            }
            return outcome;
        });
    }
}
