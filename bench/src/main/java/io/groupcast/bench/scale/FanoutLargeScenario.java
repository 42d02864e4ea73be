package io.groupcast.bench.scale;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.bench.BenchSetup;
import io.groupcast.bench.Machine;
import io.groupcast.bench.Progress;
import io.groupcast.core.config.AwsClients;
import io.groupcast.core.config.Environment;
import io.groupcast.core.config.Settings;
import io.groupcast.core.delivery.Connections;
import io.groupcast.core.delivery.PostOutcome;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Json;
import io.groupcast.core.store.dynamodb.DynamoDbMembershipStore;
import io.groupcast.core.store.dynamodb.DynamoDbTable;
import io.groupcast.core.workers.Slice;
import io.groupcast.local.sqs.LocalWorkers;
import io.groupcast.standins.DynamoDbFaults;
import io.groupcast.standins.LoopbackManagementApi;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * {@code fanout-large}: an async notify to one group of N connections through the fan-out workers, with no real
 * sockets. N memberships in dynalite (both sides, as joins write them); a loopback management API that answers
 * each post after 20 ms, throttles with a token bucket (429 above the rate) and answers 410 for 1% of the
 * connections. The workers share {@code FANOUT_MAX_POSTS_PER_SECOND} = the bucket's rate. It fails unless every live
 * connection got exactly one post, every gone one was pruned, nothing was skipped, and the whole took at most
 * 1.15 × N / rate.
 */
public final class FanoutLargeScenario {
    static final String GROUP = "large";

    private FanoutLargeScenario() {}

    /**
     * The faults injected: a share (per mille) of the workers' DynamoDB calls throttled (through the SDK's own
     * retries), {@code kills} worker invocations killed at their first post to a chosen connection (their slice
     * comes back after {@code visibilitySeconds}).
     */
    public record Faults(int throttlePermille, int kills, int visibilitySeconds) {
        public static final Faults NONE = new Faults(0, 0, 1800);
    }

    /** A worker invocation that dies in the middle of a slice, as when Lambda ends it. */
    static final class Killed extends Error {
        private static final long serialVersionUID = 1L;

        Killed() {
            super("killed in the middle of a slice (benchmark)");
        }
    }

    public static ObjectNode run(BenchSetup setup, int n, int rate, int workerCount) throws Exception {
        return run(setup, n, rate, workerCount, Faults.NONE);
    }

    public static ObjectNode run(BenchSetup setup, int n, int rate, int workerCount, Faults faults) throws Exception {
        String table = setup.newTable();
        try (LoopbackManagementApi api = LoopbackManagementApi.start()) {
            List<String> ids = ids(n);
            Set<String> gone = new HashSet<>();
            for (int i = 0; i < n; i++) {
                if (i % 100 == 0) {
                    gone.add(ids.get(i));
                } else {
                    api.open(ids.get(i));
                }
            }
            long writing = System.nanoTime();
            write(setup, table, ids, id -> GROUP);
            long writeMs = (System.nanoTime() - writing) / 1_000_000;
            Progress.say("fanout-large: " + n + " memberships written in " + writeMs + " ms; notifying at " + rate
                    + " posts/s with " + workerCount + " workers");

            Map<String, String> env = new HashMap<>(setup.env(api.endpoint().toString()));
            env.put("TABLE_NAME", table);
            env.put("FANOUT_MAX_POSTS_PER_SECOND", Integer.toString(rate));
            env.put("FANOUT_MAX_RETRIES", "10");
            env.put("LOG_LEVEL", "WARN");
            api.latency(Duration.ofMillis(20));
            api.throttle(rate);
            DynamoDbFaults injected = new DynamoDbFaults()
                    .throttle(faults.throttlePermille() / 1000.0)
                    .counting(DynamoDbFaults.budgetUpdates());
            AwsClients clients = AwsClients.from(Environment.of(env));
            DynamoDbTable workerTable = new DynamoDbTable(PatientDynamo.client(setup, injected), table);
            Set<String> victims = victims(ids, gone, faults.kills());
            Connections posting =
                    clients.connections(Settings.fanout(Environment.of(env)).maxInFlight());
            Set<String> killed = ConcurrentHashMap.newKeySet();
            Connections dying = dying(posting, victims, killed);
            try (LocalWorkers workers = LocalWorkers.start(
                    env,
                    workerCount,
                    Duration.ofSeconds(faults.visibilitySeconds()),
                    3,
                    Optional.of(dying),
                    Optional.of(workerTable),
                    line -> {})) {
                long started = System.nanoTime();
                JsonNode accepted = call(
                        workers, "POST /notify", null, "{\"group\":\"" + GROUP + "\",\"async\":true,\"message\":1}");
                String id = accepted.path("notificationId").asText();
                JsonNode status = completed(workers, api, id);
                long elapsedMs = (System.nanoTime() - started) / 1_000_000;

                Map<String, Integer> counts = api.deliveredCounts();
                long exactlyOnce = ids.stream()
                        .filter(c -> !gone.contains(c))
                        .filter(c -> counts.getOrDefault(c, 0) == 1)
                        .count();
                DynamoDbMembershipStore store = new DynamoDbMembershipStore(new DynamoDbTable(setup.dynamo, table));
                long goneLeft = store.members(GroupName.of(GROUP), Instant.now())
                        .filter(gone::contains)
                        .count();
                double boundMs = 1.15 * n / rate * 1000 + faults.kills() * faults.visibilitySeconds() * 1000.0;
                Twice twice = twice(ids, gone, counts);
                boolean faulty = faults.kills() > 0 || faults.throttlePermille() > 0;
                boolean ok = (faulty ? twice.everyLiveReached() : exactlyOnce == n - gone.size())
                        && twice.maxPosts() <= 2
                        && twice.longestRun() <= Slice.SIZE
                        && goneLeft == 0
                        && status.path("skipped").asLong() == 0
                        // with faults, what each connection received is the measure: a post that timed out on a
                        // loaded machine may have arrived though it counts as failed
                        && (faulty || status.path("delivered").asLong() == n - gone.size())
                        && elapsedMs <= boundMs;
                ObjectNode line = Json.object()
                        .put("scenario", "fanout-large")
                        .put("case", faulty ? "faults" : "clean")
                        .put("connections", n)
                        .put("gone", gone.size())
                        .put("ratePerSecond", rate)
                        .put("workers", workerCount)
                        .put("writeMs", writeMs)
                        .put("elapsedMs", elapsedMs)
                        .put("boundMs", Math.round(boundMs))
                        .put("postsPerSecond", Math.round(api.posts() * 1000.0 / elapsedMs))
                        .put("posts", api.posts())
                        .put("throttled429", api.throttled())
                        .put("delivered", status.path("delivered").asLong())
                        .put("goneReported", status.path("gone").asLong())
                        .put("skipped", status.path("skipped").asLong())
                        .put("failed", status.path("failed").asLong())
                        .put("slices", status.path("slices").path("total").asInt())
                        .put("liveExactlyOnce", exactlyOnce)
                        .put("goneLeftInGroup", goneLeft)
                        .put("throttledShare", faults.throttlePermille() / 1000.0);
                faultFields(line, injected, killed.size(), twice, elapsedMs).put("ok", ok);
                line.set("machine", Machine.describe());
                return line;
            }
        }
    }

    /** The notification's status once completed, saying how far it got every 10 s. */
    private static JsonNode completed(LocalWorkers workers, LoopbackManagementApi api, String id)
            throws InterruptedException {
        long lastSaid = 0;
        for (; ; ) {
            JsonNode status = call(workers, "GET /notifications/{notificationId}", id, null);
            if (status.path("status").asText().equals("completed")) {
                return status;
            }
            if (System.nanoTime() - lastSaid > 10_000_000_000L) {
                lastSaid = System.nanoTime();
                Progress.say("fanout-large: " + api.posts() + " posts, " + status.path("slices"));
            }
            Thread.sleep(100);
        }
    }

    /** Posts through {@code posting}, but the first post to each victim kills its worker. */
    private static Connections dying(Connections posting, Set<String> victims, Set<String> killed) {
        return new Connections() {
            @Override
            public CompletableFuture<PostOutcome> post(ConnectionId connection, byte[] payload) {
                if (victims.contains(connection.value()) && killed.add(connection.value())) {
                    throw new Killed();
                }
                return posting.post(connection, payload);
            }
        };
    }

    /** What the faults did: throttles injected, workers killed, connections posted twice, the budget's writes. */
    private static ObjectNode faultFields(
            ObjectNode line, DynamoDbFaults injected, int kills, Twice twice, long elapsedMs) {
        return line.put("throttledInjected", injected.injected())
                .put("dynamoCalls", injected.calls())
                .put("kills", kills)
                .put("postedTwice", twice.postedTwice())
                .put("rangesPostedTwice", twice.runs())
                .put("longestRangePostedTwice", twice.longestRun())
                .put("maxPostsToOne", twice.maxPosts())
                .put("budgetWrites", injected.counted())
                .put("budgetWritesPerSecond", Math.round(injected.counted() * 1000.0 / elapsedMs));
    }

    /** Live connections posted twice, as runs of neighbours in key order (one run: one slice's range, re-run). */
    record Twice(int postedTwice, int runs, int longestRun, int maxPosts, boolean everyLiveReached) {}

    static Twice twice(List<String> ids, Set<String> gone, Map<String, Integer> counts) {
        List<String> live =
                ids.stream().filter(id -> !gone.contains(id)).sorted().toList();
        int twice = 0;
        int runs = 0;
        int run = 0;
        int longest = 0;
        int max = 0;
        boolean reached = true;
        for (String id : live) {
            int posts = counts.getOrDefault(id, 0);
            max = Math.max(max, posts);
            reached &= posts >= 1;
            if (posts > 1) {
                twice++;
                runs += run == 0 ? 1 : 0;
                run++;
                longest = Math.max(longest, run);
            } else {
                run = 0;
            }
        }
        return new Twice(twice, runs, longest, max, reached);
    }

    /** {@code kills} live connections spread over the key space, whose first post kills its worker. */
    static Set<String> victims(List<String> ids, Set<String> gone, int kills) {
        List<String> live =
                ids.stream().filter(id -> !gone.contains(id)).sorted().toList();
        Set<String> victims = new HashSet<>();
        for (int i = 1; i <= kills; i++) {
            victims.add(live.get((int) ((long) live.size() * i / (kills + 1))));
        }
        return victims;
    }

    private static JsonNode call(LocalWorkers workers, String routeKey, String id, String body) {
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setRouteKey(routeKey);
        if (id != null) {
            event.setPathParameters(Map.of("notificationId", id));
        }
        event.setBody(body);
        APIGatewayV2HTTPResponse answer = workers.api().handleRequest(event, null);
        return Json.parse(answer.getBody());
    }

    /** N random connection ids, base64 as API Gateway's are (the same N, the same ids). */
    static List<String> ids(int n) {
        Random random = new Random(n);
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] bytes = new byte[11];
            random.nextBytes(bytes);
            ids.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes) + "=");
        }
        return ids;
    }

    /** Both sides of each id's membership of {@code groupOf(id)}, 24 items a call, 8 calls at once. */
    static void write(BenchSetup setup, String table, List<String> ids, Function<String, String> groupOf)
            throws Exception {
        String expires = Long.toString(Instant.now().plus(Duration.ofHours(2)).getEpochSecond());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> calls = new ArrayList<>();
            List<WriteRequest> batch = new ArrayList<>();
            for (String id : ids) {
                String group = groupOf.apply(id);
                batch.add(put(Map.of(
                        "pk", s("group#" + group),
                        "sk", s("conn#" + id),
                        "connectionId", s(id),
                        "expiresAt", AttributeValue.fromN(expires))));
                batch.add(put(Map.of(
                        "pk", s("conn#" + id),
                        "sk", s("group#" + group),
                        "group", s(group),
                        "expiresAt", AttributeValue.fromN(expires))));
                if (batch.size() >= 24) {
                    List<WriteRequest> items = batch;
                    calls.add(pool.submit(() -> writeAll(setup, table, items)));
                    batch = new ArrayList<>();
                }
            }
            if (!batch.isEmpty()) {
                List<WriteRequest> items = batch;
                calls.add(pool.submit(() -> writeAll(setup, table, items)));
            }
            for (Future<?> call : calls) {
                call.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private static void writeAll(BenchSetup setup, String table, List<WriteRequest> items) {
        Map<String, List<WriteRequest>> left = Map.of(table, items);
        while (!left.isEmpty() && !left.get(table).isEmpty()) {
            Map<String, List<WriteRequest>> request = left;
            left = setup.dynamo.batchWriteItem(b -> b.requestItems(request)).unprocessedItems();
        }
    }

    private static WriteRequest put(Map<String, AttributeValue> item) {
        return WriteRequest.builder()
                .putRequest(PutRequest.builder().item(item).build())
                .build();
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
