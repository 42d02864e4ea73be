package io.groupcast.core.workers;

import io.groupcast.core.delivery.FanoutResult;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The fan-out workers as a notify sees them: where a notification is recorded and its slices queued. {@link #NONE}
 * when the stack has no queue ({@code FANOUT_QUEUE_URL} unset): a notify then stays synchronous and skips what its
 * budget does not reach, as before.
 */
public record Workers(NotificationStore notifications, SliceQueue queue, Clock clock) {
    /** No workers. */
    public static final Workers NONE = new Workers(null, null, Clock.systemUTC());

    /** Whether there are workers to hand slices to. */
    public boolean available() {
        return queue != null && notifications != null;
    }

    /** A new notification's id. */
    public static String newId() {
        return UUID.randomUUID().toString();
    }

    /**
     * Records a notification's message, what the caller delivered itself (as the slice {@code sync}, when it did
     * any), then queues its slices for the workers, and only then records it as handed over: until then its status
     * cannot say {@code completed}, so a notify whose slices could not be queued never reads as complete.
     */
    public void start(NotificationStore.Message message, FanoutResult soFar, List<Slice> slices) {
        Objects.requireNonNull(notifications, "no fan-out queue is configured");
        notifications.create(message, clock.instant());
        if (soFar != null) {
            notifications.done(message.id(), "sync", soFar, clock.instant());
        }
        notifications.queued(slices, clock.instant());
        queue.send(slices);
        notifications.handedOver(message.id(), clock.instant());
    }
}
