package io.groupcast.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import io.groupcast.core.connections.ClientActions;
import io.groupcast.core.connections.ConnectionLifecycle;
import io.groupcast.core.delivery.Budget;
import io.groupcast.core.handlers.ConnectHook;
import io.groupcast.core.handlers.ConnectRefusedException;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.ErrorCode;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Json;
import io.groupcast.core.model.Protocol;
import io.groupcast.core.protocol.ServerFrame;
import io.groupcast.functions.edge.Invocation;
import io.groupcast.functions.edge.Metrics;
import io.groupcast.functions.edge.Outcome;
import io.groupcast.functions.edge.WebSocketRequests;
import java.util.Map;

/**
 * The WebSocket API's routes, dispatched on the route key API Gateway puts in the request context: {@code $connect}
 * records the connection in its user's group and linked groups (a non-2xx answer refuses it), {@code $disconnect}
 * removes every membership (running it twice is harmless), and any other route is a client frame, answered with an
 * ack or error frame. The template gives each route its own function, role and environment; a function builds what
 * its route uses on first use.
 */
public final class WebSocketHandler
        implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {
    private final Wiring wiring;
    private final ConnectionLifecycle lifecycle;

    /** Lambda's: wired from the process environment. */
    public WebSocketHandler() {
        this(Wiring.ofProcess());
    }

    /** Wired by {@code wiring}: the local gateway's, a test's, the benchmark baseline's. */
    public WebSocketHandler(Wiring wiring) {
        this.wiring = wiring;
        this.lifecycle = wiring.lifecycle();
        wiring.primeBeforeSnapshot("websocket", this::prime, () -> {});
    }

    /** The store's read path on a partition no one writes, and, where the function posts, a post never sent. */
    void prime() {
        lifecycle.prime(Priming.GROUP);
        if (wiring.posts()) {
            wiring.clientActions().prime(Priming.GROUP);
        }
    }

    @Override
    public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
        String route = event == null || event.getRequestContext() == null
                ? "$default"
                : String.valueOf(event.getRequestContext().getRouteKey());
        return Invocation.of(context, route).webSocket(() -> switch (route) {
            case "$connect" -> connect(event, Invocation.budget(context));
            case "$disconnect" -> disconnect(event);
            default -> frame(event, Invocation.budget(context));
        });
    }

    private Outcome<APIGatewayV2WebSocketResponse> connect(APIGatewayV2WebSocketEvent event, Budget budget) {
        Connection connection = WebSocketRequests.connection(event);
        ConnectHook.Admission admission;
        try {
            admission = lifecycle.admit(connection, budget);
        } catch (ConnectRefusedException refused) {
            return refused(connection, refused);
        }
        int linked = lifecycle.opened(connection, admission, budget);
        APIGatewayV2WebSocketResponse answer = Invocation.webSocketStatus(200);
        if (connection.protocol() != Protocol.PLAIN) {
            answer.setHeaders(Map.of(
                    WebSocketRequests.SUBPROTOCOL_HEADER, connection.protocol().wire()));
        }
        return Outcome.of(answer, "connected")
                .with("connectionId", connection.id())
                .with("userId", connection.user())
                .with("linkedGroups", linked)
                .with("protocol", connection.protocol().wire())
                .with("outcome", "connected")
                .with("hookGroups", admission.groups().size())
                .count(Metrics.CONNECTIONS_OPENED, 1)
                .hookFailure(admission.failure());
    }

    /**
     * A connection the connect hook refused: the upgrade gets its status, and the body (which API Gateway does not
     * pass on; the local gateway does) {@code {"error":code,"message":reason}}.
     */
    private static Outcome<APIGatewayV2WebSocketResponse> refused(Connection connection, ConnectRefusedException e) {
        APIGatewayV2WebSocketResponse answer = Invocation.webSocketStatus(e.status());
        answer.setBody(Json.object()
                .put("error", e.code().code())
                .put("message", e.getMessage())
                .toString());
        return Outcome.of(answer, "connect refused by the hook")
                .with("connectionId", connection.id())
                .with("userId", connection.user())
                .with("status", e.status())
                .with("outcome", e.code().code())
                .hookFailure(e.failure());
    }

    private Outcome<APIGatewayV2WebSocketResponse> disconnect(APIGatewayV2WebSocketEvent event) {
        ConnectionId connection = WebSocketRequests.connectionId(event);
        int groups = lifecycle.closed(connection, WebSocketRequests.userId(event));
        return Outcome.of(Invocation.webSocketStatus(200), "disconnected")
                .with("connectionId", connection)
                .with("groups", groups)
                .with("outcome", "disconnected")
                .count(Metrics.CONNECTIONS_CLOSED, 1);
    }

    private static long elapsedMs(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    private Outcome<APIGatewayV2WebSocketResponse> frame(APIGatewayV2WebSocketEvent event, Budget budget) {
        long started = System.nanoTime();
        Connection connection = WebSocketRequests.connection(event);
        ClientActions.Answer handled = wiring.clientActions().handle(connection, event.getBody(), budget);
        String group = handled.frame() instanceof ServerFrame.Ack ack
                ? ack.group().map(GroupName::value).orElse("")
                : "";
        String action = handled.request().action();
        Outcome<APIGatewayV2WebSocketResponse> outcome = Outcome.of(
                        Invocation.webSocketStatus(handled.ok() ? 200 : 400),
                        handled.ok() ? "client action done" : "client action refused")
                .with("connectionId", connection.id())
                .with("userId", connection.user())
                .with("group", group)
                .with("outcome", handled.refusal().orElse(group.isEmpty() ? action : action + " " + group))
                .count(handled.ok() ? Metrics.CLIENT_ACTIONS : Metrics.CLIENT_ACTION_ERRORS, 1);
        handled.failure()
                .ifPresent(failure -> outcome.with("handlerFailure", failure)
                        .count(Metrics.HANDLER_ERRORS, 1)
                        .warnWhen(true));
        if (handled.error().filter(ErrorCode.STORE_UNAVAILABLE::equals).isPresent()) {
            outcome.count(Metrics.STORE_ERRORS, 1);
        }
        handled.delivery().ifPresent(delivery -> outcome.fanout(delivery, elapsedMs(started)));
        return outcome;
    }
}
