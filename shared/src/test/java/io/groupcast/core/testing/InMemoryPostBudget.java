package io.groupcast.core.testing;

import io.groupcast.core.workers.PostBudget;

/** A {@link PostBudget} in memory: one schedule, counting the reservations made (one write each on DynamoDB). */
public final class InMemoryPostBudget implements PostBudget {
    private final Outage outage;
    private long bookedUntil = Long.MIN_VALUE;
    private long writes;

    public InMemoryPostBudget(Outage outage) {
        this.outage = outage;
    }

    @Override
    public synchronized long reserve(long costMicros, long nowMicros, long latestMicros) {
        outage.check();
        writes++;
        long start = Math.max(bookedUntil, nowMicros);
        if (start > latestMicros) {
            return -1;
        }
        bookedUntil = start + costMicros;
        return start;
    }

    /** How many reservations were tried (one conditional write each on DynamoDB). */
    public synchronized long writes() {
        return writes;
    }
}
