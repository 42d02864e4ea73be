package io.groupcast.client;

import java.util.Locale;

/** What a connection may do to a group, as Azure Web PubSub names it. */
public enum Permission {
    /** Join and leave the group. */
    JOIN_LEAVE_GROUP,
    /** Publish to the group. */
    SEND_TO_GROUP;

    /** The name in the route: {@code joinLeaveGroup}, {@code sendToGroup}. */
    public String wire() {
        StringBuilder wire = new StringBuilder();
        for (String word : name().toLowerCase(Locale.ROOT).split("_")) {
            wire.append(wire.length() == 0 ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1));
        }
        return wire.toString();
    }
}
