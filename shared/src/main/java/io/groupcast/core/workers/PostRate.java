package io.groupcast.core.workers;

import io.groupcast.core.delivery.Connections;
import io.groupcast.core.delivery.PostOutcome;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.store.StoreThrottledException;
import io.groupcast.core.store.StoreUnavailableException;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The stack-wide posts-per-second budget ({@code FANOUT_MAX_POSTS_PER_SECOND}) shared by every worker of every
 * notification: a worker reserves a chunk of 5 % of a second's posts (at most 1,000) from the {@link PostBudget}'s
 * schedule, which answers when the chunk may start, and spreads the chunk's posts over its share of the schedule.
 * One reservation is one write and no
 * worker polls, so the budget costs at most 20 writes a second up to 20,000 posts a second (100 at 100,000),
 * however many workers wait. A
 * throttled reservation is made again after a backoff with full jitter; it never costs a post.
 */
public final class PostRate {
    /** The first backoff after a throttled or failed reservation, doubled each time up to {@link #MAX_BACKOFF}. */
    static final long BASE_BACKOFF = 50;

    static final long MAX_BACKOFF = 2000;

    /** Store failures other than throttling a reservation is tried again after, before it gives up. */
    static final int MAX_FAILURES = 3;

    private final PostBudget budget;
    private final int perSecond;
    private final int chunk;
    private final long chunkMicros;
    private final Clock clock;

    private long chunkStart = Long.MIN_VALUE;
    private int left;
    /** How long a reservation takes, smoothed: a chunk is asked for from when the answer will be back. */
    private long reserveMicros;

    /**
     * The chunk of a function that posts for its clients (a {@code send}'s fan-out, a replay) rather than for minutes:
     * small, so that a warm instance holds back at most this many posts of a second it may not use, at the price of
     * one reservation per this many posts.
     */
    public static final int INTERACTIVE_CHUNK = 10;

    public PostRate(PostBudget budget, int perSecond, Clock clock) {
        this(budget, perSecond, chunkOf(perSecond), clock);
    }

    /** A rate that reserves {@code chunk} posts at a time (at most {@link #chunkOf} of {@code perSecond}). */
    public PostRate(PostBudget budget, int perSecond, int chunk, Clock clock) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("posts per second must be at least 1, not " + perSecond);
        }
        this.budget = Objects.requireNonNull(budget, "budget");
        this.perSecond = perSecond;
        this.chunk = Math.max(1, Math.min(chunk, chunkOf(perSecond)));
        this.chunkMicros = chunk * 1_000_000L / perSecond;
        this.clock = clock;
    }

    /**
     * The posts one reservation takes at {@code perSecond}: 5 % of it (50 ms of the budget), from 1 to 1,000. A
     * worker posts a chunk without waiting for the store, so one worker alone can keep up with the budget while a
     * reservation takes up to 50 ms; the budget costs 20 writes a second up to 20,000 posts a second, and 1 per
     * 1,000 posts above that.
     */
    public static int chunkOf(int perSecond) {
        return Math.max(1, Math.min(1000, perSecond / 20));
    }

    /** The budget per second. */
    public int perSecond() {
        return perSecond;
    }

    /** Waits until one post fits in the stack-wide budget, however long that takes. */
    public void acquire() {
        acquire(Long.MAX_VALUE);
    }

    /**
     * Waits until one post fits in the stack-wide budget; answers false, reserving nothing, when it would not fit
     * before {@code latestMillis} (epoch). A budget store that stays unavailable (other than by throttling) is a
     * {@link StoreUnavailableException}.
     */
    public boolean acquire(long latestMillis) {
        long due = take(latestMillis);
        if (due < 0) {
            return false;
        }
        // the wait is outside the lock: workers sharing one rate (the local gateway's) post side by side
        sleep(due / 1000 - clock.millis());
        return true;
    }

    /** The time (epoch microseconds) the next post is due, reserving a chunk when none is left; -1: none fits. */
    private synchronized long take(long latestMillis) {
        long now = clock.millis();
        // what is left of a reserved chunk is used within a second of its start, not saved up into a burst, and its
        // posts are spread evenly over the chunk's share of the schedule (API Gateway's throttle is a token bucket)
        if (left > 0 && now * 1000 < chunkStart + 1_000_000) {
            long due = chunkStart + (chunk - left) * chunkMicros / chunk;
            left--;
            return due;
        }
        long latestMicros = latestMillis >= Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : latestMillis * 1000;
        long start = reserve(latestMicros);
        if (start < 0) {
            left = 0;
            return -1;
        }
        // a reservation that came back late (a slow store) starts when it came back, not in the past: its posts are
        // not thrown away, they leave late
        chunkStart = Math.max(start, clock.millis() * 1000);
        left = chunk - 1;
        return chunkStart;
    }

    private long reserve(long latestMicros) {
        int failures = 0;
        for (int attempt = 0; ; attempt++) {
            try {
                long asked = clock.millis() * 1000;
                long start = budget.reserve(chunkMicros, asked + reserveMicros, latestMicros);
                reserveMicros = (reserveMicros * 7 + (clock.millis() * 1000 - asked)) / 8;
                return start;
            } catch (StoreThrottledException e) {
                // throttled: try again later, without counting it against the post
            } catch (StoreUnavailableException e) {
                if (++failures >= MAX_FAILURES) {
                    throw e;
                }
            }
            long backoff = ThreadLocalRandom.current()
                    .nextLong(Math.min(MAX_BACKOFF, BASE_BACKOFF << Math.min(attempt, 10)) + 1);
            if (latestMicros != Long.MAX_VALUE && (clock.millis() + backoff) * 1000 > latestMicros) {
                return -1;
            }
            sleep(backoff);
        }
    }

    private static void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the post budget", e);
        }
    }

    /** {@code connections} whose posts wait for this budget (a resume's replay). */
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
