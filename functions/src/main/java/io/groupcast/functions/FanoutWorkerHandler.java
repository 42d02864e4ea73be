package io.groupcast.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.groupcast.core.workers.Slice;
import io.groupcast.core.workers.SliceWorker;
import io.groupcast.functions.edge.Invocation;
import io.groupcast.functions.edge.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A fan-out worker, fed by the fan-out queue: each message is one {@link Slice}, run as one {@link Invocation} (its
 * log line, its delivery metrics, its errors mapped as every handler's are). Answers Lambda's partial batch
 * response: a slice that failed (or that another worker holds) goes back to the queue, and after
 * {@code FANOUT_MAX_RECEIVES} deliveries to the dead-letter queue, recorded as dead in its notification's status.
 */
public final class FanoutWorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final SliceWorker worker;
    private final int maxReceives;

    /** Lambda's: wired from the process environment. */
    public FanoutWorkerHandler() {
        this(Wiring.ofProcess());
    }

    /** Wired by {@code wiring} (the local gateway, tests, the benchmark). */
    public FanoutWorkerHandler(Wiring wiring) {
        this.worker = wiring.sliceWorker();
        this.maxReceives = wiring.workerSettings().maxReceives();
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            int receives = receives(message);
            boolean done = Invocation.of(context, "fanout-worker")
                    .with("messageId", message.getMessageId())
                    .with("receives", receives)
                    .with("lastAttempt", receives >= maxReceives)
                    .answer(() -> slice(message, receives, context), 500, (status, code, text) -> false);
            if (!done) {
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
            }
        }
        return new SQSBatchResponse(failures);
    }

    /** Runs one slice; answers whether the queue may forget it (false: deliver it again later). */
    private Outcome<Boolean> slice(SQSEvent.SQSMessage message, int receives, Context context) {
        long started = System.nanoTime();
        Slice slice = Slice.fromJson(message.getBody());
        SliceWorker.Result result = worker.run(slice, Invocation.budget(context), receives >= maxReceives);
        String outcome = result.outcome().name().toLowerCase(Locale.ROOT);
        return Outcome.of(result.outcome() != SliceWorker.Outcome.BUSY, "slice " + outcome)
                .with("notificationId", slice.notificationId())
                .with("slice", slice.id())
                .with("outcome", outcome)
                .fanout(result.counts(), (System.nanoTime() - started) / 1_000_000);
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
