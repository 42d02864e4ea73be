package io.groupcast.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import io.groupcast.core.ConnectionLifecycle;
import io.groupcast.core.model.Connection;
import io.groupcast.functions.edge.Invocation;
import io.groupcast.functions.edge.Metrics;
import io.groupcast.functions.edge.Outcome;
import io.groupcast.functions.edge.WebSocketRequests;

/** {@code $connect}: adds the connection to its user's group and its user's linked groups; non-2xx refuses it. */
public final class ConnectHandler implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {
    private final ConnectionLifecycle lifecycle;

    /** Lambda: wired from the process environment, primed before a SnapStart snapshot. */
    public ConnectHandler() {
        this(Wiring.ofProcess());
        Priming.register("connect", this::prime);
    }

    /** Wired by {@code wiring} (the local gateway, tests, the benchmark's baseline). */
    public ConnectHandler(Wiring wiring) {
        this.lifecycle = wiring.lifecycle();
    }

    void prime() {
        lifecycle.prime(Priming.GROUP);
    }

    @Override
    public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
        return Invocation.of(context, "$connect").webSocket(() -> {
            Connection connection = WebSocketRequests.connection(event);
            int linked = lifecycle.opened(connection);
            return Outcome.of(Invocation.webSocketStatus(200), "connected")
                    .with("connectionId", connection.id())
                    .with("userId", connection.user())
                    .with("linkedGroups", linked)
                    .with("outcome", "connected")
                    .count(Metrics.CONNECTIONS_OPENED, 1);
        });
    }
}
