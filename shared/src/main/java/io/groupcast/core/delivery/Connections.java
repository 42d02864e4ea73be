package io.groupcast.core.delivery;

import io.groupcast.core.model.ConnectionId;
import java.util.concurrent.CompletableFuture;

/** Open connections as the API Gateway Management API reaches them: {@code POST|GET|DELETE @connections/{id}}. */
public interface Connections {
    /** Posts {@code payload} as one text frame; the future never completes exceptionally. */
    CompletableFuture<PostOutcome> post(ConnectionId connection, byte[] payload);

    /**
     * Closes a connection ({@code DELETE @connections/{id}}), answered as a {@link PostOutcome}: {@code DELIVERED}
     * closed, {@code GONE} already closed, otherwise failed or retryable. The future never completes exceptionally.
     */
    default CompletableFuture<PostOutcome> close(ConnectionId connection) {
        return CompletableFuture.completedFuture(PostOutcome.FAILED);
    }

    /**
     * Asks whether a connection is open ({@code GET @connections/{id}}), sending it nothing: {@code DELIVERED} open,
     * {@code GONE} not open (closed, or still inside {@code $connect}), otherwise failed or retryable. The future never
     * completes exceptionally.
     */
    default CompletableFuture<PostOutcome> check(ConnectionId connection) {
        return CompletableFuture.completedFuture(PostOutcome.FAILED);
    }

    /**
     * Runs the per-post code paths once without sending anything (SnapStart priming before the snapshot); network
     * connections opened now would be dead after a restore, so none is.
     */
    default void prime() {}
}
