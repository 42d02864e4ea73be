package io.groupcast.core.workers;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupcast.core.store.StoreThrottledException;
import io.groupcast.core.testing.InMemoryPostBudget;
import io.groupcast.core.testing.Outage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The stack-wide post rate: its cost in writes however many workers wait, and throttled reservations. */
class PostRateTest {
    @Test
    void shouldCostOneWritePerChunk_andHoldTheRate_whenAThousandWorkersWait() throws Exception {
        InMemoryPostBudget budget = new InMemoryPostBudget(new Outage());
        int perSecond = 3000;
        long windowMillis = 3000;
        long start = System.currentTimeMillis();
        long deadline = start + windowMillis;
        AtomicLong posts = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        // FanoutWorkerConcurrency 1,000: a thousand containers, each with its own PostRate on the shared budget
        for (int i = 0; i < 1000; i++) {
            PostRate rate = new PostRate(budget, perSecond, Clock.systemUTC());
            Thread worker = new Thread(() -> {
                while (rate.acquire(deadline)) {
                    posts.incrementAndGet();
                }
            });
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join(60_000);
        }

        long elapsed = System.currentTimeMillis() - start;
        // the rate holds: no more than a second's budget per second (one chunk of slack), and it is used
        assertThat(posts.get()).isLessThanOrEqualTo(perSecond * windowMillis / 1000 + PostRate.chunkOf(perSecond));
        assertThat(posts.get()).isGreaterThan(perSecond * windowMillis / 1000 / 2);
        // one write per chunk taken, plus each worker's one refused reservation at the end: no polling
        long chunks = (posts.get() + PostRate.chunkOf(perSecond) - 1) / PostRate.chunkOf(perSecond);
        assertThat(budget.writes()).isLessThanOrEqualTo(chunks + 1000 + 10);
        assertThat(elapsed).isLessThan(windowMillis + 30_000);
    }

    @Test
    void shouldRetryAThrottledReservation_andNotCountItAgainstThePost() {
        AtomicInteger calls = new AtomicInteger();
        PostBudget throttledTwice = (cost, now, latest) -> {
            if (calls.incrementAndGet() <= 2) {
                throw new StoreThrottledException("throttled (test)", null);
            }
            return now;
        };
        PostRate rate = new PostRate(throttledTwice, 100, Clock.systemUTC());

        assertThat(rate.acquire(System.currentTimeMillis() + 10_000)).isTrue();
        assertThat(calls.get()).isEqualTo(3);
    }

    @Test
    void shouldTakeFivePercentOfTheRate_inChunksOfAtMostAThousand() {
        assertThat(PostRate.chunkOf(10)).isEqualTo(1);
        assertThat(PostRate.chunkOf(3000)).isEqualTo(150);
        assertThat(PostRate.chunkOf(10_000)).isEqualTo(500);
        assertThat(PostRate.chunkOf(100_000)).isEqualTo(1000);
        assertThat(PostRate.chunkOf(1_000_000)).isEqualTo(1000);
    }
}
