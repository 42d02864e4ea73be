package io.groupcast.core.model;

import java.util.Arrays;
import java.util.Optional;

/** What a connection may do to a group, as Azure Web PubSub names it. */
public enum Permission {
    /** Join and leave the group ({@code join}, {@code leave} frames). */
    JOIN_LEAVE_GROUP("joinLeaveGroup"),
    /** Publish to the group ({@code send} frames). */
    SEND_TO_GROUP("sendToGroup");

    private final String wire;

    Permission(String wire) {
        this.wire = wire;
    }

    /** The name in roles and routes: {@code joinLeaveGroup}, {@code sendToGroup}. */
    public String wire() {
        return wire;
    }

    /** The permission with this name. */
    public static Optional<Permission> of(String wire) {
        return Arrays.stream(values()).filter(p -> p.wire.equals(wire)).findFirst();
    }
}
