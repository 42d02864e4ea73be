package io.groupcast.core.model;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a connection's frames look like, chosen at connect from the {@code Sec-WebSocket-Protocol} the client offers.
 * Without one ({@link #PLAIN}) a server message arrives exactly as the notify gave it; with
 * {@code groupcast.json.v1} every message arrives in an envelope, so that no message can pass for a protocol frame.
 */
public enum Protocol {
    /** No subprotocol: frames exactly as before, for plain WebSocket clients. */
    PLAIN,
    /** {@code groupcast.json.v1}: server messages as {@code {"type":"message","from":"server","data":M}}. */
    JSON_V1,
    /**
     * {@code groupcast.reliable.v1}: the {@code groupcast.json.v1} envelope with the message's {@code stream},
     * {@code seq} and {@code id}, so that a client that comes back can resume what it missed.
     */
    RELIABLE_V1;

    /** The name in {@code Sec-WebSocket-Protocol}; empty for {@link #PLAIN}. */
    public String wire() {
        return switch (this) {
            case PLAIN -> "";
            case JSON_V1 -> "groupcast.json.v1";
            case RELIABLE_V1 -> "groupcast.reliable.v1";
        };
    }

    /** The protocol with this name; {@link #PLAIN} for an empty or unknown one. */
    public static Protocol of(String wire) {
        return known(wire).orElse(PLAIN);
    }

    /**
     * The first protocol Groupcast speaks among those a client offers, in the client's order ({@code
     * Sec-WebSocket-Protocol: a, groupcast.json.v1}); {@link #PLAIN} when it offers none of them.
     */
    public static Protocol negotiate(String offered) {
        if (offered == null) {
            return PLAIN;
        }
        return Arrays.stream(offered.split(","))
                .map(String::trim)
                .map(Protocol::known)
                .flatMap(Optional::stream)
                .findFirst()
                .orElse(PLAIN);
    }

    private static Optional<Protocol> known(String wire) {
        return Arrays.stream(values())
                .filter(p -> p != PLAIN && p.wire().equals(wire))
                .findFirst();
    }
}
