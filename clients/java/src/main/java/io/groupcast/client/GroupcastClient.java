package io.groupcast.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongConsumer;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * Groupcast's server API from any Java server, with the methods of Azure Web PubSub's {@code WebPubSubServiceClient}:
 * send to users, groups and connections, manage group membership, presence, closing and permissions. Every request is
 * signed with the AWS SDK's SigV4 signer (service {@code execute-api}); 429 and 5xx answers are retried with backoff;
 * every refusal is a {@link GroupcastException} carrying Groupcast's error code.
 *
 * <pre>{@code
 * GroupcastClient groupcast = GroupcastClient.builder()
 *         .endpoint(URI.create("https://abc123.execute-api.us-east-1.amazonaws.com")) // the stack's ServerApiUrl
 *         .region(Region.US_EAST_1)
 *         .build();
 * SendResult sent = groupcast.sendToUser("kevin", "{\"text\":\"hello\"}");
 * }</pre>
 *
 * <p>Thread-safe; build one per endpoint and close it when done.
 */
public final class GroupcastClient implements AutoCloseable {
    private static final String SERVICE = "execute-api";

    private final URI endpoint;
    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final SdkHttpClient http;
    private final boolean ownsHttp;
    private final ObjectMapper json;
    private final int maxRetries;
    private final Duration baseDelay;
    private final LongConsumer sleeper;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    private GroupcastClient(Builder builder) {
        this.endpoint = Objects.requireNonNull(builder.endpoint, "endpoint (the stack's ServerApiUrl)");
        this.region = Objects.requireNonNull(builder.region, "region");
        this.credentials = builder.credentials != null
                ? builder.credentials
                : DefaultCredentialsProvider.builder().build();
        this.ownsHttp = builder.http == null;
        this.http = ownsHttp ? UrlConnectionHttpClient.create() : builder.http;
        this.json = new ObjectMapper();
        this.maxRetries = builder.maxRetries;
        this.baseDelay = builder.baseDelay;
        this.sleeper = GroupcastClient::sleep;
    }

    /** A builder: {@code endpoint} and {@code region} are required. */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- sending

    /** Sends a message (JSON text) to every live connection of a user. */
    public SendResult sendToUser(String userId, String json) {
        return send(target("user", userId), parse(json), List.of());
    }

    /** Sends a message (any object, serialized with Jackson) to every live connection of a user. */
    public SendResult sendToUser(String userId, Object message) {
        return send(target("user", userId), tree(message), List.of());
    }

    /** Sends a message (JSON text) to every live connection of these users (1 to 100), each connection once. */
    public SendResult sendToUsers(Collection<String> userIds, String json) {
        return send(targets("users", userIds), parse(json), List.of());
    }

    /** Sends a message (any object) to every live connection of these users, each connection once. */
    public SendResult sendToUsers(Collection<String> userIds, Object message) {
        return send(targets("users", userIds), tree(message), List.of());
    }

    /** Sends a message (JSON text) to every live connection in a group. */
    public SendResult sendToGroup(String group, String json) {
        return sendToGroup(group, json, List.of());
    }

    /** Sends a message (JSON text) to a group, except some connections (the sender's own, say). */
    public SendResult sendToGroup(String group, String json, Collection<String> excludedConnectionIds) {
        return send(target("group", group), parse(json), excludedConnectionIds);
    }

    /** Sends a message (any object) to every live connection in a group. */
    public SendResult sendToGroup(String group, Object message) {
        return send(target("group", group), tree(message), List.of());
    }

    /** Sends a message (JSON text) to every live connection in these groups (1 to 100), each connection once. */
    public SendResult sendToGroups(Collection<String> groups, String json) {
        return send(targets("groups", groups), parse(json), List.of());
    }

    /** Sends a message (any object) to every live connection in these groups, each connection once. */
    public SendResult sendToGroups(Collection<String> groups, Object message) {
        return send(targets("groups", groups), tree(message), List.of());
    }

    /** Sends a message (JSON text) to one connection. */
    public SendResult sendToConnection(String connectionId, String json) {
        return send(target("connectionId", connectionId), parse(json), List.of());
    }

    /** Sends a message (any object) to one connection. */
    public SendResult sendToConnection(String connectionId, Object message) {
        return send(target("connectionId", connectionId), tree(message), List.of());
    }

    /** Sends a message (JSON text) to every live connection (Web PubSub's {@code sendToAll}). */
    public SendResult sendToAll(String json) {
        return send(all(), parse(json), List.of());
    }

    /** Sends a message (any object) to every live connection. */
    public SendResult sendToAll(Object message) {
        return send(all(), tree(message), List.of());
    }

    /**
     * Starts a send to every live connection through the fan-out workers and answers at once with its notification
     * id; follow it with {@link #notificationStatus}. For audiences too large for one call.
     */
    public String startSendToAll(String json) {
        return start(all(), parse(json));
    }

    /** Starts a send to a group through the fan-out workers; answers its notification id at once. */
    public String startSendToGroup(String group, String json) {
        return start(target("group", group), parse(json));
    }

    /** The progress of a send the workers deliver (a {@code NOT_FOUND} exception after its one-day lifetime). */
    public NotificationStatus notificationStatus(String notificationId) {
        JsonNode answer = call("GET", "/notifications/" + segment(notificationId), Map.of(), null);
        return new NotificationStatus(
                answer.path("notificationId").asText(),
                answer.path("status").asText(),
                answer.path("recipients").asLong(),
                answer.path("delivered").asLong(),
                answer.path("gone").asLong(),
                answer.path("failed").asLong(),
                answer.path("skipped").asLong(),
                answer.path("slices").path("deadLettered").asInt());
    }

    // ---------------------------------------------------------------- groups

    /** Adds a live connection to a group for the rest of its life (a {@code NOT_FOUND} {@link GroupcastException} if none). */
    public void addConnectionToGroup(String group, String connectionId) {
        call("PUT", "/groups/" + segment(group) + "/connections/" + segment(connectionId), Map.of(), null);
    }

    /** Removes a connection from a group (a no-op when it is not a member). */
    public void removeConnectionFromGroup(String group, String connectionId) {
        call("DELETE", "/groups/" + segment(group) + "/connections/" + segment(connectionId), Map.of(), null);
    }

    /** Links a user to a group for 30 days: its connections now and to come are members. Answers when it ends. */
    public Instant addUserToGroup(String group, String userId) {
        return addUser(group, userId, null);
    }

    /** Links a user to a group for {@code ttl} (1 second to 365 days). Answers when the link ends. */
    public Instant addUserToGroup(String group, String userId, Duration ttl) {
        return addUser(group, userId, Objects.requireNonNull(ttl, "ttl"));
    }

    /** Unlinks a user from a group and removes its connections from it. */
    public void removeUserFromGroup(String group, String userId) {
        call("DELETE", "/groups/" + segment(group) + "/users/" + segment(userId), Map.of(), null);
    }

    /** Unlinks a user from every group and removes its connections from all but its own; answers how many. */
    public int removeUserFromAllGroups(String userId) {
        return call("DELETE", "/users/" + segment(userId) + "/groups", Map.of(), null)
                .path("groupsLeft")
                .asInt();
    }

    // ---------------------------------------------------------------- presence

    /** Whether the user has an open connection (checked with API Gateway, not only the table). */
    public boolean userExists(String userId) {
        return call("GET", "/users/" + segment(userId), Map.of(), null)
                .path("online")
                .asBoolean();
    }

    /** Whether the group has a connection, by the table's count (cheap; see {@link #groupConnectionCount}). */
    public boolean groupExists(String group) {
        return groupConnectionCount(group, false) > 0;
    }

    /** How many connections a group has: the table's count, or with {@code verify} each checked (1,000 at most). */
    public long groupConnectionCount(String group, boolean verify) {
        return call("GET", "/groups/" + segment(group), verify ? Map.of("verify", "true") : Map.of(), null)
                .path("connections")
                .asLong();
    }

    /** Every live connection id of a user, reading every page. */
    public List<String> listUserConnections(String userId) {
        return list("/users/" + segment(userId) + "/connections");
    }

    /** Every live connection id in a group, reading every page. */
    public List<String> listGroupConnections(String group) {
        return list("/groups/" + segment(group) + "/connections");
    }

    // ---------------------------------------------------------------- closing

    /** Closes one connection. */
    public CloseResult closeConnection(String connectionId) {
        return closed(call("DELETE", "/connections/" + segment(connectionId), Map.of(), null));
    }

    /** Closes every connection of a user. */
    public CloseResult closeUserConnections(String userId) {
        return closed(call("DELETE", "/users/" + segment(userId) + "/connections", Map.of(), null));
    }

    /** Closes every connection in a group. */
    public CloseResult closeGroupConnections(String group) {
        return closed(call("DELETE", "/groups/" + segment(group) + "/connections", Map.of(), null));
    }

    // ---------------------------------------------------------------- permissions

    /** Grants a live connection a permission on every group (not reserved) for the rest of its life. */
    public void grantPermission(String connectionId, Permission permission) {
        permission("PUT", connectionId, permission, null);
    }

    /** Grants a live connection a permission on one group, or on {@code prefix*} groups. */
    public void grantPermission(String connectionId, Permission permission, String targetGroup) {
        permission("PUT", connectionId, permission, Objects.requireNonNull(targetGroup, "targetGroup"));
    }

    /** Takes back a permission the server granted on every group (the token's roles stay). */
    public void revokePermission(String connectionId, Permission permission) {
        permission("DELETE", connectionId, permission, null);
    }

    /** Takes back a permission the server granted on a group. */
    public void revokePermission(String connectionId, Permission permission, String targetGroup) {
        permission("DELETE", connectionId, permission, Objects.requireNonNull(targetGroup, "targetGroup"));
    }

    /** Whether a live connection has the permission on every group (roles, public groups or grants). */
    public boolean checkPermission(String connectionId, Permission permission) {
        return permission("GET", connectionId, permission, null);
    }

    /** Whether a live connection has the permission on a group. */
    public boolean checkPermission(String connectionId, Permission permission, String targetGroup) {
        return permission("GET", connectionId, permission, Objects.requireNonNull(targetGroup, "targetGroup"));
    }

    @Override
    public void close() {
        if (ownsHttp) {
            http.close();
        }
    }

    // ---------------------------------------------------------------- internals

    private SendResult send(ObjectNode body, JsonNode message, Collection<String> excluded) {
        body.set("message", message);
        if (!excluded.isEmpty()) {
            ArrayNode except = body.putArray("exceptConnectionIds");
            excluded.forEach(except::add);
        }
        JsonNode answer = call("POST", "/notify", Map.of(), body);
        JsonNode notification = answer.path("notificationId");
        return new SendResult(
                answer.path("recipients").asInt(),
                answer.path("delivered").asInt(),
                answer.path("gone").asInt(),
                answer.path("failed").asInt(),
                answer.path("skipped").asInt(),
                answer.path("elapsedMs").asLong(),
                notification.isTextual() ? Optional.of(notification.asText()) : Optional.empty());
    }

    private String start(ObjectNode body, JsonNode message) {
        body.set("message", message);
        body.put("async", true);
        return call("POST", "/notify", Map.of(), body).path("notificationId").asText();
    }

    private ObjectNode all() {
        return json.createObjectNode().put("all", true);
    }

    private Instant addUser(String group, String userId, Duration ttl) {
        ObjectNode body = json.createObjectNode();
        if (ttl != null) {
            body.put("ttlSeconds", ttl.toSeconds());
        }
        return Instant.ofEpochSecond(
                call("PUT", "/groups/" + segment(group) + "/users/" + segment(userId), Map.of(), body)
                        .path("expiresAt")
                        .asLong());
    }

    private boolean permission(String method, String connectionId, Permission permission, String group) {
        Map<String, String> query = group == null ? Map.of() : Map.of("group", group);
        return call(method, "/connections/" + segment(connectionId) + "/permissions/" + permission.wire(), query, null)
                .path("granted")
                .asBoolean();
    }

    private List<String> list(String path) {
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

    private static CloseResult closed(JsonNode answer) {
        return new CloseResult(
                answer.path("closed").asInt(),
                answer.path("gone").asInt(),
                answer.path("failed").asInt(),
                answer.path("skipped").asInt());
    }

    private ObjectNode target(String field, String value) {
        ObjectNode body = json.createObjectNode();
        body.put(field, Objects.requireNonNull(value, field));
        return body;
    }

    private ObjectNode targets(String field, Collection<String> values) {
        ObjectNode body = json.createObjectNode();
        ArrayNode list = body.putArray(field);
        values.forEach(list::add);
        return body;
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(Objects.requireNonNull(text, "json"));
        } catch (JsonProcessingException e) {
            throw new GroupcastException(
                    "malformed_json", 400, "the message is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private JsonNode tree(Object message) {
        try {
            return json.valueToTree(message);
        } catch (IllegalArgumentException e) {
            throw new GroupcastException(
                    "malformed_json", 400, "the message cannot be serialized as JSON: " + e.getMessage(), e);
        }
    }

    private static String segment(String value) {
        return URLEncoder.encode(Objects.requireNonNull(value, "path parameter"), StandardCharsets.UTF_8)
                .replace("+", "%20");
    }

    /**
     * One signed request, retried on 429, 5xx and I/O errors (full jitter, doubling from the base delay); answers the
     * body of a 2xx, throws a {@link GroupcastException} for anything else.
     */
    private JsonNode call(String method, String path, Map<String, String> query, JsonNode body) {
        byte[] payload = body == null ? new byte[0] : write(body);
        for (int attempt = 0; ; attempt++) {
            GroupcastException failure;
            try {
                Answer answer = execute(method, path, query, payload);
                if (answer.status() / 100 == 2) {
                    return answer.body().isEmpty() ? json.createObjectNode() : json.readTree(answer.body());
                }
                failure = refusal(answer);
            } catch (IOException | UncheckedIOException e) {
                failure = new GroupcastException(
                        "unreachable", 0, "the server API at " + endpoint + " did not answer: " + e.getMessage(), e);
            }
            boolean retryable = failure.status() == 0 || failure.status() == 429 || failure.status() >= 500;
            if (!retryable || attempt >= maxRetries) {
                throw failure;
            }
            long cap = baseDelay.toMillis() << Math.min(attempt, 10);
            sleeper.accept(ThreadLocalRandom.current().nextLong(cap + 1));
        }
    }

    private record Answer(int status, String body) {}

    private Answer execute(String method, String path, Map<String, String> query, byte[] payload) throws IOException {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.fromValue(method))
                .uri(endpoint)
                .encodedPath(endpoint.getRawPath().replaceAll("/$", "") + path);
        if (payload.length > 0) {
            request.putHeader("Content-Type", "application/json");
        }
        query.forEach(request::putRawQueryParameter);
        SignedRequest signed = signer.sign(r -> r.identity(credentials.resolveCredentials())
                .request(request.build())
                .payload(ContentStreamProvider.fromByteArray(payload))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SERVICE)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region.id()));
        // No body, no content stream: Java's HttpURLConnection would turn a GET with one into a POST.
        HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder()
                        .request(signed.request())
                        .contentStreamProvider(
                                payload.length == 0 ? null : signed.payload().orElse(null))
                        .build())
                .call();
        String text = "";
        if (response.responseBody().isPresent()) {
            try (InputStream in = response.responseBody().get()) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        return new Answer(response.httpResponse().statusCode(), text);
    }

    /** Groupcast's {@code {"error","message"}}, or API Gateway's own {@code {"message"}}, as an exception. */
    private GroupcastException refusal(Answer answer) {
        String code;
        String message;
        try {
            JsonNode body = json.readTree(answer.body());
            code = body.path("error").asText("");
            message = body.path("message").asText(answer.body());
        } catch (IOException e) {
            code = "";
            message = answer.body();
        }
        if (code.isEmpty()) {
            code = switch (answer.status()) {
                case 401, 403 -> "forbidden";
                case 404 -> "not_found";
                case 413 -> "message_too_large";
                case 429 -> "throttled";
                default -> answer.status() >= 500 ? "service_unavailable" : "bad_request";
            };
        }
        return new GroupcastException(code, answer.status(), answer.status() + " " + code + ": " + message, null);
    }

    private byte[] write(JsonNode body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new GroupcastException("malformed_json", 400, e.getOriginalMessage(), e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GroupcastException("interrupted", 0, "interrupted while retrying", e);
        }
    }

    /** Builds a {@link GroupcastClient}. */
    public static final class Builder {
        private URI endpoint;
        private Region region;
        private AwsCredentialsProvider credentials;
        private SdkHttpClient http;
        private int maxRetries = 3;
        private Duration baseDelay = Duration.ofMillis(100);

        private Builder() {}

        /** The stack's {@code ServerApiUrl} output (locally {@code http://localhost:3000}). */
        public Builder endpoint(URI endpoint) {
            if (!"https".equals(endpoint.getScheme()) && !"http".equals(endpoint.getScheme())) {
                throw new IllegalArgumentException("the endpoint must be an http(s) URL, not " + endpoint);
            }
            this.endpoint = endpoint;
            return this;
        }

        /** The stack's region, which requests are signed for. */
        public Builder region(Region region) {
            this.region = Objects.requireNonNull(region, "region");
            return this;
        }

        /** Retries of a 429, 5xx or unanswered request, 0 to 10; default 3. */
        public Builder maxRetries(int maxRetries) {
            if (maxRetries < 0 || maxRetries > 10) {
                throw new IllegalArgumentException("maxRetries must be 0 to 10, was " + maxRetries);
            }
            this.maxRetries = maxRetries;
            return this;
        }

        /** The credentials to sign with; the AWS SDK's default chain when not given. */
        public Builder credentialsProvider(AwsCredentialsProvider credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /** The first retry waits up to this long (full jitter), each next one up to twice as long; default 100 ms. */
        public Builder retryBaseDelay(Duration baseDelay) {
            if (baseDelay.isNegative()) {
                throw new IllegalArgumentException("the retry delay cannot be negative, was " + baseDelay);
            }
            this.baseDelay = baseDelay;
            return this;
        }

        /** An SDK HTTP client to send with (closed by its owner); a URL-connection client of its own by default. */
        public Builder httpClient(SdkHttpClient http) {
            this.http = Objects.requireNonNull(http, "http");
            return this;
        }

        public GroupcastClient build() {
            return new GroupcastClient(this);
        }
    }
}
