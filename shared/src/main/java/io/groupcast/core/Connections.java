package io.groupcast.core;

import java.util.concurrent.CompletableFuture;

/** Sends frames to open connections: the API Gateway Management API's {@code POST @connections/{id}}. */
public interface Connections {
    /** Posts {@code payload} as one text frame; the future never completes exceptionally. */
    CompletableFuture<PostOutcome> post(ConnectionId connection, byte[] payload);
}
