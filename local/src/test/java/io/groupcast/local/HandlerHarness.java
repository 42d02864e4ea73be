package io.groupcast.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.core.model.Json;
import io.groupcast.core.testing.Dynalite;
import io.groupcast.local.lambda.LocalFunctions;
import io.groupcast.local.lambda.LocalSettings;
import io.groupcast.local.template.SamTemplate;
import io.groupcast.standins.LoopbackManagementApi;
import io.groupcast.standins.ProjectRoot;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The template's functions loaded in-process against dynalite and a loopback management API, fed the samples in
 * {@code events/} (through aws-lambda-java-tests' {@link EventLoader}, changed where a test needs): the whole back
 * end without the WebSocket front.
 */
final class HandlerHarness implements AutoCloseable {
    final Dynalite dynalite;
    final LoopbackManagementApi api = LoopbackManagementApi.start();
    final SamTemplate template = SamTemplate.read(ProjectRoot.get().resolve("template.yaml"));
    final String table;
    final LocalFunctions functions;
    /** The authorizer context API Gateway keeps for each connection and passes on with its every frame. */
    private final Map<String, Map<String, Object>> contexts = new ConcurrentHashMap<>();

    HandlerHarness(Dynalite dynalite, String jwtSecret) {
        this.dynalite = dynalite;
        this.table = dynalite.createTable();
        this.functions = LocalFunctions.load(
                template,
                new LocalSettings(
                        table,
                        api.endpoint().toString(),
                        Optional.of(dynalite.endpoint().toString()),
                        "us-east-1",
                        "test",
                        "test",
                        Map.of("JwtSecret", jwtSecret),
                        Optional.empty()));
    }

    /** A sample of {@code events/}, as the runtime would hand it to a handler. */
    static <T> T sample(String file, Class<T> type) {
        return EventLoader.loadEvent(ProjectRoot.event(file), type);
    }

    /** Invokes a function with an event object, serialized as Lambda's runtime would; answers its JSON result. */
    @SuppressWarnings("unchecked")
    <T> JsonNode invoke(String function, T event) {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        LambdaEventSerializers.serializerFor((Class<T>) event.getClass(), HandlerHarness.class.getClassLoader())
                .toJson(event, json);
        return Json.parse(functions.get(function).invoke(json.toString(StandardCharsets.UTF_8)));
    }

    /** Runs the authorizer with a token; answers the user id it allowed, or null when denied. */
    String authorize(String token) {
        return authorizerContext(token)
                .map(context -> (String) context.get("userId"))
                .orElse(null);
    }

    /** Runs the authorizer with a token; answers the context it allowed with, or empty when denied. */
    private Optional<Map<String, Object>> authorizerContext(String token) {
        APIGatewayCustomAuthorizerEvent event = sample("authorize.json", APIGatewayCustomAuthorizerEvent.class);
        event.setQueryStringParameters(new HashMap<>(Map.of("token", token)));
        JsonNode answer = invoke("AuthorizeFunction", event);
        String effect = answer.path("policyDocument")
                .path("Statement")
                .path(0)
                .path("Effect")
                .asText();
        if (!"Allow".equals(effect)) {
            return Optional.empty();
        }
        Map<String, Object> context = new HashMap<>();
        answer.path("context")
                .properties()
                .forEach(e -> context.put(e.getKey(), e.getValue().asText()));
        return Optional.of(context);
    }

    /** Connects {@code connectionId} for the user the token names, as API Gateway would; answers the status. */
    int connect(String connectionId, String token) {
        return connect(connectionId, token, Instant.now());
    }

    /** Connects as {@link #connect(String, String)} would have at {@code connectedAt}. */
    int connect(String connectionId, String token, Instant connectedAt) {
        Optional<Map<String, Object>> context = authorizerContext(token);
        if (context.isEmpty()) {
            return 403;
        }
        contexts.put(connectionId, context.get());
        APIGatewayV2WebSocketEvent event = webSocketEvent(
                "connect.json", connectionId, (String) context.get().get("userId"));
        event.getRequestContext().setConnectedAt(connectedAt.toEpochMilli());
        int status = invoke("ConnectFunction", event).path("statusCode").asInt();
        if (status == 200) {
            api.open(connectionId);
        }
        return status;
    }

    /** Closes the connection and runs $disconnect; answers the status. */
    int disconnect(String connectionId) {
        api.close(connectionId);
        return invoke("DisconnectFunction", webSocketEvent("disconnect.json", connectionId, null))
                .path("statusCode")
                .asInt();
    }

    /** Sends a client frame from a connection of {@code user}; answers the status. */
    int frame(String connectionId, String user, String body) {
        APIGatewayV2WebSocketEvent event = webSocketEvent("message.json", connectionId, user);
        event.setBody(body);
        return invoke("MessageFunction", event).path("statusCode").asInt();
    }

    /** POST /notify with this body; answers the HTTP response as JSON (statusCode, body parsed). */
    JsonNode notify(String body) {
        APIGatewayV2HTTPEvent event = sample("notify.json", APIGatewayV2HTTPEvent.class);
        event.setBody(body);
        JsonNode response = invoke("NotifyFunction", event);
        ObjectNode answer =
                Json.object().put("statusCode", response.path("statusCode").asInt());
        answer.set("body", Json.parse(response.path("body").asText()));
        return answer;
    }

    /**
     * A WebSocket sample for this connection, connected now, with the authorizer context its connect got (or, for a
     * connection this harness did not open, {@code user} with no roles).
     */
    private APIGatewayV2WebSocketEvent webSocketEvent(String file, String connectionId, String user) {
        APIGatewayV2WebSocketEvent event = sample(file, APIGatewayV2WebSocketEvent.class);
        event.getRequestContext().setConnectionId(connectionId);
        event.getRequestContext().setConnectedAt(System.currentTimeMillis());
        if (user != null) {
            Map<String, Object> authorizer = new HashMap<>(contexts.getOrDefault(connectionId, Map.of()));
            authorizer.putIfAbsent("userId", user);
            authorizer.putIfAbsent("principalId", user);
            authorizer.put("integrationLatency", 41);
            event.getRequestContext().setAuthorizer(authorizer);
        }
        return event;
    }

    @Override
    public void close() {
        api.close();
    }
}
