package io.groupcast.local.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.core.model.Json;
import io.groupcast.local.apigateway.ApiGatewayIds;
import io.groupcast.local.apigateway.GatewayLog;
import io.groupcast.local.apigateway.HttpResponses;
import io.groupcast.local.lambda.LocalFunctions;
import io.groupcast.local.template.SamTemplate;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.WebSocketCreator;

/**
 * The WebSocket API as API Gateway runs it, from the template's routes: the REQUEST authorizer and {@code $connect}
 * on upgrade (401/403/500 refuse it), frames routed by the route selection expression with {@code $default} as
 * fallback, {@code $disconnect} when a client closes or drops, and the idle and maximum-duration limits.
 */
public final class WebSocketApi implements WebSocketCreator {
    private final LocalFunctions functions;
    private final WebSocketEvents events;
    private final RouteSelection selection;
    private final Map<String, SamTemplate.Route> routes;
    private final Optional<String> authorizer;
    private final List<String> identitySources;
    private final Map<String, LocalConnection> connections = new ConcurrentHashMap<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final ExecutorService integrations;
    private final ScheduledExecutorService timers;
    private final Duration maxDuration;
    private final GatewayLog log;

    public WebSocketApi(
            SamTemplate template,
            LocalFunctions functions,
            WebSocketEvents events,
            ExecutorService integrations,
            ScheduledExecutorService timers,
            Duration maxDuration,
            GatewayLog log) {
        this.functions = functions;
        this.events = events;
        this.routes = template.webSocketRoutes();
        this.selection = new RouteSelection(template.routeSelectionExpression(), routes.keySet());
        this.authorizer = template.authorizerFunction();
        this.identitySources = template.authorizerIdentitySources();
        this.integrations = integrations;
        this.timers = timers;
        this.maxDuration = maxDuration;
        this.log = log;
    }

    /** Integrations queued or running (frames and $disconnect). */
    public int pendingIntegrations() {
        return pending.get();
    }

    private void enqueue(LocalConnection connection, Runnable integration) {
        pending.incrementAndGet();
        connection.enqueue(
                () -> {
                    try {
                        integration.run();
                    } finally {
                        pending.decrementAndGet();
                    }
                },
                integrations);
    }

    /** The open (and connecting) connections by id. */
    public Map<String, LocalConnection> connections() {
        return connections;
    }

    @Override
    public Object createWebSocket(ServerUpgradeRequest upgrade, ServerUpgradeResponse response, Callback callback) {
        long connectedAt = System.currentTimeMillis();
        String id = ApiGatewayIds.newId();
        ClientRequest request = clientRequest(upgrade);
        ObjectNode authorizerContext = null;
        if (authorizer.isPresent()) {
            if (!identityPresent(request)) {
                log.connection(id, "refused 401: no token (identity source " + identitySources + ")");
                return refuse(response, callback, 401, "Unauthorized");
            }
            JsonNode answer;
            long started = System.currentTimeMillis();
            try {
                answer = Json.parse(functions
                        .get(authorizer.get())
                        .invoke(events.authorizer(id, connectedAt, request).toString()));
            } catch (RuntimeException e) {
                log.error("authorizer " + authorizer.get() + " failed", e);
                return refuse(response, callback, 500, "Internal server error");
            }
            if (!WebSocketEvents.allows(answer)) {
                log.connection(id, "refused 403: the authorizer denied it");
                return refuse(response, callback, 403, "Forbidden");
            }
            authorizerContext = WebSocketEvents.authorizerContext(answer, System.currentTimeMillis() - started);
        }
        LocalConnection connection = new LocalConnection(id, connectedAt, request, authorizerContext);
        connections.put(id, connection);
        SamTemplate.Route connect = routes.get("$connect");
        if (connect != null) {
            int status;
            JsonNode answer = Json.object();
            try {
                answer = Json.parse(functions
                        .get(connect.functionLogicalId())
                        .invoke(events.connect(id, connectedAt, request, authorizerContext)
                                .toString()));
                status = answer.path("statusCode").asInt(200);
            } catch (RuntimeException e) {
                log.error("$connect integration " + connect.functionLogicalId() + " failed", e);
                status = 500;
            }
            if (status < 200 || status > 299) {
                connections.remove(id);
                log.connection(id, "refused " + status + ": $connect answered " + status);
                return refuseConnect(response, callback, status, answer);
            }
            // As API Gateway does, the subprotocol $connect answers is the one the handshake accepts.
            subprotocol(answer).ifPresent(response::setAcceptedSubProtocol);
        }
        return new WebSocketEndpoint(connection, this);
    }

    /** The {@code Sec-WebSocket-Protocol} header of a {@code $connect} answer, whatever its case. */
    private static Optional<String> subprotocol(JsonNode answer) {
        for (Map.Entry<String, JsonNode> header : answer.path("headers").properties()) {
            if ("Sec-WebSocket-Protocol".equalsIgnoreCase(header.getKey())) {
                return Optional.of(header.getValue().asText());
            }
        }
        return Optional.empty();
    }

    private boolean identityPresent(ClientRequest request) {
        if (request.header("Authorization") != null) {
            return true;
        }
        for (String source : identitySources) {
            if (source.startsWith("route.request.querystring.")
                    && request.queryParameter(source.substring("route.request.querystring.".length())) != null) {
                return true;
            }
            if (source.startsWith("route.request.header.")
                    && request.header(source.substring("route.request.header.".length())) != null) {
                return true;
            }
        }
        return identitySources.isEmpty();
    }

    /**
     * A refusal by {@code $connect}: its own body when it has one (a connect hook's refusal; on AWS only the status
     * reaches the client), else API Gateway's.
     */
    private static Object refuseConnect(
            ServerUpgradeResponse response, Callback callback, int status, JsonNode answer) {
        if (answer.path("body").isTextual()) {
            HttpResponses.send(
                    response,
                    callback,
                    status,
                    "application/json",
                    answer.path("body").textValue().getBytes(StandardCharsets.UTF_8));
            return null;
        }
        return refuse(response, callback, status, status >= 500 ? "Internal server error" : "Forbidden");
    }

    private static Object refuse(ServerUpgradeResponse response, Callback callback, int status, String message) {
        HttpResponses.gateway(response, callback, status, message);
        return null;
    }

    private static ClientRequest clientRequest(ServerUpgradeRequest upgrade) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpField field : upgrade.getHeaders()) {
            headers.computeIfAbsent(field.getName(), k -> new ArrayList<>()).add(field.getValue());
        }
        Map<String, List<String>> query = new LinkedHashMap<>();
        Fields fields = Request.extractQueryParameters(upgrade, StandardCharsets.UTF_8);
        for (Fields.Field field : fields) {
            query.put(field.getName(), field.getValues());
        }
        return new ClientRequest(
                headers,
                query,
                Request.getRemoteAddr(upgrade),
                upgrade.getHeaders().get(HttpHeader.USER_AGENT));
    }

    private void onFrame(LocalConnection connection, String body, boolean base64) {
        String routeKey = selection.select(base64 ? null : body);
        String requestId = ApiGatewayIds.newId();
        if (routeKey == null) {
            reply(connection, "Forbidden", requestId);
            return;
        }
        SamTemplate.Route route = routes.get(routeKey);
        if (route.mockResponse().isPresent()) {
            connection.send(route.mockResponse().get().getBytes(StandardCharsets.UTF_8));
            return;
        }
        String function = route.functionLogicalId();
        try {
            functions
                    .get(function)
                    .invoke(events.message(connection, routeKey, body, base64).toString());
        } catch (RuntimeException e) {
            log.error(routeKey + " integration " + function + " failed", e);
            reply(connection, "Internal server error", requestId);
        }
    }

    void onClose(LocalConnection connection, int status, String reason) {
        connections.remove(connection.id());
        connection.closed();
        SamTemplate.Route disconnect = routes.get("$disconnect");
        log.connection(connection.id(), "closed " + status + (reason == null || reason.isEmpty() ? "" : " " + reason));
        if (disconnect != null) {
            enqueue(connection, () -> {
                try {
                    functions
                            .get(disconnect.functionLogicalId())
                            .invoke(events.disconnect(connection, status, reason)
                                    .toString());
                } catch (RuntimeException e) {
                    log.error("$disconnect integration " + disconnect.functionLogicalId() + " failed", e);
                }
            });
        }
    }

    /** API Gateway's own frame when a route cannot answer: {@code {"message","connectionId","requestId"}}. */
    private static void reply(LocalConnection connection, String message, String requestId) {
        connection.send(Json.bytes(Json.object()
                .put("message", message)
                .put("connectionId", connection.id())
                .put("requestId", requestId)));
    }

    void onOpen(LocalConnection connection, Session session) {
        long remaining = connection.connectedAt() + maxDuration.toMillis() - System.currentTimeMillis();
        connection.opened(
                session,
                timers.schedule(
                        () -> connection.close(1001, "Going away"), Math.max(0, remaining), TimeUnit.MILLISECONDS));
        log.connection(
                connection.id(),
                "open"
                        + (connection.authorizer() == null
                                ? ""
                                : " for "
                                        + connection
                                                .authorizer()
                                                .path("principalId")
                                                .asText()));
    }

    void onText(LocalConnection connection, String message) {
        connection.touch();
        enqueue(connection, () -> onFrame(connection, message, false));
    }

    void onBinary(LocalConnection connection, byte[] bytes) {
        connection.touch();
        String body = Base64.getEncoder().encodeToString(bytes);
        enqueue(connection, () -> onFrame(connection, body, true));
    }

    void onError(LocalConnection connection, Throwable cause) {
        log.connection(connection.id(), "error: " + cause.getMessage());
    }
}
