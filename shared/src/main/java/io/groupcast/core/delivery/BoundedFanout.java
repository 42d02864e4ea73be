package io.groupcast.core.delivery;

import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.store.MembershipStore;
import io.groupcast.core.store.StoreUnavailableException;
import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Posts concurrently with at most {@code maxInFlight} recipients outstanding (a recipient keeps its slot through its
 * retries), reading recipients as it goes so posting starts before the group's last page is read and memory stays
 * bounded. 429 and 5xx are retried with exponential backoff and full jitter; gone connections are pruned as their
 * 410s arrive; no new post starts once the budget is down to the reserve, and those recipients count as skipped.
 */
public final class BoundedFanout implements Fanout {
    private final Connections connections;
    private final MembershipStore store;
    private final FanoutSettings settings;
    private final ScheduledExecutorService retries;
    private final Executor pruner;
    private final Clock clock;

    /**
     * @param retries runs delayed retries (one thread is plenty: it only starts posts)
     * @param pruner  runs the store deletes of gone connections (blocking calls)
     * @param clock   decides which connections are still inside their connect window
     */
    public BoundedFanout(
            Connections connections,
            MembershipStore store,
            FanoutSettings settings,
            ScheduledExecutorService retries,
            Executor pruner,
            Clock clock) {
        this.connections = Objects.requireNonNull(connections, "connections");
        this.store = Objects.requireNonNull(store, "store");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.retries = Objects.requireNonNull(retries, "retries");
        this.pruner = Objects.requireNonNull(pruner, "pruner");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void prime() {
        connections.prime();
    }

    @Override
    public FanoutResult send(Iterator<Delivery> deliveries, Budget budget) {
        Run run = new Run(budget);
        long reserve = settings.reserve().toMillis();
        int attempted = 0;
        int skipped = 0;
        try {
            while (deliveries.hasNext()) {
                Delivery delivery = deliveries.next();
                if (budget.remainingMillis() <= reserve) {
                    skipped++;
                    continue;
                }
                run.slots.acquireUninterruptibly();
                attempted++;
                run.attempt(delivery.recipient().id(), delivery.frame(), 0);
            }
        } finally {
            run.slots.acquireUninterruptibly(settings.maxInFlight());
        }
        run.awaitPrunes(budget);
        Map<String, Integer> failures = new TreeMap<>();
        run.failures.forEach((reason, count) -> failures.put(reason, count.get()));
        int failed = failures.values().stream().mapToInt(Integer::intValue).sum();
        return new FanoutResult(attempted + skipped, run.delivered.get(), run.gone.get(), failed, skipped, failures);
    }

    /** The state of one fan-out. */
    private final class Run {
        final Semaphore slots = new Semaphore(settings.maxInFlight());
        final AtomicInteger delivered = new AtomicInteger();
        final AtomicInteger gone = new AtomicInteger();
        final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<CompletableFuture<Void>> prunes = new ConcurrentLinkedQueue<>();
        final Budget budget;

        Run(Budget budget) {
            this.budget = budget;
        }

        void attempt(ConnectionId connection, byte[] payload, int retry) {
            CompletableFuture<PostOutcome> post;
            try {
                post = connections.post(connection, payload);
            } catch (RuntimeException e) {
                post = CompletableFuture.completedFuture(PostOutcome.FAILED);
            } catch (Error e) {
                slots.release(); // the invocation is going down: let the fan-out end instead of waiting for it
                throw e;
            }
            post.whenComplete((outcome, error) -> {
                try {
                    settle(connection, payload, retry, error == null && outcome != null ? outcome : PostOutcome.FAILED);
                } catch (RuntimeException e) {
                    fail(PostOutcome.FAILED.reason());
                    slots.release();
                }
            });
        }

        private void settle(ConnectionId connection, byte[] payload, int retry, PostOutcome outcome) {
            if (outcome.retryable()) {
                long delay = backoff(retry);
                if (retry < settings.maxRetries()
                        && budget.remainingMillis() - delay > settings.reserve().toMillis()) {
                    retries.schedule(() -> attempt(connection, payload, retry + 1), delay, TimeUnit.MILLISECONDS);
                    return;
                }
            }
            switch (outcome) {
                case DELIVERED -> delivered.incrementAndGet();
                case GONE -> {
                    gone.incrementAndGet();
                    prunes.add(CompletableFuture.runAsync(() -> prune(connection), pruner));
                }
                default -> fail(outcome.reason());
            }
            slots.release();
        }

        /**
         * Removes a gone connection, unless it is young enough to be still inside {@code $connect}: API Gateway answers
         * 410 for those too, and they are about to open. Such a recipient counts as failed ({@code opening}).
         */
        private void prune(ConnectionId connection) {
            try {
                if (!store.prune(connection, clock.instant().minus(Connection.CONNECT_WINDOW))) {
                    gone.decrementAndGet();
                    fail(FanoutResult.OPENING);
                }
            } catch (StoreUnavailableException e) {
                // The next post to it answers 410 again, and TTL removes it in the end.
            }
        }

        private void fail(String reason) {
            failures.computeIfAbsent(reason, r -> new AtomicInteger()).incrementAndGet();
        }

        void awaitPrunes(Budget budget) {
            long wait = Math.min(budget.remainingMillis() - settings.reserve().toMillis() / 2, 30_000);
            try {
                CompletableFuture.allOf(prunes.toArray(CompletableFuture[]::new))
                        .get(Math.max(wait, 0), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // Whatever is left stays until the next 410 or the TTL; the delivery counts stand.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Full jitter: a uniform delay in [0, min(maxDelay, baseDelay * 2^retry)]. */
    long backoff(int retry) {
        long cap = Math.min(settings.maxDelay().toMillis(), settings.baseDelay().toMillis() << Math.min(retry, 20));
        return ThreadLocalRandom.current().nextLong(cap + 1);
    }
}
