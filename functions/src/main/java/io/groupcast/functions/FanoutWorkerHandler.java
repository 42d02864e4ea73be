package io.groupcast.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.groupcast.core.model.ErrorCode;
import io.groupcast.core.store.StoreUnavailableException;
import io.groupcast.core.workers.Slice;
import io.groupcast.core.workers.SliceQueue;
import io.groupcast.core.workers.SliceWorker;
import io.groupcast.functions.edge.Invocation;
import io.groupcast.functions.edge.Log;
import io.groupcast.functions.edge.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A fan-out worker, fed by the fan-out queue: each message is one {@link Slice}, run as one {@link Invocation} (its
 * log line, its delivery metrics, its errors mapped as every handler's are). Answers Lambda's partial batch
 * response: a slice that failed (or that another worker holds) goes back to the queue, and after
 * {@code FANOUT_MAX_RECEIVES} deliveries to the dead-letter queue, recorded as dead in its notification's status. A
 * slice that failed for a transient reason (the store unavailable or throttled) or that another worker holds is made
 * visible again soon ({@link #retryDelay}), not after the queue's whole visibility timeout. A slice that does not
 * match its notification's record is refused: logged, and acknowledged.
 */
public final class FanoutWorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    /** The first retry of a slice that failed for a transient reason comes within this, the next within 3 times it. */
    static final Duration RETRY_BASE = Duration.ofSeconds(2);

    private final SliceWorker worker;
    private final Optional<SliceQueue> queue;
    private final int maxReceives;
    private final Duration visibility;

    /** Lambda's: wired from the process environment. */
    public FanoutWorkerHandler() {
        this(Wiring.ofProcess());
    }

    /** Wired by {@code wiring} (the local gateway, tests, the benchmark). */
    public FanoutWorkerHandler(Wiring wiring) {
        this.worker = wiring.sliceWorker();
        this.queue = wiring.sliceQueue();
        this.maxReceives = wiring.workerSettings().maxReceives();
        this.visibility = wiring.workerSettings().visibility();
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            int receives = receives(message);
            Optional<Duration> retry = Invocation.of(context, "fanout-worker")
                    .with("messageId", message.getMessageId())
                    .with("receives", receives)
                    .with("lastAttempt", receives >= maxReceives)
                    .answer(
                            () -> slice(message, receives, context),
                            500,
                            (status, code, text) -> Optional.of(
                                    code == ErrorCode.STORE_UNAVAILABLE ? retryDelay(receives) : visibility));
            if (retry.isPresent()) {
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                retryIn(message, retry.get(), context);
            }
        }
        return new SQSBatchResponse(failures);
    }

    /** Runs one slice; answers when to deliver it again (empty: the queue may forget it). */
    private Outcome<Optional<Duration>> slice(SQSEvent.SQSMessage message, int receives, Context context) {
        long started = System.nanoTime();
        Slice slice = Slice.fromJson(message.getBody());
        SliceWorker.Result result = worker.run(slice, Invocation.budget(context), receives >= maxReceives);
        String outcome = result.outcome().name().toLowerCase(Locale.ROOT);
        Optional<Duration> retry = result.outcome() == SliceWorker.Outcome.BUSY
                ? Optional.of(result.retryAfter().plus(jitter(RETRY_BASE)))
                : Optional.empty();
        Outcome<Optional<Duration>> answer = Outcome.of(retry, "slice " + outcome)
                .with("notificationId", slice.notificationId())
                .with("slice", slice.id())
                .with("outcome", outcome)
                .fanout(result.counts(), (System.nanoTime() - started) / 1_000_000);
        if (result.outcome() == SliceWorker.Outcome.REFUSED) {
            // a slice no notify queued: a forged or corrupted message on the queue
            answer = answer.with("reason", result.reason()).warnWhen(true);
        }
        return answer;
    }

    /**
     * When a slice that failed for a transient reason on its {@code receives}-th delivery is tried again: full
     * jitter up to {@link #RETRY_BASE} times 3 to the power of the deliveries so far (2 s, 6 s, 18 s, ...), at least
     * a second, at most the visibility timeout.
     */
    Duration retryDelay(int receives) {
        long cap = RETRY_BASE.toMillis() * (long) Math.pow(3, Math.min(10, Math.max(0, receives - 1)));
        long millis = Math.max(1000, ThreadLocalRandom.current().nextLong(cap + 1));
        return Duration.ofMillis(Math.min(millis, visibility.toMillis()));
    }

    private static Duration jitter(Duration upTo) {
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(upTo.toMillis() + 1));
    }

    /** Asks the queue to deliver {@code message} again after {@code delay}; without a queue, its timeout applies. */
    private void retryIn(SQSEvent.SQSMessage message, Duration delay, Context context) {
        if (queue.isEmpty() || message.getReceiptHandle() == null || delay.compareTo(visibility) >= 0) {
            return;
        }
        try {
            queue.get().retryIn(message.getReceiptHandle(), delay);
        } catch (StoreUnavailableException | IllegalStateException e) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("route", "fanout-worker");
            fields.put("messageId", message.getMessageId());
            Log.warn(context, "the slice comes back after the visibility timeout: " + e.getMessage(), fields);
        }
    }

    private static int receives(SQSEvent.SQSMessage message) {
        Map<String, String> attributes = message.getAttributes();
        String count = attributes == null ? null : attributes.get("ApproximateReceiveCount");
        try {
            return count == null ? 1 : Integer.parseInt(count);
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
