package io.groupcast.core;

import java.util.concurrent.CompletableFuture;

/** Sends frames to open connections: the API Gateway Management API's {@code POST @connections/{id}}. */
public interface Connections {
    /** Posts {@code payload} as one text frame; the future never completes exceptionally. */
    CompletableFuture<PostOutcome> post(ConnectionId connection, byte[] payload);

    /**
     * Runs the per-post code paths once without sending anything (SnapStart priming before the snapshot); network
     * connections opened now would be dead after a restore, so none is.
     */
    default void prime() {
    }
}
