package io.groupcast.local;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The {@code @connections} management API on the WebSocket port, in the AWS wire format: {@code POST|GET|DELETE
 * /{stage}/@connections/{id}}, errors with {@code x-amzn-ErrorType}. Requests are not SigV4-verified locally.
 */
final class ManagementApi extends Handler.Abstract {
    /** API Gateway's limit for one posted message. */
    static final int MAX_POST_BYTES = 128 * 1024;

    private final String prefix;
    private final Map<String, LocalConnection> connections;

    ManagementApi(String stage, Map<String, LocalConnection> connections) {
        this.prefix = "/" + stage + "/@connections/";
        this.connections = connections;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getDecodedPath();
        response.getHeaders().put("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
        if (!path.startsWith(prefix) || path.length() == prefix.length()) {
            if ("/".equals(path) && "GET".equals(request.getMethod())) {
                HttpResponses.json(response, callback, 426, "{\"message\":\"Upgrade Required: connect with a WebSocket client\"}");
            } else {
                HttpResponses.awsError(response, callback, 404, "NotFoundException", "no route " + path
                        + "; the management API is " + prefix + "{connectionId}");
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
                    String identity = "{\"sourceIp\":\"" + connection.request().sourceIp() + "\""
                            + (connection.request().userAgent() == null ? "" : ",\"userAgent\":"
                            + io.groupcast.core.Json.mapper().writeValueAsString(connection.request().userAgent()))
                            + "}";
                    HttpResponses.json(response, callback, 200, "{\"connectedAt\":\""
                            + Instant.ofEpochMilli(connection.connectedAt()) + "\",\"identity\":" + identity
                            + ",\"lastActiveAt\":\"" + Instant.ofEpochMilli(connection.lastActiveAt()) + "\"}");
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
            default -> HttpResponses.awsError(response, callback, 405, "BadRequestException",
                    "method " + request.getMethod() + " is not supported on @connections");
        }
        return true;
    }

    private void post(Request request, Response response, Callback callback, LocalConnection connection)
            throws Exception {
        byte[] body = HttpResponses.body(request, MAX_POST_BYTES);
        if (body == null) {
            HttpResponses.awsError(response, callback, 413, "PayloadTooLargeException",
                    "Message too long: the limit is " + MAX_POST_BYTES + " bytes");
            return;
        }
        if (connection == null || !connection.isOpen()) {
            HttpResponses.awsError(response, callback, 410, "GoneException", null);
            return;
        }
        try {
            connection.send(body).get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            HttpResponses.awsError(response, callback, 410, "GoneException", null);
            return;
        }
        HttpResponses.send(response, callback, 200, null, new byte[0]);
    }
}
