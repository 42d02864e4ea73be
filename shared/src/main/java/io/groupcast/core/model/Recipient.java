package io.groupcast.core.model;

import java.util.Objects;

/** A connection a message goes to, and the protocol its frames take. */
public record Recipient(ConnectionId id, Protocol protocol) {
    public Recipient {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(protocol, "protocol");
    }

    /** A connection without a subprotocol. */
    public static Recipient plain(ConnectionId id) {
        return new Recipient(id, Protocol.PLAIN);
    }
}
