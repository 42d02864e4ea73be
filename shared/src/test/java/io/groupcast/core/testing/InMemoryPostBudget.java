package io.groupcast.core.testing;

import io.groupcast.core.workers.PostBudget;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link PostBudget} in memory, counting the posts taken in each second and how many takes were made. */
public final class InMemoryPostBudget implements PostBudget {
    private final Map<Long, Long> used = new ConcurrentHashMap<>();
    private final Outage outage;
    private long takes;

    public InMemoryPostBudget(Outage outage) {
        this.outage = outage;
    }

    @Override
    public synchronized boolean take(long second, int chunk, long allowed) {
        outage.check();
        takes++;
        long now = used.getOrDefault(second, 0L);
        if (now + chunk > allowed) {
            return false;
        }
        used.put(second, now + chunk);
        return true;
    }

    /** How many take calls were made (one write each on DynamoDB). */
    public synchronized long takes() {
        return takes;
    }
}
