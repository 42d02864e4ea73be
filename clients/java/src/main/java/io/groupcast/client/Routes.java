package io.groupcast.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The server API's routes as calls: path parameters encoded, JSON in and out, every page of a list read. */
final class Routes {
    private final Retries retries;

    Routes(Retries retries) {
        this.retries = retries;
    }

    /** A call to its end (see {@link Retries}): a POST is repeatable only with an idempotency key. */
    JsonNode call(String method, String path, Map<String, String> query, ObjectNode body) {
        boolean repeatable = !method.equals("POST") || body != null && body.hasNonNull("idempotencyKey");
        byte[] payload = body == null ? new byte[0] : Json.bytes(body);
        return Answers.body(retries.run(new Transport.Call(method, path, query, payload, repeatable)));
    }

    /** Every connection id a paginated route lists. */
    List<String> list(String path) {
        List<String> ids = new ArrayList<>();
        Optional<String> next = Optional.empty();
        do {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("limit", "1000");
            next.ifPresent(cursor -> query.put("next", cursor));
            JsonNode page = call("GET", path, query, null);
            page.path("connections").forEach(id -> ids.add(id.asText()));
            JsonNode cursor = page.path("next");
            next = cursor.isTextual() ? Optional.of(cursor.asText()) : Optional.empty();
        } while (next.isPresent());
        return ids;
    }

    /** A path parameter, percent-encoded ({@code +} is a plus, a space {@code %20}). */
    static String segment(String value) {
        return URLEncoder.encode(Objects.requireNonNull(value, "path parameter"), StandardCharsets.UTF_8)
                .replace("+", "%20");
    }
}
