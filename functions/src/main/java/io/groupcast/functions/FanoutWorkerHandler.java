package io.groupcast.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.groupcast.core.scale.Slice;
import io.groupcast.core.scale.SliceWorker;
import io.groupcast.functions.edge.Invocation;
import io.groupcast.functions.edge.Log;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A fan-out worker, fed by the fan-out queue: each message is one {@link Slice}. Answers Lambda's partial batch
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
        this.maxReceives = wiring.environment().integer("FANOUT_MAX_RECEIVES", 3, 1, 1000);
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("route", "fanout-worker");
            fields.put("messageId", message.getMessageId());
            int receives = receives(message);
            fields.put("receives", receives);
            try {
                Slice slice = Slice.fromJson(message.getBody());
                fields.put("notificationId", slice.notificationId());
                fields.put("slice", slice.id());
                SliceWorker.Outcome outcome = worker.run(slice, Invocation.budget(context), receives >= maxReceives);
                fields.put("outcome", outcome.name().toLowerCase(Locale.ROOT));
                if (outcome == SliceWorker.Outcome.BUSY) {
                    failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                }
                Log.info(context, "slice " + fields.get("outcome"), fields);
            } catch (RuntimeException e) {
                fields.put("lastAttempt", receives >= maxReceives);
                Log.error(context, "slice failed", e, fields);
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
            }
        }
        return new SQSBatchResponse(failures);
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
