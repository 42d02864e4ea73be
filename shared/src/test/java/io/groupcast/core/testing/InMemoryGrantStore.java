package io.groupcast.core.testing;

import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.Grant;
import io.groupcast.core.model.Grants;
import io.groupcast.core.store.GrantStore;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** A {@link GrantStore} in memory. */
public final class InMemoryGrantStore implements GrantStore {
    private final Map<ConnectionId, Map<Grant, Instant>> granted = new ConcurrentHashMap<>();
    private final Outage outage;

    public InMemoryGrantStore(Outage outage) {
        this.outage = outage;
    }

    @Override
    public void grant(ConnectionId connection, Grant grant, Instant expiresAt) {
        outage.check();
        granted.computeIfAbsent(connection, c -> new ConcurrentHashMap<>()).put(grant, expiresAt);
    }

    @Override
    public void revoke(ConnectionId connection, Grant grant) {
        outage.check();
        granted.getOrDefault(connection, new ConcurrentHashMap<>()).remove(grant);
    }

    @Override
    public Grants grants(ConnectionId connection, Instant now) {
        outage.check();
        return new Grants(granted.getOrDefault(connection, Map.of()).entrySet().stream()
                .filter(e -> e.getValue().isAfter(now))
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet()));
    }
}
