package io.groupcast.functions.serverapi;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every route of the server API, by the route key API Gateway sends ({@code METHOD /path/{parameter}}): the one list
 * that {@code template.yaml} and {@code openapi.yaml} are checked against, and that {@link ServerApi} answers with an
 * exhaustive switch (a route without an answer does not compile).
 */
public enum ServerRoute {
    NOTIFY("POST /notify"),
    NOTIFICATION_STATUS("GET /notifications/{notificationId}"),
    ADD_CONNECTION_TO_GROUP("PUT /groups/{group}/connections/{connectionId}"),
    REMOVE_CONNECTION_FROM_GROUP("DELETE /groups/{group}/connections/{connectionId}"),
    ADD_USER_TO_GROUP("PUT /groups/{group}/users/{userId}"),
    REMOVE_USER_FROM_GROUP("DELETE /groups/{group}/users/{userId}"),
    REMOVE_USER_FROM_ALL_GROUPS("DELETE /users/{userId}/groups"),
    USER_PRESENCE("GET /users/{userId}"),
    LIST_USER_CONNECTIONS("GET /users/{userId}/connections"),
    GROUP_PRESENCE("GET /groups/{group}"),
    LIST_GROUP_CONNECTIONS("GET /groups/{group}/connections"),
    CLOSE_CONNECTION("DELETE /connections/{connectionId}"),
    CLOSE_USER_CONNECTIONS("DELETE /users/{userId}/connections"),
    CLOSE_GROUP_CONNECTIONS("DELETE /groups/{group}/connections"),
    GRANT_PERMISSION("PUT /connections/{connectionId}/permissions/{permission}"),
    REVOKE_PERMISSION("DELETE /connections/{connectionId}/permissions/{permission}"),
    CHECK_PERMISSION("GET /connections/{connectionId}/permissions/{permission}");

    private final String key;

    ServerRoute(String key) {
        this.key = key;
    }

    /** The API Gateway route key, e.g. {@code PUT /groups/{group}/users/{userId}}. */
    public String key() {
        return key;
    }

    /** The route's method, e.g. {@code PUT}. */
    String method() {
        return key.substring(0, key.indexOf(' '));
    }

    /** The route's path template, e.g. {@code /groups/{group}/users/{userId}}. */
    String path() {
        return key.substring(key.indexOf(' ') + 1);
    }

    /** The route with this key. */
    static Optional<ServerRoute> of(String key) {
        return Arrays.stream(values()).filter(route -> route.key.equals(key)).findFirst();
    }
}
