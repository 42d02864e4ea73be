package io.groupcast.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import io.groupcast.core.ConnectionLifecycle;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.functions.edge.Invocation;
import io.groupcast.functions.edge.Metrics;
import io.groupcast.functions.edge.Outcome;
import io.groupcast.functions.edge.WebSocketRequests;

/** {@code $disconnect}: removes every membership of the connection; running it twice is harmless. */
public final class DisconnectHandler
        implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {
    private final ConnectionLifecycle lifecycle;

    /** Lambda: wired from the process environment, primed before a SnapStart snapshot. */
    public DisconnectHandler() {
        this(Wiring.ofProcess());
        Priming.register("disconnect", this::prime);
    }

    /** Wired by {@code wiring} (the local gateway, tests, the benchmark's baseline). */
    public DisconnectHandler(Wiring wiring) {
        this.lifecycle = wiring.lifecycle();
    }

    void prime() {
        lifecycle.prime(Priming.GROUP);
    }

    @Override
    public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
        return Invocation.of(context, "$disconnect").webSocket(() -> {
            ConnectionId connection = WebSocketRequests.connectionId(event);
            int groups = lifecycle.closed(connection);
            return Outcome.of(Invocation.webSocketStatus(200), "disconnected")
                    .with("connectionId", connection)
                    .with("groups", groups)
                    .with("outcome", "disconnected")
                    .count(Metrics.CONNECTIONS_CLOSED, 1);
        });
    }
}
