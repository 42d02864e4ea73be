package io.groupcast.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.core.AwsClients;
import io.groupcast.core.ConnectionId;
import io.groupcast.core.Connections;
import io.groupcast.core.Environment;
import io.groupcast.core.FanoutSettings;
import io.groupcast.core.GroupName;
import io.groupcast.core.Groups;
import io.groupcast.core.Json;
import io.groupcast.core.MembershipStore;
import io.groupcast.core.Notifier;
import io.groupcast.core.RequestException;
import io.groupcast.core.StoreUnavailableException;
import io.groupcast.core.UserId;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The server API on the HTTP API (every route {@code AWS_IAM}), routed by method and path: {@code POST /notify}
 * (through {@link NotifyHandler}), group membership of connections and users, presence, and closing connections.
 * {@code openapi.yaml} describes every route; a test checks it against {@code template.yaml} and this table.
 */
public final class ServerApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    /** Every route this handler serves, as API Gateway route keys. */
    public static final List<String> ROUTES = List.of(
            "POST /notify",
            "PUT /groups/{group}/connections/{connectionId}",
            "DELETE /groups/{group}/connections/{connectionId}",
            "PUT /groups/{group}/users/{userId}",
            "DELETE /groups/{group}/users/{userId}",
            "DELETE /users/{userId}/groups",
            "GET /users/{userId}",
            "GET /users/{userId}/connections",
            "GET /groups/{group}",
            "GET /groups/{group}/connections",
            "DELETE /connections/{connectionId}",
            "DELETE /users/{userId}/connections",
            "DELETE /groups/{group}/connections");

    private final NotifyHandler notify;
    private final Groups groups;

    /** Wires everything from the process environment (Lambda). */
    public ServerApiHandler() {
        this(System.getenv());
        Priming.register("server-api", notify::prime);
    }

    /** Wires everything from the given environment (local gateway). */
    public ServerApiHandler(Map<String, String> env) {
        this(wiring(Log.configured(env)));
    }

    private ServerApiHandler(Object[] wiring) {
        this((NotifyHandler) wiring[0], (Groups) wiring[1]);
    }

    ServerApiHandler(NotifyHandler notify, Groups groups) {
        this.notify = Objects.requireNonNull(notify, "notify");
        this.groups = Objects.requireNonNull(groups, "groups");
    }

    /** One store and one management API client shared by notify and the other routes. */
    private static Object[] wiring(Environment env) {
        AwsClients clients = AwsClients.from(env);
        MembershipStore store = clients.membershipStore();
        Connections connections = clients.connections(FanoutSettings.from(env).maxInFlight());
        return new Object[] {
                new NotifyHandler(new Notifier(store, clients.fanout(store, connections), Clock.systemUTC())),
                new Groups(store, connections, Clock.systemUTC())};
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        String method = event == null || event.getRequestContext() == null || event.getRequestContext().getHttp() == null
                ? "" : String.valueOf(event.getRequestContext().getHttp().getMethod());
        String path = event == null || event.getRawPath() == null ? "" : event.getRawPath();
        if (method.equals("POST") && path.equals("/notify")) {
            return notify.handleRequest(event, context);
        }
        String route = method + " " + path;
        try {
            ObjectNode answer = route(method, segments(path), event);
            Log.info(context, "server api", Map.of("route", route, "outcome", 200));
            Metrics.count(context, Map.of(Metrics.SERVER_API_REQUESTS, 1));
            return Responses.http(200, answer);
        } catch (RequestException e) {
            Log.info(context, "server api refused", Map.of("route", route, "error", e.code(), "status", e.status()));
            return Responses.httpError(e.status(), e.code(), e.getMessage());
        } catch (StoreUnavailableException e) {
            Log.error(context, "server api failed: store unavailable", e, Map.of("route", route));
            Metrics.count(context, Map.of(Metrics.STORE_ERRORS, 1));
            return Responses.httpError(503, "store_unavailable", "the membership store is unavailable; try again");
        } catch (RuntimeException e) {
            Log.error(context, "server api failed", e, Map.of("route", route));
            return Responses.httpError(500, "internal_error", "the request failed unexpectedly; see the function's logs");
        }
    }

    private ObjectNode route(String method, List<String> s, APIGatewayV2HTTPEvent event) {
        int n = s.size();
        if (n == 4 && s.get(0).equals("groups") && s.get(2).equals("connections")) {
            GroupName group = GroupName.of(s.get(1));
            ConnectionId connection = ConnectionId.of(s.get(3));
            if (method.equals("PUT")) {
                groups.addConnection(group, connection);
                return result(group).put("connectionId", connection.value()).put("member", true);
            }
            if (method.equals("DELETE")) {
                groups.removeConnection(group, connection);
                return result(group).put("connectionId", connection.value()).put("member", false);
            }
        }
        if (n == 4 && s.get(0).equals("groups") && s.get(2).equals("users")) {
            GroupName group = GroupName.of(s.get(1));
            UserId user = UserId.of(s.get(3));
            if (method.equals("PUT")) {
                Instant until = groups.addUser(group, user, ttl(event));
                return result(group).put("userId", user.value()).put("member", true)
                        .put("expiresAt", until.getEpochSecond());
            }
            if (method.equals("DELETE")) {
                groups.removeUser(group, user);
                return result(group).put("userId", user.value()).put("member", false);
            }
        }
        if (n == 3 && s.get(0).equals("users") && s.get(2).equals("groups") && method.equals("DELETE")) {
            UserId user = UserId.of(s.get(1));
            return Json.object().put("userId", user.value()).put("groupsLeft", groups.removeUserFromAll(user));
        }
        if (n == 2 && s.get(0).equals("users") && method.equals("GET")) {
            UserId user = UserId.of(s.get(1));
            long count = groups.count(GroupName.ofUser(user));
            return Json.object().put("userId", user.value()).put("online", count > 0).put("connections", count);
        }
        if (n == 2 && s.get(0).equals("groups") && method.equals("GET")) {
            GroupName group = GroupName.of(s.get(1));
            return result(group).put("connections", groups.count(group));
        }
        if (n == 3 && s.get(2).equals("connections") && (s.get(0).equals("users") || s.get(0).equals("groups"))) {
            GroupName group = s.get(0).equals("users") ? GroupName.ofUser(UserId.of(s.get(1))) : GroupName.of(s.get(1));
            if (method.equals("GET")) {
                return page(group, event);
            }
            if (method.equals("DELETE")) {
                return closed(groups.closeGroup(group));
            }
        }
        if (n == 2 && s.get(0).equals("connections") && method.equals("DELETE")) {
            return closed(groups.close(ConnectionId.of(s.get(1))));
        }
        throw new RequestException(404, "not_found", "no route " + method + " " + io.groupcast.core.Names.describe("/" + String.join("/", s))
                + "; see openapi.yaml for the server API");
    }

    private ObjectNode page(GroupName group, APIGatewayV2HTTPEvent event) {
        Map<String, String> query = event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters();
        int limit;
        try {
            limit = Integer.parseInt(query.getOrDefault("limit", "100"));
        } catch (NumberFormatException e) {
            throw RequestException.badRequest("invalid_limit", "\"limit\" must be a whole number 1 to " + Groups.MAX_PAGE);
        }
        MembershipStore.Page page = groups.list(group, limit, Optional.ofNullable(query.get("next")));
        ObjectNode answer = Json.object().put("group", group.value());
        page.connections().forEach(id -> answer.withArray("connections").add(id.value()));
        if (page.connections().isEmpty()) {
            answer.putArray("connections");
        }
        page.next().ifPresentOrElse(next -> answer.put("next", next), () -> answer.putNull("next"));
        return answer;
    }

    private static Optional<Duration> ttl(APIGatewayV2HTTPEvent event) {
        String body = event.getBody();
        if (body == null || body.isBlank()) {
            return Optional.empty();
        }
        if (event.getIsBase64Encoded()) {
            try {
                body = new String(java.util.Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw RequestException.badRequest("malformed_json", "the body is not valid base64");
            }
        }
        JsonNode root = Json.parse(body);
        if (!root.isObject()) {
            throw RequestException.badRequest("invalid_body", "the body must be a JSON object like {\"ttlSeconds\":3600}");
        }
        List<String> unknown = new ArrayList<>();
        root.fieldNames().forEachRemaining(name -> {
            if (!name.equals("ttlSeconds")) {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            throw RequestException.badRequest("unknown_field", "unknown field(s) " + unknown + "; allowed is ttlSeconds");
        }
        JsonNode ttl = root.get("ttlSeconds");
        if (ttl == null || ttl.isNull()) {
            return Optional.empty();
        }
        if (!ttl.canConvertToLong() || !ttl.isIntegralNumber()) {
            throw RequestException.badRequest("invalid_ttl", "\"ttlSeconds\" must be a whole number of seconds");
        }
        return Optional.of(Duration.ofSeconds(ttl.longValue()));
    }

    private static ObjectNode closed(Groups.Closed closed) {
        return Json.object().put("closed", closed.closed()).put("gone", closed.gone()).put("failed", closed.failed());
    }

    private static ObjectNode result(GroupName group) {
        return Json.object().put("group", group.value());
    }

    /** The path's segments, percent-decoded ({@code +} stays a plus: group names may contain it). */
    static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String segment : rawPath.split("/")) {
            if (!segment.isEmpty()) {
                try {
                    segments.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw RequestException.badRequest("invalid_path", "the path has a malformed %-escape");
                }
            }
        }
        return segments;
    }
}
