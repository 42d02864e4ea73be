package io.groupcast.local.websocket;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.core.model.ApiGatewayLimits;
import io.groupcast.core.model.Json;
import io.groupcast.local.apigateway.HttpResponses;
import java.time.Instant;
import java.util.Map;
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
 * /{stage}/@connections/{id}}, errors with {@code x-amzn-ErrorType}. Requests are not SigV4-verified locally.
 */
public final class ManagementApi extends Handler.Abstract {
    private final String prefix;
    private final Map<String, LocalConnection> connections;

    public ManagementApi(String stage, Map<String, LocalConnection> connections) {
        this.prefix = "/" + stage + "/@connections/";
        this.connections = connections;
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
        String id = path.substring(prefix.length());
        LocalConnection connection = connections.get(id);
        switch (request.getMethod()) {
            case "POST" -> post(request, response, callback, connection);
            case "GET" -> {
                if (connection == null || !connection.isOpen()) {
                    HttpResponses.awsError(response, callback, 410, "GoneException", null);
                } else {
                    ObjectNode info = Json.object()
                            .put(
                                    "connectedAt",
                                    Instant.ofEpochMilli(connection.connectedAt())
                                            .toString())
                            .put(
                                    "lastActiveAt",
                                    Instant.ofEpochMilli(connection.lastActiveAt())
                                            .toString());
                    ObjectNode identity = info.putObject("identity")
                            .put("sourceIp", connection.request().sourceIp());
                    if (connection.request().userAgent() != null) {
                        identity.put("userAgent", connection.request().userAgent());
                    }
                    HttpResponses.json(response, callback, 200, info);
                }
            }
            case "DELETE" -> {
                if (connection == null || !connection.isOpen()) {
                    HttpResponses.awsError(response, callback, 410, "GoneException", null);
                } else {
                    connection.close(1000, "Connection deleted through the management API");
                    response.setStatus(204);
                    callback.succeeded();
                }
            }
            default ->
                HttpResponses.awsError(
                        response,
                        callback,
                        405,
                        "BadRequestException",
                        "method " + request.getMethod() + " is not supported on @connections");
        }
        return true;
    }

    private void post(Request request, Response response, Callback callback, LocalConnection connection)
            throws Exception {
        byte[] body = HttpResponses.body(request, ApiGatewayLimits.MESSAGE_BYTES);
        if (body == null) {
            HttpResponses.awsError(
                    response,
                    callback,
                    413,
                    "PayloadTooLargeException",
                    "Message too long: the limit is " + ApiGatewayLimits.MESSAGE_BYTES + " bytes");
            return;
        }
        if (connection == null || !connection.isOpen()) {
            HttpResponses.awsError(response, callback, 410, "GoneException", null);
            return;
        }
        try {
            connection.send(body).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            HttpResponses.awsError(response, callback, 410, "GoneException", null);
            return;
        }
        HttpResponses.send(response, callback, 200, null, new byte[0]);
    }
}
