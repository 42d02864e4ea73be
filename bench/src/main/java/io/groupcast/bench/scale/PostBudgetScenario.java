package io.groupcast.bench.scale;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.bench.BenchSetup;
import io.groupcast.bench.Machine;
import io.groupcast.bench.Progress;
import io.groupcast.core.model.Json;
import io.groupcast.core.store.StoreUnavailableException;
import io.groupcast.core.store.dynamodb.DynamoDbPostBudget;
import io.groupcast.core.store.dynamodb.DynamoDbTable;
import io.groupcast.core.workers.PostRate;
import io.groupcast.standins.DynamoDbFaults;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code post-budget}: what the stack-wide post budget costs in writes. W workers (threads, each with its own
 * {@code PostRate}, as each worker container has) take posts from one {@code DynamoDbPostBudget} in dynalite as fast
 * as it lets them for S seconds, at a budget of R posts a second, posting nothing; with throttling injected on a share
 * of the budget's calls. It counts the budget item's writes (every attempt, throttled or not) and the posts granted.
 * The workers start over the first 3 s; the writes of the window's second half are its steady rate. It fails unless the posts granted stay within the budget (one chunk of
 * slack) and reach at least 80 % of it.
 */
public final class PostBudgetScenario {
    /** The workers start over this long, as Lambda scales an event source mapping up, not all at once. */
    static final long RAMP_MILLIS = 3000;

    private PostBudgetScenario() {}

    private static void pause(long millis) {
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public static ObjectNode run(BenchSetup setup, int rate, int workers, int seconds, int throttlePermille)
            throws Exception {
        DynamoDbFaults faults =
                new DynamoDbFaults().throttle(throttlePermille / 1000.0).counting(DynamoDbFaults.budgetUpdates());
        DynamoDbTable table = new DynamoDbTable(PatientDynamo.client(setup, faults), setup.newTable());
        DynamoDbPostBudget budget = new DynamoDbPostBudget(table);
        Progress.say("post-budget: " + workers + " workers at " + rate + " posts/s for " + seconds + " s");
        AtomicLong posts = new AtomicLong();
        long start = System.currentTimeMillis();
        long deadline = start + seconds * 1000L;
        List<Thread> threads = new ArrayList<>();
        AtomicLong failures = new AtomicLong();
        for (int i = 0; i < workers; i++) {
            PostRate postRate = new PostRate(budget, rate, Clock.systemUTC());
            long startAt = start + RAMP_MILLIS * i / workers;
            Thread thread = new Thread(() -> {
                pause(startAt - System.currentTimeMillis());
                while (System.currentTimeMillis() < deadline) {
                    try {
                        while (postRate.acquire(deadline)) {
                            posts.incrementAndGet();
                        }
                        return;
                    } catch (StoreUnavailableException e) {
                        failures.incrementAndGet(); // a slice failed for it: the queue delivers it again soon
                        pause(1000);
                    }
                }
            });
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        // the writes of the second half of the window: every worker started and waiting its turn
        pause(start + seconds * 500L - System.currentTimeMillis());
        int halfway = faults.counted();
        long halfwayAt = System.currentTimeMillis();
        pause(deadline - System.currentTimeMillis());
        int atEnd = faults.counted();
        double steady = (atEnd - halfway) * 1000.0 / Math.max(1, System.currentTimeMillis() - halfwayAt);
        for (Thread thread : threads) {
            thread.join();
        }
        double elapsed = (System.currentTimeMillis() - start) / 1000.0;
        long granted = posts.get();
        int chunk = PostRate.chunkOf(rate);
        boolean ok = granted <= (long) rate * seconds + chunk && granted >= 0.8 * rate * seconds;
        ObjectNode line = Json.object()
                .put("scenario", "post-budget")
                .put(
                        "case",
                        (rate % 1000 == 0 ? rate / 1000 + "k" : Integer.toString(rate))
                                + (throttlePermille > 0 ? " throttled" : ""))
                .put("ratePerSecond", rate)
                .put("workers", workers)
                .put("seconds", seconds)
                .put("throttledShare", throttlePermille / 1000.0)
                .put("chunk", chunk)
                .put("postsGranted", granted)
                .put("postsPerSecond", Math.round(granted / (double) seconds))
                .put("budgetWrites", faults.counted())
                .put("budgetWritesPerSecond", Math.round(faults.counted() / elapsed))
                .put("steadyWritesPerSecond", Math.round(steady))
                .put("throttledInjected", faults.injected())
                .put("budgetFailures", failures.get())
                .put("ok", ok);
        line.set("machine", Machine.describe());
        return line;
    }
}
