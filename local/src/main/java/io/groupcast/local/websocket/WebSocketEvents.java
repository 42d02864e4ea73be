package io.groupcast.local.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.core.model.Json;
import io.groupcast.local.apigateway.ApiGatewayIds;
import java.util.List;
import java.util.Map;

/** Builds the events API Gateway sends for a WebSocket API, field for field. */
public final class WebSocketEvents {
    private final String apiId;
    private final String stage;
    private final String region;
    private final String domainName;

    public WebSocketEvents(String apiId, String stage, String region, String domainName) {
        this.apiId = apiId;
        this.stage = stage;
        this.region = region;
        this.domainName = domainName;
    }

    /** The REQUEST authorizer's input for a connection attempt. */
    ObjectNode authorizer(String connectionId, long connectedAt, ClientRequest request) {
        ObjectNode event = Json.object()
                .put("type", "REQUEST")
                .put(
                        "methodArn",
                        "arn:aws:execute-api:" + region + ":000000000000:" + apiId + "/" + stage + "/$connect");
        putRequest(event, request);
        event.set("stageVariables", Json.object());
        event.set("requestContext", context("$connect", "CONNECT", connectionId, connectedAt, request));
        return event;
    }

    /** The {@code $connect} integration's event, with the authorizer's context. */
    ObjectNode connect(String connectionId, long connectedAt, ClientRequest request, ObjectNode authorizer) {
        ObjectNode event = Json.object();
        putRequest(event, request);
        ObjectNode context = context("$connect", "CONNECT", connectionId, connectedAt, request);
        if (authorizer != null) {
            context.set("authorizer", authorizer);
        }
        event.set("requestContext", context);
        event.put("isBase64Encoded", false);
        return event;
    }

    /** A message's event on route {@code routeKey}. */
    ObjectNode message(LocalConnection connection, String routeKey, String body, boolean base64) {
        ObjectNode context =
                context(routeKey, "MESSAGE", connection.id(), connection.connectedAt(), connection.request());
        context.put("messageId", ApiGatewayIds.newId());
        if (connection.authorizer() != null) {
            context.set("authorizer", connection.authorizer());
        }
        ObjectNode event = Json.object();
        event.set("requestContext", context);
        event.put("body", body);
        event.put("isBase64Encoded", base64);
        return event;
    }

    /** The {@code $disconnect} event. */
    ObjectNode disconnect(LocalConnection connection, int statusCode, String reason) {
        ObjectNode event = Json.object();
        ObjectNode headers = event.putObject("headers");
        headers.put("Host", domainName);
        headers.put("x-api-key", "");
        headers.put("X-Forwarded-For", "");
        headers.put("x-restapi", "");
        event.putObject("multiValueHeaders").putArray("Host").add(domainName);
        ObjectNode context =
                context("$disconnect", "DISCONNECT", connection.id(), connection.connectedAt(), connection.request());
        if (connection.authorizer() != null) {
            context.set("authorizer", connection.authorizer());
        }
        context.put("disconnectStatusCode", statusCode);
        context.put("disconnectReason", reason == null ? "" : reason);
        event.set("requestContext", context);
        event.put("isBase64Encoded", false);
        return event;
    }

    private ObjectNode context(
            String routeKey, String eventType, String connectionId, long connectedAt, ClientRequest request) {
        long now = System.currentTimeMillis();
        String requestId = ApiGatewayIds.newId();
        ObjectNode context = Json.object()
                .put("routeKey", routeKey)
                .put("eventType", eventType)
                .put("extendedRequestId", requestId)
                .put("requestTime", ApiGatewayIds.requestTime(now))
                .put("messageDirection", "IN")
                .put("stage", stage)
                .put("connectedAt", connectedAt)
                .put("requestTimeEpoch", now)
                .put("requestId", requestId)
                .put("domainName", domainName)
                .put("connectionId", connectionId)
                .put("apiId", apiId);
        ObjectNode identity = context.putObject("identity").put("sourceIp", request.sourceIp());
        if (request.userAgent() != null) {
            identity.put("userAgent", request.userAgent());
        }
        return context;
    }

    private static void putRequest(ObjectNode event, ClientRequest request) {
        ObjectNode headers = event.putObject("headers");
        ObjectNode multiHeaders = event.putObject("multiValueHeaders");
        request.headers().forEach((name, values) -> {
            headers.put(name, String.join(",", values));
            ArrayNode all = multiHeaders.putArray(name);
            values.forEach(all::add);
        });
        if (!request.query().isEmpty()) {
            ObjectNode query = event.putObject("queryStringParameters");
            ObjectNode multiQuery = event.putObject("multiValueQueryStringParameters");
            request.query().forEach((name, values) -> {
                query.put(name, values.get(values.size() - 1));
                ArrayNode all = multiQuery.putArray(name);
                values.forEach(all::add);
            });
        }
    }

    /** Whether an authorizer's answer allows {@code execute-api:Invoke} on the method ARN, and denies nothing. */
    static boolean allows(JsonNode answer) {
        JsonNode statements = answer.path("policyDocument").path("Statement");
        boolean allowed = false;
        for (JsonNode statement : statements.isArray() ? statements : List.of(statements)) {
            String effect = statement.path("Effect").asText();
            if ("Deny".equalsIgnoreCase(effect)) {
                return false;
            }
            if ("Allow".equalsIgnoreCase(effect)) {
                allowed = true;
            }
        }
        return allowed;
    }

    /** The context API Gateway passes on from an authorizer's answer: its context plus principalId. */
    static ObjectNode authorizerContext(JsonNode answer, long latencyMillis) {
        ObjectNode context = Json.object();
        answer.path("context")
                .fields()
                .forEachRemaining((Map.Entry<String, JsonNode> e) -> context.set(e.getKey(), e.getValue()));
        context.put("principalId", answer.path("principalId").asText(""));
        context.put("integrationLatency", latencyMillis);
        return context;
    }
}
