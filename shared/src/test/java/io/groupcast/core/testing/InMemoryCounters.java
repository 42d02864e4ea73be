package io.groupcast.core.testing;

import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.store.Counters;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@link Counters} in memory. */
public final class InMemoryCounters implements Counters {
    private final Map<ConnectionId, long[]> publishes = new ConcurrentHashMap<>();
    private final Outage outage;

    public InMemoryCounters(Outage outage) {
        this.outage = outage;
    }

    @Override
    public long countPublish(ConnectionId connection, long window, Instant expiresAt) {
        outage.check();
        long[] counter = publishes.computeIfAbsent(connection, c -> new long[] {window, 0});
        synchronized (counter) {
            if (counter[0] != window) {
                counter[0] = window;
                counter[1] = 0;
            }
            return ++counter[1];
        }
    }
}
