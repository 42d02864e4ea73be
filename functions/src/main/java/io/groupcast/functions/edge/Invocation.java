package io.groupcast.functions.edge;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.groupcast.core.delivery.Budget;
import io.groupcast.core.model.ErrorCode;
import io.groupcast.core.model.Json;
import io.groupcast.core.model.RequestException;
import io.groupcast.core.store.StoreUnavailableException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One invocation at the API Gateway edge, the one place every handler's failures are mapped: a client's mistake
 * ({@link RequestException}) to its 4xx, a malformed event to 400, a store outage to 503 (HTTP) or 500 (WebSocket)
 * with the {@code StoreErrors} metric, anything else to 500 {@code internal_error}. Every invocation logs one line
 * with its route and emits its metrics; clients never see an exception's text.
 */
public final class Invocation {
    private static final Map<String, String> JSON_HEADERS = Map.of("Content-Type", "application/json");

    private final Context context;
    private final String route;
    private Optional<String> refusedMetric = Optional.empty();
    private final Map<String, Object> known = new LinkedHashMap<>();

    private Invocation(Context context, String route) {
        this.context = context;
        this.route = route;
    }

    /** An invocation of {@code route} (a route key such as {@code POST /notify} or {@code $connect}). */
    public static Invocation of(Context context, String route) {
        return new Invocation(context, route);
    }

    /** A field every log line of this invocation carries, a failure's too (what is known before the call). */
    public Invocation with(String field, Object value) {
        known.put(field, value);
        return this;
    }

    /** Counts refused requests (a client's mistake) in {@code metric}. */
    public Invocation countingRefusals(String metric) {
        refusedMetric = Optional.of(metric);
        return this;
    }

    /**
     * An HTTP API route: errors answer {@code {"error":code,"message":sentence}} with their status; those worth
     * retrying soon (503, 409 {@code request_in_progress}) say when with {@code Retry-After}.
     */
    public APIGatewayV2HTTPResponse http(Supplier<Outcome<APIGatewayV2HTTPResponse>> call) {
        return answer(call, 503, (status, code, message) -> {
            APIGatewayV2HTTPResponse answer =
                    json(status, Json.object().put("error", code.code()).put("message", message));
            if (code == ErrorCode.REQUEST_IN_PROGRESS || code == ErrorCode.STORE_UNAVAILABLE) {
                answer.setHeaders(Map.of("Content-Type", "application/json", "Retry-After", "1"));
            }
            return answer;
        });
    }

    /** A WebSocket route: only the status reaches API Gateway (a non-2xx {@code $connect} refuses the upgrade). */
    public APIGatewayV2WebSocketResponse webSocket(Supplier<Outcome<APIGatewayV2WebSocketResponse>> call) {
        return answer(call, 500, (status, code, message) -> webSocketStatus(status));
    }

    /** Any other answer (the authorizer's policy): {@code failure} turns an error into it. */
    public <T> T answer(Supplier<Outcome<T>> call, int storeStatus, Failure<T> failure) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("route", route);
        fields.putAll(known);
        try {
            Outcome<T> outcome = call.get();
            fields.putAll(outcome.fields());
            if (outcome.warn()) {
                Log.warn(context, outcome.message(), fields);
            } else {
                Log.info(context, outcome.message(), fields);
            }
            if (!outcome.counts().isEmpty() || !outcome.millis().isEmpty()) {
                Metrics.emit(context, outcome.counts(), outcome.millis());
            }
            return outcome.answer();
        } catch (RequestException e) {
            fields.put("error", e.code().code());
            fields.put("status", e.status());
            Log.info(context, "refused", fields);
            refusedMetric.ifPresent(metric -> Metrics.count(context, Map.of(metric, 1)));
            return failure.answer(e.status(), e.code(), e.getMessage());
        } catch (MalformedEventException e) {
            Log.error(context, "malformed event: API Gateway always sends this field", e, fields);
            return failure.answer(400, ErrorCode.MALFORMED_EVENT, "the event is malformed");
        } catch (StoreUnavailableException e) {
            Log.error(context, "store unavailable", e, fields);
            Metrics.count(context, Map.of(Metrics.STORE_ERRORS, 1));
            return failure.answer(storeStatus, ErrorCode.STORE_UNAVAILABLE, StoreUnavailableException.ANSWER);
        } catch (RuntimeException e) {
            Log.error(context, "failed unexpectedly", e, fields);
            return failure.answer(
                    500, ErrorCode.INTERNAL_ERROR, "the request failed unexpectedly; see the function's logs");
        }
    }

    /** Turns an error into the answer of one kind of route. */
    @FunctionalInterface
    public interface Failure<T> {
        T answer(int status, ErrorCode code, String message);
    }

    /** The time an invocation has left: the Lambda context's, or unlimited without one. */
    public static Budget budget(Context context) {
        return context == null ? Budget.unlimited() : Budget.of(context::getRemainingTimeInMillis);
    }

    /** An HTTP answer with a JSON body. */
    public static APIGatewayV2HTTPResponse json(int status, JsonNode body) {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(JSON_HEADERS)
                .withBody(new String(Json.bytes(body), StandardCharsets.UTF_8))
                .build();
    }

    /** A WebSocket route's answer: only a status. */
    public static APIGatewayV2WebSocketResponse webSocketStatus(int status) {
        APIGatewayV2WebSocketResponse response = new APIGatewayV2WebSocketResponse();
        response.setStatusCode(status);
        return response;
    }
}
