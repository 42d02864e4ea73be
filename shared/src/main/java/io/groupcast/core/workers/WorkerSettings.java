package io.groupcast.core.workers;

import java.time.Duration;

/**
 * How the fan-out workers run.
 *
 * @param maxPostsPerSecond the stack-wide post budget every worker shares ({@code FANOUT_MAX_POSTS_PER_SECOND})
 * @param visibility        the queue's visibility timeout: how long a received slice is hidden from other workers
 *     ({@code FANOUT_VISIBILITY_SECONDS})
 * @param maxReceives       deliveries of a slice before the queue moves it to the dead-letter queue
 *     ({@code FANOUT_MAX_RECEIVES})
 */
public record WorkerSettings(int maxPostsPerSecond, Duration visibility, int maxReceives) {
    /** The defaults: 3,000 posts a second, 30 minutes, 3 receives. */
    public static final WorkerSettings DEFAULTS = new WorkerSettings(3000, Duration.ofMinutes(30), 3);

    public WorkerSettings {
        if (maxPostsPerSecond < 1 || maxReceives < 1 || visibility.isNegative() || visibility.isZero()) {
            throw new IllegalArgumentException(
                    "worker settings out of range: " + maxPostsPerSecond + ", " + visibility + ", " + maxReceives);
        }
    }
}
