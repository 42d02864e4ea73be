package io.groupcast.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/** Carries out a client's frame for its own connection and answers it with an ack or error frame. */
public final class ClientActions {
    private final MembershipStore store;
    private final Connections connections;

    /** Reads {@code group}'s members once and primes the posting path, sending nothing (SnapStart priming). */
    public void prime(GroupName group) {
        store.members(group, java.time.Instant.now()).count();
        connections.prime();
    }

    public ClientActions(MembershipStore store, Connections connections) {
        this.store = Objects.requireNonNull(store, "store");
        this.connections = Objects.requireNonNull(connections, "connections");
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
                case JOIN -> store.join(connection.id(), action.group(), connection.expiresAt());
                case LEAVE -> store.leave(connection.id(), action.group());
            }
            answer = Json.object().put("type", "ack").put("action", action.kind().wire())
                    .put("group", action.group().value());
        } catch (RequestException e) {
            answer = errorFrame(e.code(), e.getMessage());
        } catch (StoreUnavailableException e) {
            answer = errorFrame("store_unavailable", "the membership store is unavailable; try again");
        }
        connections.post(connection.id(), Json.bytes(answer)).join();
        return answer;
    }

    private static ObjectNode errorFrame(String code, String message) {
        return Json.object().put("type", "error").put("error", code).put("message", message);
    }
}
