package io.groupcast.core.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Json;
import io.groupcast.core.model.UserId;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One lifecycle event, as EventBridge carries it: source {@link #SOURCE}, a detail type ({@code Connected},
 * {@code Disconnected}, {@code GroupJoined}, {@code GroupLeft}, {@code ClientEvent}) and a JSON detail that always
 * holds {@code connectionId} and {@code at} (epoch milliseconds), and {@code userId} where known.
 */
public record LifecycleEvent(String detailType, ObjectNode detail) {
    /** The {@code Source} of every event Groupcast puts. */
    public static final String SOURCE = "groupcast";

    /** Every detail type, as rules match them. */
    public static final List<String> DETAIL_TYPES =
            List.of("Connected", "Disconnected", "GroupJoined", "GroupLeft", "ClientEvent");

    public LifecycleEvent {
        Objects.requireNonNull(detailType, "detailType");
        Objects.requireNonNull(detail, "detail");
    }

    /** A connection opened, in its user's group and {@code groups} (linked, or named by the connect hook). */
    public static LifecycleEvent connected(Connection connection, Collection<GroupName> groups, Instant at) {
        ObjectNode detail = of(connection, at);
        groups.stream().map(GroupName::value).sorted().forEach(detail.putArray("groups")::add);
        return new LifecycleEvent("Connected", detail);
    }

    /**
     * A connection closed: {@code reason} is {@code disconnect} ({@code $disconnect} arrived) or {@code gone} (a post
     * found it gone, 410, and pruned it: its {@code $disconnect} was lost, or has not arrived yet).
     */
    public static LifecycleEvent disconnected(
            ConnectionId connection, Optional<UserId> user, String reason, Instant at) {
        ObjectNode detail = Json.object().put("connectionId", connection.value());
        user.ifPresent(id -> detail.put("userId", id.value()));
        detail.put("reason", reason).put("at", at.toEpochMilli());
        return new LifecycleEvent("Disconnected", detail);
    }

    /** A connection joined {@code group} by its own frame. */
    public static LifecycleEvent joined(Connection connection, GroupName group, Instant at) {
        return new LifecycleEvent("GroupJoined", of(connection, at).put("group", group.value()));
    }

    /** A connection left {@code group} by its own frame. */
    public static LifecycleEvent left(Connection connection, GroupName group, Instant at) {
        return new LifecycleEvent("GroupLeft", of(connection, at).put("group", group.value()));
    }

    /** A client event, put instead of calling a handler (a stack with a bus and no handler). */
    public static LifecycleEvent clientEvent(Connection connection, String event, JsonNode data, Instant at) {
        ObjectNode detail = of(connection, at).put("event", event);
        detail.set("data", data);
        return new LifecycleEvent("ClientEvent", detail);
    }

    private static ObjectNode of(Connection connection, Instant at) {
        ObjectNode detail = Json.object()
                .put("connectionId", connection.id().value())
                .put("userId", connection.user().value());
        detail.put("at", at.toEpochMilli());
        return detail;
    }
}
