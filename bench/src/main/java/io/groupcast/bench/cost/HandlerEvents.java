package io.groupcast.bench.cost;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.core.model.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The events API Gateway hands the handlers, in Lambda's own types: the samples in {@code events/}, made current for
 * a connection, a user and a frame.
 */
record HandlerEvents(
        ObjectNode connectSample, ObjectNode messageSample, ObjectNode disconnectSample, ObjectNode authorizeSample) {
    /** Reads the samples from the {@code events} folder. */
    static HandlerEvents read(Path events) throws IOException {
        return new HandlerEvents(
                sample(events, "connect.json"),
                sample(events, "message.json"),
                sample(events, "disconnect.json"),
                sample(events, "authorize.json"));
    }

    private static ObjectNode sample(Path events, String file) throws IOException {
        return (ObjectNode) Json.parse(Files.readString(events.resolve(file)));
    }

    /** A {@code $connect} of connection {@code id} by {@code user}. */
    APIGatewayV2WebSocketEvent connect(String id, String user) {
        return webSocketEvent(connectSample, id, user, null);
    }

    /** A frame {@code body} on connection {@code id} of {@code user}, who may join, leave, send and resume. */
    APIGatewayV2WebSocketEvent message(String id, String user, String body) {
        return webSocketEvent(messageSample, id, user, body);
    }

    /** A {@code $disconnect} of connection {@code id} of {@code user}. */
    APIGatewayV2WebSocketEvent disconnect(String id, String user) {
        return webSocketEvent(disconnectSample, id, user, null);
    }

    /** The authorizer's request for a connection with {@code token} in its query string. */
    APIGatewayCustomAuthorizerEvent authorize(String token) {
        ObjectNode event = authorizeSample.deepCopy();
        ((ObjectNode) event.get("queryStringParameters")).put("token", token);
        if (event.has("multiValueQueryStringParameters")
                && event.get("multiValueQueryStringParameters").isObject()) {
            ((ObjectNode) event.get("multiValueQueryStringParameters"))
                    .putArray("token")
                    .add(token);
        }
        return read(event, APIGatewayCustomAuthorizerEvent.class);
    }

    /** The HTTP API's {@code POST /notify} with {@code body}. */
    static APIGatewayV2HTTPEvent notify(String body) {
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setRouteKey("POST /notify");
        event.setBody(body);
        return event;
    }

    private static APIGatewayV2WebSocketEvent webSocketEvent(ObjectNode sample, String id, String user, String body) {
        ObjectNode event = sample.deepCopy();
        ObjectNode context = (ObjectNode) event.get("requestContext");
        context.put("connectionId", id);
        long now = System.currentTimeMillis();
        context.put("connectedAt", now).put("requestTimeEpoch", now);
        ObjectNode authorizer =
                context.has("authorizer") && context.get("authorizer").isObject()
                        ? (ObjectNode) context.get("authorizer")
                        : context.putObject("authorizer");
        authorizer.put("userId", user).put("principalId", user);
        if (body != null) {
            authorizer.put("roles", "groupcast.joinLeaveGroup groupcast.sendToGroup");
            if (body.contains("resume")) {
                authorizer.put("protocol", "groupcast.reliable.v1");
            }
            event.put("body", body);
        }
        return read(event, APIGatewayV2WebSocketEvent.class);
    }

    private static <T> T read(ObjectNode json, Class<T> type) {
        return LambdaEventSerializers.serializerFor(type, HandlerEvents.class.getClassLoader())
                .fromJson(json.toString());
    }
}
