package io.groupcast.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.groupcast.core.AwsClients;
import io.groupcast.core.Budget;
import io.groupcast.core.Environment;
import io.groupcast.core.Json;
import io.groupcast.core.MembershipStore;
import io.groupcast.core.Notifier;
import io.groupcast.core.NotifyRequest;
import io.groupcast.core.NotifyResult;
import io.groupcast.core.RequestException;
import io.groupcast.core.StoreUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/** {@code POST /notify}: sends a message to every live connection of a user or group and answers the counts. */
public final class NotifyHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final Notifier notifier;

    /** Wires store, fan-out and management API from the process environment (Lambda). */
    public NotifyHandler() {
        this(System.getenv());
        Priming.register("notify", this::prime);
    }

    /** Wires store, fan-out and management API from the given environment (local gateway). */
    public NotifyHandler(Map<String, String> env) {
        this(notifier(AwsClients.from(Log.configured(env))));
    }

    NotifyHandler(Notifier notifier) {
        this.notifier = Objects.requireNonNull(notifier, "notifier");
    }

    private static Notifier notifier(AwsClients clients) {
        MembershipStore store = clients.membershipStore();
        return new Notifier(store, clients.fanout(store), Clock.systemUTC());
    }

    /** A whole notify of a group no one joins (parse, Query, answer) and a signed post that is never sent. */
    void prime() {
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setBody("{\"group\":\"" + Priming.GROUP.value() + "\",\"message\":{\"priming\":true}}");
        handleRequest(event, null);
        notifier.prime(Priming.GROUP);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        try {
            NotifyRequest request = NotifyRequest.parse(body(event));
            NotifyResult result = notifier.notify(request,
                    context == null ? Budget.unlimited() : Budget.of(context::getRemainingTimeInMillis));
            Map<String, Object> fields = new java.util.LinkedHashMap<>();
            fields.put("route", "POST /notify");
            fields.put("target", request.target());
            fields.put("outcome", result.failed() + result.skipped() == 0 ? "delivered" : "incomplete");
            fields.put("recipients", result.recipients());
            fields.put("delivered", result.delivered());
            fields.put("gone", result.gone());
            fields.put("failed", result.failed());
            fields.put("skipped", result.skipped());
            fields.put("elapsedMs", result.elapsedMs());
            if (result.failed() + result.skipped() > 0) {
                Log.warn(context, "notified, some recipients not reached", fields);
            } else {
                Log.info(context, "notified", fields);
            }
            Metrics.emit(context, Map.of(
                    Metrics.NOTIFY_REQUESTS, 1,
                    Metrics.RECIPIENTS, result.recipients(),
                    Metrics.DELIVERED, result.delivered(),
                    Metrics.GONE, result.gone(),
                    Metrics.FAILED, result.failed(),
                    Metrics.SKIPPED, result.skipped()), Map.of(Metrics.FANOUT_DURATION, result.elapsedMs()));
            return Responses.http(200, Json.mapper().valueToTree(result));
        } catch (RequestException e) {
            Log.info(context, "notify refused", Map.of("route", "POST /notify", "error", e.code(), "status", e.status()));
            Metrics.count(context, Map.of(Metrics.NOTIFY_REFUSED, 1));
            return Responses.httpError(e.status(), e.code(), e.getMessage());
        } catch (StoreUnavailableException e) {
            Log.error(context, "notify failed: store unavailable", e, Map.of("route", "POST /notify"));
            Metrics.count(context, Map.of(Metrics.STORE_ERRORS, 1));
            return Responses.httpError(503, "store_unavailable", "the membership store is unavailable; try again");
        } catch (RuntimeException e) {
            Log.error(context, "notify failed", e, Map.of());
            return Responses.httpError(500, "internal_error", "notify failed unexpectedly; see the function's logs");
        }
    }

    private static String body(APIGatewayV2HTTPEvent event) {
        if (event == null || event.getBody() == null) {
            return null;
        }
        if (event.getIsBase64Encoded()) {
            try {
                return new String(Base64.getDecoder().decode(event.getBody()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw RequestException.badRequest("malformed_json", "the body is not valid base64-encoded JSON");
            }
        }
        return event.getBody();
    }
}
