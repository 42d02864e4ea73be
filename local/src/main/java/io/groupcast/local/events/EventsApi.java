package io.groupcast.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.core.model.Json;
import io.groupcast.local.apigateway.GatewayLog;
import io.groupcast.local.apigateway.HttpResponses;
import io.groupcast.local.apigateway.SigV4Verifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The part of EventBridge the functions call, {@code PutEvents} in its JSON protocol ({@code X-Amz-Target:
 * AWSEvents.PutEvents}), so the SDK's own client runs locally: each entry is logged and, with {@code --events-url},
 * POSTed there as the entry it is ({@code {"Source","DetailType","Detail","EventBusName"}}, {@code Detail} a JSON
 * string as EventBridge takes it). Every entry is accepted: a POST that fails is logged, as a rule's target failing
 * would be on AWS.
 */
public final class EventsApi extends Handler.Abstract {
    private static final int MAX_BODY = 1024 * 1024;

    private final GatewayLog log;
    private final Optional<URI> forward;
    private final Optional<SigV4Verifier> sigV4;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    /** Logs to {@code log}, POSTs to {@code forward} when given, checks {@code sigV4} when given. */
    public EventsApi(GatewayLog log, Optional<URI> forward, Optional<SigV4Verifier> sigV4) {
        this.log = log;
        this.forward = forward;
        this.sigV4 = sigV4;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        byte[] raw = HttpResponses.body(request, MAX_BODY);
        String target = request.getHeaders().get("X-Amz-Target");
        if (raw == null || !"AWSEvents.PutEvents".equals(target)) {
            error(response, callback, 400, "UnknownOperationException", "only AWSEvents.PutEvents is served locally");
            return true;
        }
        Optional<SigV4Verifier.Refusal> refusal = sigV4.flatMap(verifier -> verifier.refusal(request, raw));
        if (refusal.isPresent()) {
            error(
                    response,
                    callback,
                    refusal.get().status(),
                    refusal.get().code(),
                    refusal.get().message());
            return true;
        }
        JsonNode body = Json.parse(new String(raw, StandardCharsets.UTF_8));
        ObjectNode answer = Json.object().put("FailedEntryCount", 0);
        ArrayNode results = answer.putArray("Entries");
        for (JsonNode entry : body.path("Entries")) {
            log.info("event " + entry.path("DetailType").asText() + " "
                    + entry.path("Detail").asText());
            forward.ifPresent(url -> post(url, entry));
            results.addObject().put("EventId", UUID.randomUUID().toString());
        }
        HttpResponses.send(
                response,
                callback,
                200,
                "application/x-amz-json-1.1",
                answer.toString().getBytes(StandardCharsets.UTF_8));
        return true;
    }

    private void post(URI url, JsonNode entry) {
        ObjectNode posted = Json.object()
                .put("Source", entry.path("Source").asText())
                .put("DetailType", entry.path("DetailType").asText())
                .put("Detail", entry.path("Detail").asText())
                .put("EventBusName", entry.path("EventBusName").asText());
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(posted.toString()))
                .build();
        try {
            HttpResponse<Void> answered = http.send(request, HttpResponse.BodyHandlers.discarding());
            if (answered.statusCode() / 100 != 2) {
                log.info("--events-url " + url + " answered " + answered.statusCode());
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.info("--events-url " + url + " could not be reached: " + e);
        }
    }

    /** EventBridge's error shape in its JSON protocol. */
    private static void error(Response response, Callback callback, int status, String type, String message) {
        HttpResponses.send(
                response,
                callback,
                status,
                "application/x-amz-json-1.1",
                Json.object()
                        .put("__type", type)
                        .put("message", message)
                        .toString()
                        .getBytes(StandardCharsets.UTF_8));
    }
}
