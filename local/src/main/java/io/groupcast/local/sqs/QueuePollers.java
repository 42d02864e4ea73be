package io.groupcast.local.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.core.model.Json;
import io.groupcast.local.apigateway.GatewayLog;
import io.groupcast.local.template.Intrinsics;
import io.groupcast.local.template.SamTemplate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The template's {@code AWS::Lambda::EventSourceMapping}s from its queues to its functions, run as Lambda runs them:
 * up to {@code MaximumConcurrency} pollers each receive a batch of {@code BatchSize}, invoke the function with an
 * {@code SQSEvent}, and delete what succeeded: everything, or with {@code ReportBatchItemFailures} all but the
 * {@code batchItemFailures} it answered. A failed invocation deletes nothing: the messages come back after their
 * visibility timeout.
 */
public final class QueuePollers implements AutoCloseable {
    /** Local pollers per mapping at most, whatever its maximum concurrency. */
    static final int MAX_POLLERS = 8;

    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    private QueuePollers() {}

    /** Starts the pollers of every mapping in {@code template}. */
    public static QueuePollers start(
            SamTemplate template,
            LocalQueues queues,
            Function<String, Function<String, String>> functions,
            GatewayLog log) {
        QueuePollers pollers = new QueuePollers();
        template.resourcesOfType("AWS::Lambda::EventSourceMapping").forEach((id, resource) -> {
            Map<String, Object> properties = SamTemplate.map(resource.get("Properties"));
            String queue = Intrinsics.refTarget(properties.get("EventSourceArn"));
            // `!Ref Function.Alias` names SAM's published alias (AutoPublishAlias): locally, the function itself
            String function =
                    Intrinsics.refTarget(properties.get("FunctionName")).replaceFirst("\\.Alias$", "");
            int batch = Integer.parseInt(String.valueOf(properties.getOrDefault("BatchSize", "10")));
            boolean partial =
                    SamTemplate.list(properties.get("FunctionResponseTypes")).contains("ReportBatchItemFailures");
            Object concurrency =
                    SamTemplate.map(properties.get("ScalingConfig")).get("MaximumConcurrency");
            // a parameter's value is not known here: the mapping's own cap applies on AWS, this one locally
            int count = concurrency instanceof Number n ? Math.min(n.intValue(), MAX_POLLERS) : MAX_POLLERS;
            pollers.add(queues, queue, batch, partial, count, functions.apply(function), log::info);
        });
        return pollers;
    }

    /**
     * Pollers of one queue outside a template (benchmarks and tests): {@code count} threads, each invoking
     * {@code invoke} with an {@code SQSEvent} of up to {@code batch} messages.
     */
    public static QueuePollers start(
            LocalQueues queues,
            String queue,
            int batch,
            int count,
            Function<String, String> invoke,
            Consumer<String> log) {
        QueuePollers pollers = new QueuePollers();
        pollers.add(queues, queue, batch, true, count, invoke, log);
        return pollers;
    }

    private void add(
            LocalQueues queues,
            String queue,
            int batch,
            boolean partial,
            int count,
            Function<String, String> invoke,
            Consumer<String> log) {
        for (int i = 0; i < count; i++) {
            Thread thread =
                    new Thread(() -> poll(queues, queue, batch, partial, invoke, log), "sqs-" + queue + "-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    private void poll(
            LocalQueues queues,
            String queue,
            int batch,
            boolean partial,
            Function<String, String> invoke,
            Consumer<String> log) {
        while (running) {
            List<LocalQueues.Received> received;
            try {
                received = queues.receive(queue, batch, Duration.ofMillis(200));
            } catch (InterruptedException e) {
                return;
            }
            if (received.isEmpty()) {
                continue;
            }
            Set<String> failed = new HashSet<>();
            try {
                JsonNode answer = Json.parse(invoke.apply(event(queue, received).toString()));
                if (partial) {
                    answer.path("batchItemFailures")
                            .forEach(f -> failed.add(f.path("itemIdentifier").asText()));
                }
            } catch (RuntimeException | Error e) {
                log.accept("sqs " + queue + ": the invocation failed (" + e + "); its messages come back after their"
                        + " visibility timeout");
                continue;
            }
            for (LocalQueues.Received message : received) {
                if (!failed.contains(message.messageId())) {
                    queues.delete(queue, message.receiptHandle());
                }
            }
        }
    }

    /** The {@code SQSEvent} Lambda sends for a batch. */
    static ObjectNode event(String queue, List<LocalQueues.Received> received) {
        ObjectNode event = Json.object();
        ArrayNode records = event.putArray("Records");
        for (LocalQueues.Received message : received) {
            ObjectNode record = records.addObject()
                    .put("messageId", message.messageId())
                    .put("receiptHandle", message.receiptHandle())
                    .put("body", message.body())
                    .put("md5OfBody", SqsApi.md5(message.body()))
                    .put("eventSource", "aws:sqs")
                    .put("eventSourceARN", "arn:aws:sqs:us-east-1:000000000000:" + queue)
                    .put("awsRegion", "us-east-1");
            record.putObject("attributes")
                    .put("ApproximateReceiveCount", Integer.toString(message.receiveCount()))
                    .put("SentTimestamp", Long.toString(message.sentAt()))
                    .put("ApproximateFirstReceiveTimestamp", Long.toString(System.currentTimeMillis()));
            record.putObject("messageAttributes");
        }
        return event;
    }

    @Override
    public void close() {
        running = false;
        threads.forEach(Thread::interrupt);
    }
}
