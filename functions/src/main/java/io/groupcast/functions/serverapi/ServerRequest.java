package io.groupcast.functions.serverapi;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.groupcast.core.delivery.Budget;
import io.groupcast.core.model.ErrorCode;
import io.groupcast.core.model.RequestException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/** One server API request as API Gateway hands it over: path parameters already decoded, query, body. */
final class ServerRequest {
    private final APIGatewayV2HTTPEvent event;
    private final Context context;

    ServerRequest(APIGatewayV2HTTPEvent event, Context context) {
        this.event = event;
        this.context = context;
    }

    /** The decoded value of the route key's {@code {name}}; 400 {@code invalid_path} when API Gateway sent none. */
    String path(String name) {
        Map<String, String> parameters = event.getPathParameters();
        String value = parameters == null ? null : parameters.get(name);
        if (value == null || value.isEmpty()) {
            throw new RequestException(ErrorCode.INVALID_PATH, "the path has no {" + name + "}");
        }
        return value;
    }

    /** A query parameter. */
    Optional<String> query(String name) {
        Map<String, String> query = event.getQueryStringParameters();
        return Optional.ofNullable(query == null ? null : query.get(name));
    }

    /** The body as text (API Gateway base64-encodes bodies it does not take for text), or null without one. */
    String body() {
        if (event.getBody() == null) {
            return null;
        }
        if (event.getIsBase64Encoded()) {
            try {
                return new String(Base64.getDecoder().decode(event.getBody()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new RequestException(ErrorCode.MALFORMED_JSON, "the body is not valid base64-encoded JSON");
            }
        }
        return event.getBody();
    }

    /** The time the invocation has left: the Lambda context's, or unlimited without one. */
    Budget budget() {
        return context == null ? Budget.unlimited() : Budget.of(context::getRemainingTimeInMillis);
    }
}
