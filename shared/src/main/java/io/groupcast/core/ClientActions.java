package io.groupcast.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.core.config.AwsClients;
import io.groupcast.core.config.Environment;
import io.groupcast.core.delivery.Budget;
import io.groupcast.core.delivery.Connections;
import io.groupcast.core.delivery.FanoutResult;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ErrorCode;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Json;
import io.groupcast.core.model.Permission;
import io.groupcast.core.model.RequestException;
import io.groupcast.core.store.MembershipStore;
import io.groupcast.core.store.StoreUnavailableException;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Carries out a client's frame (join, leave, send) for its own connection, within its permissions, and answers it
 * with an ack or error frame.
 */
public final class ClientActions {
    /** The default of {@code MAX_GROUPS_PER_CONNECTION}: named groups one connection may be in at once. */
    public static final int DEFAULT_MAX_GROUPS = 100;

    private final MembershipStore store;
    private final Connections connections;
    private final Permissions permissions;
    private final Publisher publisher;
    private final Streams streams;
    private final int maxGroups;
    private final Clock clock;

    /**
     * @param permissions decides what a connection may do
     * @param publisher   carries out {@code send} frames
     * @param streams     carries out {@code resume} frames
     * @param maxGroups   named groups one connection may be in at once (its user group does not count)
     * @param clock       decides which memberships have expired
     */
    public ClientActions(
            MembershipStore store,
            Connections connections,
            Permissions permissions,
            Publisher publisher,
            Streams streams,
            int maxGroups,
            Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.connections = Objects.requireNonNull(connections, "connections");
        this.permissions = Objects.requireNonNull(permissions, "permissions");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.streams = Objects.requireNonNull(streams, "streams");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxGroups < 1) {
            throw new IllegalArgumentException("maxGroups must be at least 1, was " + maxGroups);
        }
        this.maxGroups = maxGroups;
    }

    /** {@code MAX_GROUPS_PER_CONNECTION} from the environment: 1 to 10,000, default 100. */
    public static int maxGroups(Environment env) {
        return env.integer("MAX_GROUPS_PER_CONNECTION", DEFAULT_MAX_GROUPS, 1, 10_000);
    }

    /** Reads {@code group}'s members once and primes the posting path, sending nothing (SnapStart priming). */
    public void prime(GroupName group) {
        store.members(group, clock.instant()).count();
        connections.prime();
    }

    /**
     * What a frame came to: the ack or error frame the client was sent and, for a {@code send}, how its fan-out went.
     */
    public record Answer(ObjectNode frame, Optional<FanoutResult> delivery) {
        /** Whether the frame was acknowledged (a ping is, with a pong). */
        public boolean ok() {
            return !"error".equals(frame.path("type").asText());
        }
    }

    /**
     * Handles one frame of {@code connection}, a {@code send}'s fan-out within {@code budget}; a client mistake is
     * answered with an error frame and changes nothing.
     */
    public Answer handle(Connection connection, String frame, Budget budget) {
        if (ClientAction.isPing(frame)) {
            ObjectNode pong = Json.object().put("type", "pong");
            connections.post(connection.id(), Json.bytes(pong)).join();
            return new Answer(pong, Optional.empty());
        }
        ObjectNode answer;
        Optional<FanoutResult> delivery = Optional.empty();
        try {
            if (ResumeRequest.isResume(frame)) {
                // the replayed messages and gaps are posted first; the resumed frame ends the resume
                answer = streams.resume(connection, ResumeRequest.parse(frame), budget);
                connections.post(connection.id(), Json.bytes(answer)).join();
                return new Answer(answer, Optional.empty());
            }
            ClientAction action = ClientAction.parse(frame);
            switch (action.kind()) {
                case JOIN -> {
                    permissions.require(connection, Permission.JOIN_LEAVE_GROUP, action.group());
                    join(connection, action.group(), budget);
                }
                case LEAVE -> {
                    permissions.require(connection, Permission.JOIN_LEAVE_GROUP, action.group());
                    store.leave(connection.id(), action.group());
                }
                case SEND -> {
                    permissions.require(connection, Permission.SEND_TO_GROUP, action.group());
                    delivery = Optional.of(publisher.publish(
                            connection, action.group(), action.data().orElseThrow(), action.noEcho(), budget));
                }
            }
            answer = Json.object()
                    .put("type", "ack")
                    .put("action", action.kind().wire())
                    .put("group", action.group().value());
        } catch (RequestException e) {
            answer = errorFrame(e.code(), e.getMessage());
        } catch (StoreUnavailableException e) {
            answer = errorFrame(ErrorCode.STORE_UNAVAILABLE, StoreUnavailableException.ANSWER);
        }
        connections.post(connection.id(), Json.bytes(answer)).join();
        return new Answer(answer, delivery);
    }

    /**
     * Joins unless the connection is already in {@code maxGroups} named groups. Two joins racing on one connection
     * can pass the check together, so the limit can be exceeded by the number of frames in flight at once.
     */
    private void join(Connection connection, GroupName group, Budget budget) {
        Set<GroupName> groups = store.groupsOf(connection.id(), clock.instant());
        StoreUnavailableException.requireTime(budget.remainingMillis(), AwsClients.STORE_CALL_TIMEOUT);
        if (!groups.contains(group)) {
            long named = groups.stream().filter(g -> !g.isUserGroup()).count();
            if (named >= maxGroups) {
                throw new RequestException(
                        ErrorCode.TOO_MANY_GROUPS,
                        "this connection is already in " + named
                                + " groups, the most allowed; leave one before joining another");
            }
        }
        store.join(connection.recipient(), group, connection.expiresAt());
    }

    private static ObjectNode errorFrame(ErrorCode code, String message) {
        return Json.object().put("type", "error").put("error", code.code()).put("message", message);
    }
}
