package io.groupcast.core.testing;

import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.UserId;
import io.groupcast.core.store.Counters;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@link Counters} in memory. */
public final class InMemoryCounters implements Counters {
    private final Map<String, long[]> counts = new ConcurrentHashMap<>();
    private final Outage outage;

    public InMemoryCounters(Outage outage) {
        this.outage = outage;
    }

    @Override
    public long count(ConnectionId connection, String kind, long window, Instant expiresAt) {
        return count("conn#" + connection.value() + "|" + kind, window);
    }

    @Override
    public long count(UserId user, String kind, long window, Instant expiresAt) {
        return count("user#" + user.value() + "|" + kind, window);
    }

    private long count(String key, long window) {
        outage.check();
        long[] counter = counts.computeIfAbsent(key, c -> new long[] {window, 0});
        synchronized (counter) {
            if (counter[0] != window) {
                counter[0] = window;
                counter[1] = 0;
            }
            return ++counter[1];
        }
    }
}
