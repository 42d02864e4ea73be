package io.groupcast.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.core.config.AwsClients;
import io.groupcast.core.config.Environment;
import io.groupcast.core.delivery.Budget;
import io.groupcast.core.delivery.ConnectionCalls;
import io.groupcast.core.delivery.Connections;
import io.groupcast.core.delivery.FanoutSettings;
import io.groupcast.core.delivery.PostOutcome;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Json;
import io.groupcast.core.notify.Idempotency;
import io.groupcast.core.notify.Notifier;
import io.groupcast.core.notify.NotifyRequest;
import io.groupcast.core.notify.NotifyResult;
import io.groupcast.core.store.dynamodb.DynamoDbIdempotencyStore;
import io.groupcast.core.store.dynamodb.DynamoDbMembershipStore;
import io.groupcast.core.store.dynamodb.DynamoDbStreamLog;
import io.groupcast.core.store.dynamodb.DynamoDbTable;
import io.groupcast.core.streams.Streams;
import io.groupcast.standins.LoopbackManagementApi;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

/**
 * N connections in one group (dynalite), a loopback management API answering each post after a latency: Groupcast's
 * notify against a sequential loop over the same connections and against the ideal bound, in the same run.
 */
final class FanoutScenario {
    /** Above this many connections the sequential loop is measured on this many and extrapolated. */
    static final int SEQUENTIAL_SAMPLE = 1000;
    /** Groupcast's notify runs this many times; the median is reported, every run is checked. */
    static final int REPEAT = 5;

    private FanoutScenario() {}

    /** A notifier posting through {@code connections}, streams on. */
    private static Notifier notifier(DynamoDbMembershipStore store, Connections connections, FanoutSettings settings) {
        ConnectionCalls calls = AwsClients.calls(store, connections, settings);
        Streams streams = new Streams(
                new DynamoDbStreamLog(store.table()),
                store,
                calls,
                Streams.DEFAULT_WINDOW,
                Streams.newBackground(),
                Clock.systemUTC());
        return new Notifier(store, calls, streams, idempotency(store), Clock.systemUTC());
    }

    /** Idempotency records on the store's table (a notify without a key writes none). */
    static Idempotency idempotency(DynamoDbMembershipStore store) {
        return new Idempotency(new DynamoDbIdempotencyStore(store.table()), Clock.systemUTC());
    }

    static ObjectNode run(BenchSetup setup, int size, int latencyMs, int inFlight) throws Exception {
        String table = setup.newTable();
        DynamoDbMembershipStore store = new DynamoDbMembershipStore(new DynamoDbTable(setup.dynamo, table));
        try (LoopbackManagementApi api = LoopbackManagementApi.start()) {
            GroupName group = GroupName.of("bench-" + size);
            List<String> ids =
                    IntStream.range(0, size).mapToObj(i -> "c" + i + "-bench=").toList();
            Progress.say("fanout " + size + ": writing " + size + " memberships");
            Instant expires = Instant.now().plus(Connection.LIFETIME);
            parallel(ids, id -> {
                store.join(ConnectionId.of(id), group, expires);
                api.open(id);
            });
            Connections connections = AwsClients.from(
                            Environment.of(setup.env(api.endpoint().toString())))
                    .connections(inFlight);
            Connections sdk = SdkConnections.create(api.endpoint(), inFlight);
            FanoutSettings settings = FanoutSettings.defaults().withMaxInFlight(inFlight);
            Notifier notifier = notifier(store, connections, settings);
            api.latency(Duration.ofMillis(latencyMs));
            Notifier sdkNotifier = notifier(store, sdk, settings);
            warmUp(store, api, expires, notifier, connections, inFlight);
            warmUp(store, api, expires, sdkNotifier, sdk, inFlight);

            long readStarted = System.nanoTime();
            long read = store.members(group, Instant.now()).count();
            long readMs = (System.nanoTime() - readStarted) / 1_000_000;

            List<Long> runs = new ArrayList<>();
            long cpuNanos = 0;
            NotifyResult result = null;
            long wrong = 0;
            for (int run = 0; run < REPEAT; run++) {
                Progress.say("fanout " + size + ": Groupcast notify, run " + (run + 1) + " of " + REPEAT);
                String marker = "{\"bench\":\"groupcast-" + size + "-" + run + "\"}";
                long started = System.nanoTime();
                long cpuStarted = Machine.processCpuNanos();
                result = notifier.notify(
                        NotifyRequest.parse("{\"group\":\"" + group + "\",\"message\":" + marker + "}"),
                        Budget.unlimited());
                runs.add((System.nanoTime() - started) / 1_000_000);
                cpuNanos += Machine.processCpuNanos() - cpuStarted;
                wrong += wrongFrames(api, ids, marker) + size - result.delivered();
            }
            long groupcastMs = runs.stream().sorted().toList().get(REPEAT / 2);

            Progress.say("fanout " + size + ": the same fan-out through the SDK's management API client");
            String sdkMarker = "{\"bench\":\"sdk-" + size + "\"}";
            long sdkStarted = System.nanoTime();
            NotifyResult sdkResult = sdkNotifier.notify(
                    NotifyRequest.parse("{\"group\":\"" + group + "\",\"message\":" + sdkMarker + "}"),
                    Budget.unlimited());
            long sdkClientMs = (System.nanoTime() - sdkStarted) / 1_000_000;

            int sample = Math.min(size, SEQUENTIAL_SAMPLE);
            Progress.say("fanout " + size + ": sequential loop over " + sample + " connections");
            byte[] naive = "{\"bench\":\"sequential\"}".getBytes(StandardCharsets.UTF_8);
            long seqStarted = System.nanoTime();
            int sequentialDelivered = 0;
            for (String id : ids.subList(0, sample)) {
                if (connections.post(ConnectionId.of(id), naive).join() == PostOutcome.DELIVERED) {
                    sequentialDelivered++;
                }
            }
            long sampleMs = (System.nanoTime() - seqStarted) / 1_000_000;
            long sequentialMs = sampleMs * size / sample;
            long idealMs = (long) Math.ceil(size / (double) inFlight) * latencyMs;

            ObjectNode line = Json.object()
                    .put("scenario", "fanout")
                    .put("connections", size)
                    .put("latencyMs", latencyMs)
                    .put("inFlight", inFlight)
                    .put("groupcastMs", groupcastMs)
                    .put("postsPerSecond", Math.round(size * 1000.0 / Math.max(1, groupcastMs)))
                    .put("cpuMsPer1000Posts", Math.round(cpuNanos / 1e6 / (REPEAT * size / 1000.0) * 10) / 10.0)
                    .put("jit", Machine.jit())
                    .put("sequentialMs", sequentialMs)
                    .putPOJO("groupcastRunsMs", runs)
                    .put("sequentialMeasuredOn", sample)
                    .put("sequentialExtrapolated", sample < size)
                    .put("idealMs", idealMs)
                    .put("readMs", readMs)
                    .put("readCount", read)
                    .put("sdkClientMs", sdkClientMs)
                    .put("sdkClientDelivered", sdkResult.delivered())
                    .put("speedup", round(sequentialMs / (double) Math.max(groupcastMs, 1)))
                    .put("efficiency", round(idealMs / (double) Math.max(groupcastMs, 1)))
                    .put("delivered", result.delivered())
                    .put("gone", result.gone())
                    .put("failed", result.failed())
                    .put("wrongDeliveries", wrong + (sample - sequentialDelivered))
                    .put("ok", wrong == 0 && result.delivered() == size && sequentialDelivered == sample);
            line.set("machine", Machine.describe());
            return line;
        }
    }

    /** Notifies and posts on a small group first, so connections and the JIT are warm for both contenders. */
    private static void warmUp(
            DynamoDbMembershipStore store,
            LoopbackManagementApi api,
            Instant expires,
            Notifier notifier,
            Connections connections,
            int inFlight)
            throws Exception {
        GroupName warm = GroupName.of("warm-up");
        List<String> ids = IntStream.range(0, Math.max(1000, inFlight * 3))
                .mapToObj(i -> "warm" + i)
                .toList();
        parallel(ids, id -> {
            store.join(ConnectionId.of(id), warm, expires);
            api.open(id);
        });
        for (int round = 0; round < 8; round++) {
            notifier.notify(NotifyRequest.parse("{\"group\":\"warm-up\",\"message\":0}"), Budget.unlimited());
            for (String id : ids.subList(0, 20)) {
                connections.post(ConnectionId.of(id), new byte[] {'0'}).join();
            }
        }
    }

    interface Task {
        void run(String id) throws Exception;
    }

    static void parallel(List<String> ids, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Callable<Void>> calls = ids.stream()
                    .map(id -> (Callable<Void>) () -> {
                        task.run(id);
                        return null;
                    })
                    .toList();
            for (var future : pool.invokeAll(calls)) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    /** Connections that did not get exactly one frame {@code marker}. */
    static long wrongFrames(LoopbackManagementApi api, List<String> ids, String marker) {
        return ids.stream()
                .filter(id -> api.frames(id).stream().filter(marker::equals).count() != 1)
                .count();
    }
}
