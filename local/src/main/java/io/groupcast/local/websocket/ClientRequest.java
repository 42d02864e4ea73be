package io.groupcast.local.websocket;

import java.util.List;
import java.util.Map;

/** What API Gateway knows of a WebSocket upgrade request: headers, query, the client's address and agent. */
record ClientRequest(
        Map<String, List<String>> headers, Map<String, List<String>> query, String sourceIp, String userAgent) {
    ClientRequest {
        headers = Map.copyOf(headers);
        query = Map.copyOf(query);
    }

    /** The first value of a header, matched without regard to case, or null. */
    String header(String name) {
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            if (header.getKey().equalsIgnoreCase(name) && !header.getValue().isEmpty()) {
                return header.getValue().get(0);
            }
        }
        return null;
    }

    /** The first value of a query parameter, or null. */
    String queryParameter(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
