package io.groupcast.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.core.config.Environment;
import io.groupcast.core.delivery.Connections;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ErrorCode;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Json;
import io.groupcast.core.model.RequestException;
import io.groupcast.core.store.MembershipStore;
import io.groupcast.core.store.StoreUnavailableException;
import java.time.Clock;
import java.util.Objects;
import java.util.Set;

/** Carries out a client's frame for its own connection and answers it with an ack or error frame. */
public final class ClientActions {
    /** The default of {@code MAX_GROUPS_PER_CONNECTION}: named groups one connection may be in at once. */
    public static final int DEFAULT_MAX_GROUPS = 100;

    private final MembershipStore store;
    private final Connections connections;
    private final int maxGroups;
    private final Clock clock;

    /**
     * @param maxGroups named groups one connection may be in at once (its user group does not count)
     * @param clock     decides which memberships have expired
     */
    public ClientActions(MembershipStore store, Connections connections, int maxGroups, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.connections = Objects.requireNonNull(connections, "connections");
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
     * Handles one frame of {@code connection}; a client mistake is answered with an error frame and changes nothing.
     * Returns the ack or error frame sent.
     */
    public ObjectNode handle(Connection connection, String frame) {
        ObjectNode answer;
        try {
            ClientAction action = ClientAction.parse(frame);
            switch (action.kind()) {
                case JOIN -> join(connection, action.group());
                case LEAVE -> store.leave(connection.id(), action.group());
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
        return answer;
    }

    /**
     * Joins unless the connection is already in {@code maxGroups} named groups. Two joins racing on one connection
     * can pass the check together, so the limit can be exceeded by the number of frames in flight at once.
     */
    private void join(Connection connection, GroupName group) {
        Set<GroupName> groups = store.groupsOf(connection.id(), clock.instant());
        if (!groups.contains(group)) {
            long named = groups.stream().filter(g -> !g.isUserGroup()).count();
            if (named >= maxGroups) {
                throw new RequestException(
                        ErrorCode.TOO_MANY_GROUPS,
                        "this connection is already in " + named
                                + " groups, the most allowed; leave one before joining another");
            }
        }
        store.join(connection.id(), group, connection.expiresAt());
    }

    private static ObjectNode errorFrame(ErrorCode code, String message) {
        return Json.object().put("type", "error").put("error", code.code()).put("message", message);
    }
}
