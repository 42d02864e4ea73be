package io.groupcast.local.sqs;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.groupcast.core.delivery.Connections;
import io.groupcast.core.store.dynamodb.DynamoDbTable;
import io.groupcast.core.workers.Slice;
import io.groupcast.core.workers.SliceQueue;
import io.groupcast.functions.FanoutWorkerHandler;
import io.groupcast.functions.ServerApiHandler;
import io.groupcast.functions.Wiring;
import io.groupcast.functions.WiringBuilder;
import io.groupcast.local.lambda.LocalLogger;
import io.groupcast.standins.LambdaContext;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The server API and the fan-out workers wired as the template wires them, on a queue inside this JVM: what the
 * {@code fanout-large} benchmark and the worker fault tests run. The workers' invocations go through Lambda's own
 * {@code SQSEvent} and {@code SQSBatchResponse} serializers, as on AWS.
 */
public final class LocalWorkers implements AutoCloseable {
    /** The queue's name. */
    public static final String QUEUE = "FanoutQueue";
    /** The dead-letter queue's name. */
    public static final String DEAD_LETTERS = QUEUE + "-dlq";

    private final LocalQueues queues;
    private final ServerApiHandler api;
    private final QueuePollers pollers;

    private LocalWorkers(LocalQueues queues, ServerApiHandler api, QueuePollers pollers) {
        this.queues = queues;
        this.api = api;
        this.pollers = pollers;
    }

    /**
     * Starts {@code workers} pollers of a queue with {@code visibility} and {@code maxReceives}; {@code env} is the
     * functions' environment (table, endpoints, {@code FANOUT_MAX_POSTS_PER_SECOND}); the workers post through
     * {@code workerConnections} when given (tests inject faults there).
     */
    public static LocalWorkers start(
            Map<String, String> env,
            int workers,
            Duration visibility,
            int maxReceives,
            Optional<Connections> workerConnections,
            Consumer<String> log) {
        return start(env, workers, visibility, maxReceives, workerConnections, Optional.empty(), log);
    }

    /**
     * As {@link #start(Map, int, Duration, int, Optional, Consumer)}, the workers' store calls going to
     * {@code workerTable} when given (a client with faults injected).
     */
    public static LocalWorkers start(
            Map<String, String> env,
            int workers,
            Duration visibility,
            int maxReceives,
            Optional<Connections> workerConnections,
            Optional<DynamoDbTable> workerTable,
            Consumer<String> log) {
        LocalQueues queues = LocalQueues.single(QUEUE, visibility, maxReceives);
        SliceQueue queue = new SliceQueue() {
            @Override
            public void send(List<Slice> slices) {
                slices.forEach(slice -> queues.send(QUEUE, slice.toJson()));
            }

            @Override
            public void retryIn(String receipt, Duration delay) {
                queues.changeVisibility(QUEUE, receipt, delay);
            }
        };
        Map<String, String> withQueue = new HashMap<>(env);
        withQueue.put("FANOUT_QUEUE_URL", QUEUE);
        withQueue.put("FANOUT_MAX_RECEIVES", Integer.toString(maxReceives));
        withQueue.put("FANOUT_VISIBILITY_SECONDS", Long.toString(visibility.toSeconds()));
        ServerApiHandler api = new ServerApiHandler(
                Wiring.builder(withQueue).with(SliceQueue.class, queue).build());
        WiringBuilder workerWiring = Wiring.builder(withQueue).with(SliceQueue.class, queue);
        workerConnections.ifPresent(c -> workerWiring.with(Connections.class, c));
        workerTable.ifPresent(t -> workerWiring.with(DynamoDbTable.class, t));
        // one handler per poller, as Lambda runs one container per concurrent invocation: each has its own post rate
        ThreadLocal<FanoutWorkerHandler> handlers =
                ThreadLocal.withInitial(() -> new FanoutWorkerHandler(workerWiring.build()));
        ClassLoader loader = FanoutWorkerHandler.class.getClassLoader();
        PojoSerializer<SQSEvent> in = LambdaEventSerializers.serializerFor(SQSEvent.class, loader);
        PojoSerializer<SQSBatchResponse> out = LambdaEventSerializers.serializerFor(SQSBatchResponse.class, loader);
        QueuePollers pollers = QueuePollers.start(
                queues,
                QUEUE,
                1,
                workers,
                json -> {
                    SQSBatchResponse response = handlers.get()
                            .handleRequest(
                                    in.fromJson(json),
                                    LambdaContext.of(
                                            "FanoutWorkerFunction",
                                            Duration.ofSeconds(300),
                                            1769,
                                            LocalLogger.INSTANCE));
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    out.toJson(response, bytes);
                    return bytes.toString(StandardCharsets.UTF_8);
                },
                log);
        return new LocalWorkers(queues, api, pollers);
    }

    /** The queues (the fan-out queue and its dead-letter queue). */
    public LocalQueues queues() {
        return queues;
    }

    /** The server API handler, handing slices to these workers. */
    public ServerApiHandler api() {
        return api;
    }

    @Override
    public void close() {
        pollers.close();
    }
}
