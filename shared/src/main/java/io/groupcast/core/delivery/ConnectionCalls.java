package io.groupcast.core.delivery;

import io.groupcast.core.events.LifecycleEvent;
import io.groupcast.core.events.LifecycleEvents;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.store.MembershipStore;
import io.groupcast.core.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
 * Calls to {@code @connections}, made the one way every path makes them (a notify's posts, presence checks, closing,
 * a resume's replay): at most {@code maxInFlight} outstanding (a call keeps its slot through its retries), 429 and
 * 5xx retried with exponential backoff and full jitter, no new call once the budget is down to the reserve (those
 * count as skipped), and a connection answered 410 Gone pruned from the store, unless it is still inside its connect
 * window: API Gateway answers 410 for those too, and they are about to open (counted as failed, {@code opening}).
 * Targets are read as the calls go, so posting starts before a group's last page is read and memory stays bounded.
 */
public final class ConnectionCalls implements Fanout {
    private final Connections connections;
    private final MembershipStore store;
    private final FanoutSettings settings;
    private final ScheduledExecutorService retries;
    private final Executor pruner;
    private final Clock clock;
    private final LifecycleEvents events;

    /** One call to one connection: a post, a check or a close; its future never completes exceptionally. */
    @FunctionalInterface
    public interface Call {
        CompletableFuture<PostOutcome> to(ConnectionId connection);
    }

    /**
     * @param retries runs delayed retries (one thread is plenty: it only starts calls)
     * @param pruner  runs the store deletes of gone connections (blocking calls)
     * @param clock   decides which connections are still inside their connect window
     */
    public ConnectionCalls(
            Connections connections,
            MembershipStore store,
            FanoutSettings settings,
            ScheduledExecutorService retries,
            Executor pruner,
            Clock clock) {
        this(connections, store, settings, retries, pruner, clock, LifecycleEvents.NONE);
    }

    /** As the other constructor; each connection pruned is put as a {@code Disconnected} event with reason gone. */
    public ConnectionCalls(
            Connections connections,
            MembershipStore store,
            FanoutSettings settings,
            ScheduledExecutorService retries,
            Executor pruner,
            Clock clock,
            LifecycleEvents events) {
        this.events = Objects.requireNonNull(events, "events");
        this.connections = Objects.requireNonNull(connections, "connections");
        this.store = Objects.requireNonNull(store, "store");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.retries = Objects.requireNonNull(retries, "retries");
        this.pruner = Objects.requireNonNull(pruner, "pruner");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The time kept in reserve at the end of a budget: no call starts with less left. */
    public Duration reserve() {
        return settings.reserve();
    }

    /** The connections these calls reach. */
    public Connections connections() {
        return connections;
    }

    @Override
    public void prime() {
        connections.prime();
    }

    /** Posts each delivery (a recipient and its frame) within {@code budget}. */
    @Override
    public FanoutResult send(Iterator<Delivery> deliveries, Budget budget) {
        Run run = start(budget);
        try {
            while (deliveries.hasNext()) {
                Delivery delivery = deliveries.next();
                byte[] frame = delivery.frame();
                run.call(delivery.recipient().id(), id -> connections.post(id, frame));
            }
        } finally {
            run.drain();
        }
        return run.finish();
    }

    /** Makes {@code call} to each target within {@code budget}: a post answered 2xx counts as delivered. */
    public FanoutResult each(List<ConnectionId> targets, Call call, Budget budget) {
        Run run = start(budget);
        try {
            targets.forEach(target -> run.call(target, call));
        } finally {
            run.drain();
        }
        return run.finish();
    }

    /** A run of calls within {@code budget}, made one by one with {@link Run#call}, ended with {@link Run#finish}. */
    public Run start(Budget budget) {
        return new Run(budget);
    }

    /** The state of one run of calls. */
    public final class Run {
        private final Semaphore slots = new Semaphore(settings.maxInFlight());
        private final AtomicInteger delivered = new AtomicInteger();
        private final AtomicInteger gone = new AtomicInteger();
        private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
        private final ConcurrentLinkedQueue<CompletableFuture<Void>> prunes = new ConcurrentLinkedQueue<>();
        private final Budget budget;
        private int attempted;
        private int skipped;
        private boolean drained;

        private Run(Budget budget) {
            this.budget = budget;
        }

        /**
         * Makes {@code call} to {@code connection} once a slot is free, unless the budget is down to the reserve;
         * answers whether it was made (a call not made counts as skipped).
         */
        public boolean call(ConnectionId connection, Call call) {
            if (budget.remainingMillis() <= settings.reserve().toMillis()) {
                skipped++;
                return false;
            }
            slots.acquireUninterruptibly();
            attempted++;
            attempt(connection, call, 0);
            return true;
        }

        /** Waits until every call made so far has its outcome. */
        public void drain() {
            if (!drained) {
                slots.acquireUninterruptibly(settings.maxInFlight());
                slots.release(settings.maxInFlight());
            }
        }

        /** Waits for the calls and the prunes they started (within the budget), and counts them. */
        public FanoutResult finish() {
            drain();
            drained = true;
            awaitPrunes();
            Map<String, Integer> reasons = new TreeMap<>();
            failures.forEach((reason, count) -> reasons.put(reason, count.get()));
            int failed = reasons.values().stream().mapToInt(Integer::intValue).sum();
            return new FanoutResult(attempted + skipped, delivered.get(), gone.get(), failed, skipped, reasons);
        }

        private void attempt(ConnectionId connection, Call call, int retry) {
            CompletableFuture<PostOutcome> outcome;
            try {
                outcome = call.to(connection);
            } catch (RuntimeException e) {
                outcome = CompletableFuture.completedFuture(PostOutcome.FAILED);
            } catch (Error e) {
                slots.release(); // the invocation is going down: let the run end instead of waiting for it
                throw e;
            }
            outcome.whenComplete((answer, error) -> {
                try {
                    settle(connection, call, retry, error == null && answer != null ? answer : PostOutcome.FAILED);
                } catch (RuntimeException e) {
                    fail(PostOutcome.FAILED.reason());
                    slots.release();
                }
            });
        }

        private void settle(ConnectionId connection, Call call, int retry, PostOutcome outcome) {
            if (outcome.retryable()) {
                long delay = backoff(retry);
                if (retry < settings.maxRetries()
                        && budget.remainingMillis() - delay > settings.reserve().toMillis()) {
                    retries.schedule(() -> attempt(connection, call, retry + 1), delay, TimeUnit.MILLISECONDS);
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

        /** Removes a gone connection, unless it is young enough to be still inside {@code $connect}. */
        private void prune(ConnectionId connection) {
            try {
                if (!store.prune(connection, clock.instant().minus(Connection.CONNECT_WINDOW))) {
                    gone.decrementAndGet();
                    fail(FanoutResult.OPENING);
                } else if (events.enabled()) {
                    events.put(LifecycleEvent.disconnected(connection, Optional.empty(), "gone", clock.instant()));
                }
            } catch (StoreUnavailableException e) {
                // The next call to it answers 410 again, and TTL removes it in the end.
            }
        }

        private void fail(String reason) {
            failures.computeIfAbsent(reason, r -> new AtomicInteger()).incrementAndGet();
        }

        private void awaitPrunes() {
            long wait = Math.min(budget.remainingMillis() - settings.reserve().toMillis() / 2, 30_000);
            try {
                CompletableFuture.allOf(prunes.toArray(CompletableFuture[]::new))
                        .get(Math.max(wait, 0), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // Whatever is left stays until the next 410 or the TTL; the counts stand.
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
