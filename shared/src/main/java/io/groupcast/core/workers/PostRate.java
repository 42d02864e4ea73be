package io.groupcast.core.workers;

import io.groupcast.core.delivery.Connections;
import io.groupcast.core.delivery.PostOutcome;
import io.groupcast.core.model.ConnectionId;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The stack-wide posts-per-second budget ({@code FANOUT_MAX_POSTS_PER_SECOND}) shared by every worker of every
 * notification: workers take posts from the {@link PostBudget} of each second in chunks of 1 % of the budget (at
 * most 1,000), paced through the second; when a second's budget is spent they wait for the next. One chunk is one
 * write, so any rate costs about 100 writes a second on one item (DynamoDB allows 1,000).
 */
public final class PostRate {
    private final PostBudget budget;
    private final int perSecond;
    private final int chunk;
    private final Clock clock;
    /** The pacing step within a second. */
    static final long PACE_MILLIS = 50;

    private long second = -1;
    private int left;

    public PostRate(PostBudget budget, int perSecond, Clock clock) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("posts per second must be at least 1, not " + perSecond);
        }
        this.budget = Objects.requireNonNull(budget, "budget");
        this.perSecond = perSecond;
        this.chunk = Math.max(1, Math.min(1000, perSecond / 100));
        this.clock = clock;
    }

    /** The budget per second. */
    public int perSecond() {
        return perSecond;
    }

    /** Waits until one post fits in the stack-wide budget. */
    public synchronized void acquire() {
        for (; ; ) {
            long now = clock.millis();
            long current = now / 1000;
            if (current == second && left > 0) {
                left--;
                return;
            }
            if (take(current, now % 1000)) {
                second = current;
                left = chunk - 1;
                return;
            }
            sleep(Math.min(PACE_MILLIS, 1000 - now % 1000));
        }
    }

    /**
     * Takes a chunk of this second's budget, paced over the second: by {@code millis} into it, at most
     * {@code (millis + PACE_MILLIS) / 1000} of the budget may be used, so the posts do not all leave in its first
     * moments (API Gateway's throttle is a token bucket with a burst much smaller than a second's worth).
     */
    private boolean take(long current, long millis) {
        long allowed = Math.min(perSecond, perSecond * (millis + PACE_MILLIS) / 1000);
        return budget.take(current, chunk, allowed);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(Math.max(1, millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the post budget", e);
        }
    }

    /** {@code connections} whose posts wait for this budget. */
    public Connections limiting(Connections connections) {
        return new Connections() {
            @Override
            public CompletableFuture<PostOutcome> post(ConnectionId connection, byte[] payload) {
                acquire();
                return connections.post(connection, payload);
            }

            @Override
            public CompletableFuture<PostOutcome> close(ConnectionId connection) {
                return connections.close(connection);
            }

            @Override
            public CompletableFuture<PostOutcome> check(ConnectionId connection) {
                return connections.check(connection);
            }

            @Override
            public void prime() {
                connections.prime();
            }
        };
    }
}
