package io.groupcast.core.testing;

import io.groupcast.core.delivery.Connections;
import io.groupcast.core.delivery.PostOutcome;
import io.groupcast.core.model.ConnectionId;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** {@link Connections} that records frames and answers scripted outcomes (DELIVERED by default). */
public final class RecordingConnections implements Connections {
    private final Map<ConnectionId, PostOutcome> outcomes = new ConcurrentHashMap<>();
    private final Map<ConnectionId, List<String>> frames = new ConcurrentHashMap<>();

    /** Posts to this connection answer {@code outcome}. */
    public RecordingConnections answer(ConnectionId connection, PostOutcome outcome) {
        outcomes.put(connection, outcome);
        return this;
    }

    @Override
    public CompletableFuture<PostOutcome> post(ConnectionId connection, byte[] payload) {
        PostOutcome outcome = outcomes.getOrDefault(connection, PostOutcome.DELIVERED);
        if (outcome == PostOutcome.DELIVERED) {
            frames.computeIfAbsent(connection, c -> new CopyOnWriteArrayList<>())
                    .add(new String(payload, StandardCharsets.UTF_8));
        }
        return CompletableFuture.completedFuture(outcome);
    }

    /** Frames delivered to the connection. */
    public List<String> frames(ConnectionId connection) {
        return List.copyOf(frames.getOrDefault(connection, List.of()));
    }

    /** Every connection that got a frame. */
    public Set<ConnectionId> receivers() {
        return Set.copyOf(frames.keySet());
    }
}
