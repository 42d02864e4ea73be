package io.groupcast.local.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import io.groupcast.core.model.Json;
import io.groupcast.core.model.RequestException;
import java.util.Set;

/** Evaluates a route selection expression like {@code $request.body.action} as API Gateway does. */
final class RouteSelection {
    private static final String BODY = "$request.body.";

    private final String[] path;
    private final Set<String> routeKeys;

    RouteSelection(String expression, Set<String> routeKeys) {
        if (!expression.startsWith(BODY)) {
            throw new IllegalArgumentException("only $request.body.* route selection is supported, not " + expression);
        }
        this.path = expression.substring(BODY.length()).split("\\.");
        this.routeKeys = Set.copyOf(routeKeys);
    }

    /** The route key for a frame: the selected value when a route has that key, else {@code $default} (or null). */
    String select(String body) {
        String selected = null;
        if (body != null) {
            try {
                JsonNode node = Json.parse(body);
                for (String field : path) {
                    node = node.path(field);
                }
                selected = node.isValueNode() && !node.isNull() ? node.asText() : null;
            } catch (RequestException notJson) {
                selected = null;
            }
        }
        if (selected != null && routeKeys.contains(selected) && !selected.startsWith("$")) {
            return selected;
        }
        return routeKeys.contains("$default") ? "$default" : null;
    }
}
