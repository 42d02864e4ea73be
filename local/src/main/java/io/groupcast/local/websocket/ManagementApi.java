package io.groupcast.local.websocket;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.core.model.ApiGatewayLimits;
import io.groupcast.core.model.Json;
import io.groupcast.local.apigateway.CrossSiteRequests;
import io.groupcast.local.apigateway.HttpResponses;
import io.groupcast.local.apigateway.SigV4Verifier;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The {@code @connections} management API on the WebSocket port, in the AWS wire format: {@code POST|GET|DELETE
 * /{stage}/@connections/{id}}, errors with {@code x-amzn-ErrorType}. Requests are SigV4-verified with
 * {@code --verify-sigv4} only; a request a browser sent for another origin's page is refused (403
 * {@code ForbiddenException}), as no page of the gateway calls this API.
 */
public final class ManagementApi extends Handler.Abstract {
    private final String prefix;
    private final Map<String, LocalConnection> connections;
    private final Optional<SigV4Verifier> sigV4;

    public ManagementApi(String stage, Map<String, LocalConnection> connections, Optional<SigV4Verifier> sigV4) {
        this.prefix = "/" + stage + "/@connections/";
        this.connections = connections;
        this.sigV4 = sigV4;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getDecodedPath();
        response.getHeaders().put("x-amzn-RequestId", UUID.randomUUID().toString());
        if (!path.startsWith(prefix) || path.length() == prefix.length()) {
            if ("/".equals(path) && "GET".equals(request.getMethod())) {
                HttpResponses.gateway(response, callback, 426, "Upgrade Required: connect with a WebSocket client");
            } else {
                HttpResponses.awsError(
                        response,
                        callback,
                        404,
                        "NotFoundException",
                        "no route " + path + "; the management API is " + prefix + "{connectionId}");
            }
            return true;
        }
        byte[] body = HttpResponses.body(request, ApiGatewayLimits.MESSAGE_BYTES);
        if (body == null) {
            HttpResponses.awsError(
                    response,
                    callback,
                    413,
                    "PayloadTooLargeException",
                    "Message too long: the limit is " + ApiGatewayLimits.MESSAGE_BYTES + " bytes");
            return true;
        }
        Optional<String> refusal = CrossSiteRequests.fromAnotherOrigin(request, request.getMethod() + " @connections")
                .or(() -> sigV4.flatMap(verifier -> verifier.refusal(request, body))
                        .map(SigV4Verifier.Refusal::message));
        if (refusal.isPresent()) {
            HttpResponses.awsError(response, callback, 403, "ForbiddenException", refusal.get());
            return true;
        }
        answer(request, response, callback, connections.get(path.substring(prefix.length())), body);
        return true;
    }

    private static void answer(
            Request request, Response response, Callback callback, LocalConnection connection, byte[] body)
            throws Exception {
        if (!Set.of("POST", "GET", "DELETE").contains(request.getMethod())) {
            HttpResponses.awsError(
                    response,
                    callback,
                    405,
                    "BadRequestException",
                    "method " + request.getMethod() + " is not supported on @connections");
        } else if (connection == null || !connection.isOpen()) {
            HttpResponses.awsError(response, callback, 410, "GoneException", null);
        } else if ("GET".equals(request.getMethod())) {
            HttpResponses.json(response, callback, 200, info(connection));
        } else if ("DELETE".equals(request.getMethod())) {
            connection.close(1000, "Connection deleted through the management API");
            response.setStatus(204);
            callback.succeeded();
        } else {
            post(response, callback, connection, body);
        }
    }

    /** {@code GET @connections/{id}}: when it connected, when it was last active, its source IP and user agent. */
    private static ObjectNode info(LocalConnection connection) {
        ObjectNode info = Json.object()
                .put(
                        "connectedAt",
                        Instant.ofEpochMilli(connection.connectedAt()).toString())
                .put(
                        "lastActiveAt",
                        Instant.ofEpochMilli(connection.lastActiveAt()).toString());
        ObjectNode identity =
                info.putObject("identity").put("sourceIp", connection.request().sourceIp());
        if (connection.request().userAgent() != null) {
            identity.put("userAgent", connection.request().userAgent());
        }
        return info;
    }

    private static void post(Response response, Callback callback, LocalConnection connection, byte[] body)
            throws Exception {
        try {
            connection.send(body).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            HttpResponses.awsError(response, callback, 410, "GoneException", null);
            return;
        }
        HttpResponses.send(response, callback, 200, null, new byte[0]);
    }
}
