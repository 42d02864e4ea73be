package io.groupcast.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.core.Json;
import io.groupcast.core.testing.Dynalite;
import io.groupcast.core.testing.LoopbackManagementApi;
import io.groupcast.core.testing.ProjectRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The template's functions loaded in-process against dynalite and a loopback management API, with events made from
 * the files in {@code events/}: the whole back end without the WebSocket front.
 */
final class HandlerHarness implements AutoCloseable {
    final Dynalite dynalite;
    final LoopbackManagementApi api = LoopbackManagementApi.start();
    final SamTemplate template = SamTemplate.read(ProjectRoot.get().resolve("template.yaml"));
    final String table;
    final LocalFunctions functions;

    HandlerHarness(Dynalite dynalite, String jwtSecret) {
        this.dynalite = dynalite;
        this.table = dynalite.createTable();
        this.functions = LocalFunctions.load(template, settings(jwtSecret));
    }

    LocalSettings settings(String jwtSecret) {
        return new LocalSettings(table, api.endpoint().toString(), Optional.of(dynalite.endpoint().toString()),
                "us-east-1", "test", "test", Map.of("JwtSecret", jwtSecret));
    }

    static ObjectNode event(String file) {
        try {
            return (ObjectNode) Json.mapper().readTree(Files.readString(ProjectRoot.get().resolve("events").resolve(file)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path eventsFolder() {
        return ProjectRoot.get().resolve("events");
    }

    JsonNode invoke(String function, JsonNode event) {
        return Json.parse(functions.get(function).invoke(event.toString()));
    }

    /** Runs the authorizer with a token; answers the user id it allowed, or null when denied. */
    String authorize(String token) {
        ObjectNode event = event("authorize.json");
        ((ObjectNode) event.get("queryStringParameters")).put("token", token);
        JsonNode answer = invoke("AuthorizeFunction", event);
        String effect = answer.path("policyDocument").path("Statement").path(0).path("Effect").asText();
        return "Allow".equals(effect) ? answer.path("context").path("userId").asText() : null;
    }

    /** Connects {@code connectionId} for the user the token names, as API Gateway would; answers the status. */
    int connect(String connectionId, String token) {
        String user = authorize(token);
        if (user == null) {
            return 403;
        }
        ObjectNode event = event("connect.json");
        ObjectNode context = (ObjectNode) event.get("requestContext");
        context.put("connectionId", connectionId).put("connectedAt", System.currentTimeMillis());
        ((ObjectNode) context.get("authorizer")).put("userId", user).put("principalId", user);
        int status = invoke("ConnectFunction", event).path("statusCode").asInt();
        if (status == 200) {
            api.open(connectionId);
        }
        return status;
    }

    /** Closes the connection and runs $disconnect; answers the status. */
    int disconnect(String connectionId) {
        api.close(connectionId);
        ObjectNode event = event("disconnect.json");
        ((ObjectNode) event.get("requestContext")).put("connectionId", connectionId);
        return invoke("DisconnectFunction", event).path("statusCode").asInt();
    }

    /** Sends a client frame from a connection of {@code user}; answers the status. */
    int frame(String connectionId, String user, String body) {
        ObjectNode event = event("message.json");
        ObjectNode context = (ObjectNode) event.get("requestContext");
        context.put("connectionId", connectionId).put("connectedAt", System.currentTimeMillis());
        ((ObjectNode) context.get("authorizer")).put("userId", user);
        event.put("body", body);
        return invoke("MessageFunction", event).path("statusCode").asInt();
    }

    /** POST /notify with this body; answers the HTTP response as JSON (statusCode, body parsed). */
    JsonNode notify(String body) {
        ObjectNode event = event("notify.json");
        event.put("body", body);
        JsonNode response = invoke("NotifyFunction", event);
        ObjectNode answer = Json.object().put("statusCode", response.path("statusCode").asInt());
        answer.set("body", Json.parse(response.path("body").asText()));
        return answer;
    }

    @Override
    public void close() {
        api.close();
    }
}
