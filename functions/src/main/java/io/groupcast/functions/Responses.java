package io.groupcast.functions;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.groupcast.core.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** API Gateway responses with JSON bodies; errors as {@code {"error":code,"message":sentence}}. */
final class Responses {
    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

    private Responses() {
    }

    static APIGatewayV2HTTPResponse http(int status, JsonNode body) {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(JSON)
                .withBody(new String(Json.bytes(body), StandardCharsets.UTF_8))
                .build();
    }

    static APIGatewayV2HTTPResponse httpError(int status, String code, String message) {
        return http(status, error(code, message));
    }

    static APIGatewayV2WebSocketResponse webSocket(int status) {
        APIGatewayV2WebSocketResponse response = new APIGatewayV2WebSocketResponse();
        response.setStatusCode(status);
        return response;
    }

    static JsonNode error(String code, String message) {
        return Json.object().put("error", code).put("message", message);
    }
}
