package io.groupcast.core.model;

import java.util.Objects;

/** An API Gateway WebSocket connection id. */
public record ConnectionId(String value) {
    public ConnectionId {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()
                || value.length() > Names.MAX_CONNECTION_ID_LENGTH
                || !Names.CONNECTION_ID.matcher(value).matches()) {
            throw new RequestException(
                    ErrorCode.INVALID_CONNECTION_ID,
                    "connection id " + Names.describe(value) + " is not a valid connection id");
        }
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
