package io.groupcast.core.workers;

/**
 * The stack-wide schedule of posts that every worker reserves its share from: one time, the moment the schedule is
 * booked up to (a generic cell rate algorithm). A reservation moves it on by the reservation's cost.
 */
public interface PostBudget {
    /**
     * Reserves {@code costMicros} of the schedule: answers when (epoch microseconds) the reservation starts, the
     * later of {@code nowMicros} and the time booked so far; or -1, reserving nothing, when that would be after
     * {@code latestMicros}.
     */
    long reserve(long costMicros, long nowMicros, long latestMicros);
}
