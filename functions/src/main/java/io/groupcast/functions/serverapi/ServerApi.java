package io.groupcast.functions.serverapi;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.core.groups.Groups;
import io.groupcast.core.groups.Permissions;
import io.groupcast.core.model.ErrorCode;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Json;
import io.groupcast.core.model.Names;
import io.groupcast.core.model.RequestException;
import io.groupcast.core.notify.Notifier;
import io.groupcast.core.notify.NotifyRequest;
import io.groupcast.core.notify.NotifyResult;
import io.groupcast.core.store.MembershipStore;
import io.groupcast.core.workers.NotificationStatus;
import io.groupcast.core.workers.NotificationStore;
import io.groupcast.functions.edge.Invocation;
import io.groupcast.functions.edge.Metrics;
import io.groupcast.functions.edge.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The server API on the HTTP API (every route {@code AWS_IAM}): one table from API Gateway's route key to the
 * operation that answers it. API Gateway has already matched the path, decoded its parameters and chosen the route
 * key, whatever stage or custom-domain base path the request came through. {@code openapi.yaml} describes every
 * route; a test checks it and {@code template.yaml} against {@link #routeKeys()}.
 */
public record ServerApi(
        Notifier notifier, Groups groups, Permissions permissions, Supplier<NotificationStore> notifications) {
    /** Every route this API answers, as API Gateway route keys ({@code PUT /groups/{group}/users/{userId}}). */
    public static Set<String> routeKeys() {
        return Arrays.stream(ServerRoute.values()).map(ServerRoute::key).collect(Collectors.toUnmodifiableSet());
    }

    /** Answers one request: the route its route key names, 405 for a known path with another method, else 404. */
    public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Context context) {
        String key = event == null || event.getRouteKey() == null ? "" : event.getRouteKey();
        Invocation invocation = Invocation.of(context, key);
        if (key.equals(ServerRoute.NOTIFY.key())) {
            invocation.countingRefusals(Metrics.NOTIFY_REFUSED);
        }
        return invocation.http(() -> {
            ServerRoute route = ServerRoute.of(key).orElseThrow(() -> unknown(key));
            return answer(route, new ServerRequest(event, context));
        });
    }

    private Outcome<APIGatewayV2HTTPResponse> answer(ServerRoute route, ServerRequest request) {
        return switch (route) {
            case NOTIFY -> notify(request);
            case NOTIFICATION_STATUS -> notificationStatus(request);
            case ADD_CONNECTION_TO_GROUP -> addConnectionToGroup(request);
            case REMOVE_CONNECTION_FROM_GROUP -> removeConnectionFromGroup(request);
            case ADD_USER_TO_GROUP -> addUserToGroup(request);
            case REMOVE_USER_FROM_GROUP -> removeUserFromGroup(request);
            case REMOVE_USER_FROM_ALL_GROUPS -> removeUserFromAllGroups(request);
            case USER_PRESENCE -> userPresence(request);
            case LIST_USER_CONNECTIONS -> listUserConnections(request);
            case GROUP_PRESENCE -> groupPresence(request);
            case LIST_GROUP_CONNECTIONS -> listGroupConnections(request);
            case CLOSE_CONNECTION -> closeConnection(request);
            case CLOSE_USER_CONNECTIONS -> closeUserConnections(request);
            case CLOSE_GROUP_CONNECTIONS -> closeGroupConnections(request);
            case GRANT_PERMISSION -> grantPermission(request);
            case REVOKE_PERMISSION -> revokePermission(request);
            case CHECK_PERMISSION -> checkPermission(request);
        };
    }

    /** A whole notify of a group no one joins (parse, Query, answer) and a signed post that is never sent. */
    public void prime(GroupName group) {
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setRouteKey(ServerRoute.NOTIFY.key());
        event.setBody(Json.object()
                .put("group", group.value())
                .set("message", Json.object().put("priming", true))
                .toString());
        handle(event, null);
        notifier.prime(group);
    }

    private static RequestException unknown(String key) {
        int space = key.indexOf(' ');
        String path = space < 0 ? key : key.substring(space + 1);
        List<String> methods = Arrays.stream(ServerRoute.values())
                .filter(route -> route.path().equals(path))
                .map(ServerRoute::method)
                .sorted()
                .toList();
        if (!methods.isEmpty()) {
            return new RequestException(
                    ErrorCode.METHOD_NOT_ALLOWED,
                    path + " answers " + String.join(", ", methods) + ", not "
                            + (space < 0 ? key : key.substring(0, space)));
        }
        return new RequestException(
                ErrorCode.NOT_FOUND, "no route " + Names.describe(key) + "; see docs/openapi.yaml for the server API");
    }

    private Outcome<APIGatewayV2HTTPResponse> notify(ServerRequest request) {
        NotifyRequest notify = NotifyRequest.parse(request.body());
        NotifyResult result = notifier.notify(notify, request.budget());
        if (result.notificationId().isPresent()) {
            // the workers deliver it, or the rest of it: 202 with the counts so far and where to follow it
            String id = result.notificationId().get();
            ObjectNode answer = Json.mapper().valueToTree(result);
            answer.put("notificationId", id)
                    .put("status", result.recipients() == 0 ? "accepted" : "running")
                    .put("statusUrl", "/notifications/" + id);
            return Outcome.of(Invocation.json(202, answer), "notify handed to the fan-out workers")
                    .with("target", notify.target())
                    .with("outcome", "accepted")
                    .with("notificationId", id)
                    .fanout(result.fanout(), result.elapsedMs())
                    .count(Metrics.NOTIFY_REQUESTS, 1);
        }
        boolean incomplete = result.failed() + result.skipped() > 0;
        return Outcome.of(
                        Invocation.json(200, Json.mapper().valueToTree(result)),
                        incomplete ? "notified, some recipients not reached" : "notified")
                .with("target", notify.target())
                .with("outcome", incomplete ? "incomplete" : "delivered")
                .fanout(result.fanout(), result.elapsedMs())
                .count(Metrics.NOTIFY_REQUESTS, 1);
    }

    private Outcome<APIGatewayV2HTTPResponse> notificationStatus(ServerRequest request) {
        String id = request.path("notificationId");
        if (!id.matches("[0-9a-f-]{36}")) {
            throw new RequestException(
                    ErrorCode.NOTIFICATION_NOT_FOUND, "no notification " + Names.describe(id) + ": ids are UUIDs");
        }
        NotificationStatus status = notifications
                .get()
                .progress(id, Instant.now())
                .map(progress -> NotificationStatus.of(id, progress))
                .orElseThrow(() -> new RequestException(
                        ErrorCode.NOTIFICATION_NOT_FOUND, "no notification " + id + " (unknown, or older than a day)"));
        return ok(Json.mapper().valueToTree(status)).with("notificationId", id).with("status", status.status());
    }

    private Outcome<APIGatewayV2HTTPResponse> addConnectionToGroup(ServerRequest request) {
        groups.addConnection(request.group(), request.connection());
        return ok(request.named().put("member", true));
    }

    private Outcome<APIGatewayV2HTTPResponse> removeConnectionFromGroup(ServerRequest request) {
        groups.removeConnection(request.group(), request.connection());
        return ok(request.named().put("member", false));
    }

    private Outcome<APIGatewayV2HTTPResponse> addUserToGroup(ServerRequest request) {
        Instant until = groups.addUser(request.group(), request.user(), ttl(request.body()));
        return ok(request.named().put("member", true).put("expiresAt", until.getEpochSecond()));
    }

    private Outcome<APIGatewayV2HTTPResponse> removeUserFromGroup(ServerRequest request) {
        groups.removeUser(request.group(), request.user());
        return ok(request.named().put("member", false));
    }

    private Outcome<APIGatewayV2HTTPResponse> removeUserFromAllGroups(ServerRequest request) {
        return ok(request.named().put("groupsLeft", groups.removeUserFromAll(request.user())));
    }

    private Outcome<APIGatewayV2HTTPResponse> userPresence(ServerRequest request) {
        Groups.Presence presence =
                groups.presence(GroupName.ofUser(request.user()), Groups.MAX_VERIFIED_USER, request.budget());
        return verified(
                request.named().put("online", presence.connections() > 0).put("connections", presence.connections()),
                presence);
    }

    /** A verified presence answer; what was pruned and what could not be verified go to the log line. */
    private static Outcome<APIGatewayV2HTTPResponse> verified(ObjectNode answer, Groups.Presence presence) {
        return ok(answer.put("verified", presence.unverified() == 0))
                .with("gone", presence.gone())
                .with("unverified", presence.unverified());
    }

    private Outcome<APIGatewayV2HTTPResponse> listUserConnections(ServerRequest request) {
        return page(GroupName.ofUser(request.user()), request);
    }

    private Outcome<APIGatewayV2HTTPResponse> groupPresence(ServerRequest request) {
        if (request.flag("verify")) {
            Groups.Presence presence = groups.presence(request.group(), Groups.MAX_VERIFIED_GROUP, request.budget());
            return verified(request.named().put("connections", presence.connections()), presence);
        }
        return ok(request.named()
                .put("connections", groups.count(request.group()))
                .put("verified", false));
    }

    private Outcome<APIGatewayV2HTTPResponse> listGroupConnections(ServerRequest request) {
        return page(request.group(), request);
    }

    private Outcome<APIGatewayV2HTTPResponse> closeConnection(ServerRequest request) {
        return closed(groups.close(request.connection(), request.budget()));
    }

    private Outcome<APIGatewayV2HTTPResponse> closeUserConnections(ServerRequest request) {
        return closed(groups.closeGroup(GroupName.ofUser(request.user()), request.budget()));
    }

    private Outcome<APIGatewayV2HTTPResponse> closeGroupConnections(ServerRequest request) {
        return closed(groups.closeGroup(request.group(), request.budget()));
    }

    private Outcome<APIGatewayV2HTTPResponse> grantPermission(ServerRequest request) {
        permissions.grant(request.connection(), request.permission(), request.query("group"));
        return permission(request, true);
    }

    private Outcome<APIGatewayV2HTTPResponse> revokePermission(ServerRequest request) {
        permissions.revoke(request.connection(), request.permission(), request.query("group"));
        return permission(request, false);
    }

    private Outcome<APIGatewayV2HTTPResponse> checkPermission(ServerRequest request) {
        return permission(
                request, permissions.check(request.connection(), request.permission(), request.query("group")));
    }

    private static Outcome<APIGatewayV2HTTPResponse> permission(ServerRequest request, boolean granted) {
        ObjectNode answer = request.named();
        request.query("group").ifPresent(group -> answer.put("group", group));
        return ok(answer.put("granted", granted));
    }

    private Outcome<APIGatewayV2HTTPResponse> page(GroupName group, ServerRequest request) {
        int limit;
        try {
            limit = Integer.parseInt(request.query("limit").orElse("100"));
        } catch (NumberFormatException e) {
            throw new RequestException(
                    ErrorCode.INVALID_LIMIT, "\"limit\" must be a whole number 1 to " + Groups.MAX_PAGE);
        }
        MembershipStore.Page page = groups.list(group, limit, request.query("next"));
        ObjectNode answer = Json.object().put("group", group.value());
        page.connections().forEach(id -> answer.withArray("connections").add(id.value()));
        if (page.connections().isEmpty()) {
            answer.putArray("connections");
        }
        page.next().ifPresentOrElse(next -> answer.put("next", next), () -> answer.putNull("next"));
        return ok(answer);
    }

    private static Optional<Duration> ttl(String body) {
        if (body == null || body.isBlank()) {
            return Optional.empty();
        }
        JsonNode root = Json.parse(body);
        if (!root.isObject()) {
            throw new RequestException(
                    ErrorCode.INVALID_BODY,
                    "the body must be a JSON object like {\"ttlSeconds\":3600}, not " + Json.kind(root));
        }
        List<String> unknown = new ArrayList<>();
        root.fieldNames().forEachRemaining(name -> {
            if (!name.equals("ttlSeconds")) {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            throw new RequestException(
                    ErrorCode.UNKNOWN_FIELD, "unknown field(s) " + unknown + "; allowed is ttlSeconds");
        }
        JsonNode ttl = root.get("ttlSeconds");
        if (ttl == null || ttl.isNull()) {
            return Optional.empty();
        }
        if (!ttl.canConvertToLong() || !ttl.isIntegralNumber()) {
            throw new RequestException(ErrorCode.INVALID_TTL, "\"ttlSeconds\" must be a whole number of seconds");
        }
        return Optional.of(Duration.ofSeconds(ttl.longValue()));
    }

    private static Outcome<APIGatewayV2HTTPResponse> closed(Groups.Closed closed) {
        return ok(Json.object()
                .put("closed", closed.closed())
                .put("gone", closed.gone())
                .put("failed", closed.failed())
                .put("skipped", closed.skipped()));
    }

    private static Outcome<APIGatewayV2HTTPResponse> ok(ObjectNode answer) {
        return Outcome.of(Invocation.json(200, answer), "server api")
                .with("outcome", 200)
                .count(Metrics.SERVER_API_REQUESTS, 1);
    }
}
