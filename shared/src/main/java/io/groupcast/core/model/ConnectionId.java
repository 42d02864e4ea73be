package io.groupcast.core.model;

/** An API Gateway WebSocket connection id. */
public record ConnectionId(String value) {
    public ConnectionId {
        Names.CONNECTION.check(value);
    }

    /** Validates and wraps a connection id. */
    public static ConnectionId of(String value) {
        return new ConnectionId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
