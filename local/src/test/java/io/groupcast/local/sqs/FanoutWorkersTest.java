package io.groupcast.local.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.core.delivery.Connections;
import io.groupcast.core.delivery.PostOutcome;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Json;
import io.groupcast.core.store.dynamodb.DynamoDbMembershipStore;
import io.groupcast.core.store.dynamodb.DynamoDbTable;
import io.groupcast.core.testing.Dynalite;
import io.groupcast.core.testing.TestEnvironment;
import io.groupcast.core.workers.Slice;
import io.groupcast.local.Eventually;
import io.groupcast.local.lambda.LocalLogger;
import io.groupcast.standins.DynamoDbFaults;
import io.groupcast.standins.LambdaContext;
import io.groupcast.standins.LoopbackManagementApi;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fan-out workers' faults, on dynalite, a loopback management API and the gateway's queue (visibility timeout 20
 * s): a worker that dies in the middle of a slice, a slice delivered twice, a slice that always fails and is redriven.
 */
class FanoutWorkersTest {
    @RegisterExtension
    static final Dynalite DYNALITE = new Dynalite();

    private final LoopbackManagementApi api = LoopbackManagementApi.start();
    private final String table = DYNALITE.createTable();
    private final DynamoDbMembershipStore store =
            new DynamoDbMembershipStore(new DynamoDbTable(DYNALITE.client(), table));
    private LocalWorkers workers;

    @AfterEach
    void stop() {
        if (workers != null) {
            workers.close();
        }
        api.close();
    }

    /** A worker invocation that dies: an Error, not an answer, as when Lambda kills it. */
    static final class Killed extends Error {
        Killed() {
            super("killed in the middle of a slice");
        }
    }

    private List<String> members(String group, int n) {
        Instant expires = Instant.now().plus(Duration.ofHours(2));
        // random ids like API Gateway's: base64, so the key ranges hold about as many each
        Random random = new Random(n);
        List<String> ids = IntStream.range(0, n)
                .mapToObj(i -> {
                    byte[] bytes = new byte[11];
                    random.nextBytes(bytes);
                    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes) + "=";
                })
                .toList();
        ids.parallelStream().forEach(id -> {
            store.join(ConnectionId.of(id), GroupName.of(group), expires);
            api.open(id);
        });
        return ids;
    }

    private void start(Optional<Connections> connections) {
        start(connections, Optional.empty());
    }

    /**
     * Workers with a visibility timeout of 20 s: far longer than any slice takes, however loaded the machine (a lease
     * that ran out under a live worker would let a second one post the slice too); a killed worker's slice comes back
     * after it, and one whose lease has not quite ended yet is retried when it does.
     */
    private void start(Optional<Connections> connections, Optional<DynamoDbTable> workerTable) {
        Map<String, String> env = new HashMap<>(TestEnvironment.of(DYNALITE, table, api));
        env.put("FANOUT_MAX_POSTS_PER_SECOND", "100000");
        workers = LocalWorkers.start(env, 4, Duration.ofSeconds(20), 3, connections, workerTable, line -> {});
    }

    private JsonNode call(String method, String path, String body) {
        return call(method, path, body, null);
    }

    private JsonNode call(String method, String path, String body, Context context) {
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setRouteKey(method + " " + path.replaceAll("/notifications/.*", "/notifications/{notificationId}"));
        if (path.startsWith("/notifications/")) {
            event.setPathParameters(Map.of("notificationId", path.substring("/notifications/".length())));
        }
        event.setBody(body);
        var answer = workers.api().handleRequest(event, context);
        JsonNode json = Json.parse(answer.getBody());
        ((ObjectNode) json).put("httpStatus", answer.getStatusCode());
        return json;
    }

    private JsonNode completed(String id) {
        JsonNode[] status = new JsonNode[1];
        Eventually.await("notification " + id + " completes", Duration.ofSeconds(60), () -> {
            status[0] = call("GET", "/notifications/" + id, null);
            return status[0].path("status").asText().equals("completed");
        });
        return status[0];
    }

    /** Which of the key ranges a large group is read in holds this id. */
    private static long range(String id) {
        return Slice.BOUNDARIES.stream().filter(b -> id.compareTo(b) > 0).count();
    }

    @Test
    void aWorkerKilledInTheMiddleOfASlice_isRetried_andTheSlicesThatFinishedAreNotSentAgain() throws Exception {
        List<String> ids = members("big", 3000);
        // the connection that, on its first post, kills the worker: by then part of its slice was posted
        String victim = ids.stream().sorted().skip(2500).findFirst().orElseThrow();
        AtomicBoolean killed = new AtomicBoolean();
        Connections posting = TestEnvironment.connections(api, 32);
        Connections dying = new Connections() {
            @Override
            public CompletableFuture<PostOutcome> post(ConnectionId connection, byte[] payload) {
                if (connection.value().equals(victim) && killed.compareAndSet(false, true)) {
                    throw new Killed();
                }
                return posting.post(connection, payload);
            }
        };
        start(Optional.of(dying));

        JsonNode accepted = call("POST", "/notify", "{\"group\":\"big\",\"async\":true,\"message\":{\"n\":1}}");
        assertThat(accepted.path("httpStatus").asInt()).isEqualTo(202);
        assertThat(accepted.path("status").asText()).isEqualTo("accepted");
        JsonNode status = completed(accepted.path("notificationId").asText());

        assertThat(killed).isTrue();
        Map<String, Integer> counts = api.deliveredCounts();
        assertThat(ids).allSatisfy(id -> assertThat(counts.get(id)).as(id).isNotNull());
        // only the killed slice's range was posted twice: the 1,000 of the first page and the other ranges once
        Set<String> twice = counts.entrySet().stream()
                .filter(e -> e.getValue() > 1)
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        assertThat(twice).isNotEmpty().allSatisfy(id -> assertThat(range(id)).isEqualTo(range(victim)));
        assertThat(counts.values()).allSatisfy(count -> assertThat(count).isBetween(1, 2));
        assertThat(status.path("delivered").asInt()).isEqualTo(3000);
        assertThat(status.path("slices").path("total").asInt()).isGreaterThan(1);
        assertThat(status.path("slices").path("deadLettered").asInt()).isZero();
    }

    @Test
    void aSynchronousNotifyThatRunsOutOfTime_handsTheRestToTheWorkers_andSkipsNobody() throws Exception {
        List<String> ids = members("slow", 2000);
        api.latency(Duration.ofMillis(100)); // about 1,000 posts a second at 128 in flight
        start(Optional.empty());
        // 9.5 s left: the notify stops taking recipients at 8 s left, after about 1.5 s of posting
        Context context = LambdaContext.of("NotifyFunction", Duration.ofMillis(9500), 1769, LocalLogger.INSTANCE);

        JsonNode answer = call("POST", "/notify", "{\"group\":\"slow\",\"message\":\"m\"}", context);

        assertThat(answer.path("httpStatus").asInt()).isEqualTo(202);
        assertThat(answer.path("status").asText()).isEqualTo("running");
        assertThat(answer.path("recipients").asInt()).isBetween(1, 1999);
        assertThat(answer.path("skipped").asInt()).isZero();
        JsonNode status = completed(answer.path("notificationId").asText());
        assertThat(status.path("delivered").asInt()).isEqualTo(2000);
        assertThat(status.path("skipped").asInt()).isZero();
        assertThat(ids).allSatisfy(id -> assertThat(api.frames(id)).as(id).hasSize(1));
    }

    @Test
    void aSliceDeliveredAgainAfterItFinished_sendsNothing() throws Exception {
        List<String> ids = members("room", 50);
        start(Optional.empty());
        JsonNode accepted = call("POST", "/notify", "{\"group\":\"room\",\"async\":true,\"message\":\"x\"}");
        String id = accepted.path("notificationId").asText();
        completed(id);
        int posts = api.posts();

        // SQS delivers at least once: the same slice again
        workers.queues()
                .send(LocalWorkers.QUEUE, Slice.whole(id, 0, "room", 0, "").toJson());
        Eventually.await(
                "the redelivered slice is acknowledged",
                Duration.ofSeconds(10),
                () -> workers.queues().size(LocalWorkers.QUEUE) == 0);

        assertThat(workers.queues().size(LocalWorkers.QUEUE)).isZero();
        assertThat(api.posts()).isEqualTo(posts);
        assertThat(ids).allSatisfy(c -> assertThat(api.frames(c)).hasSize(1));
    }

    @Test
    void aSliceThatFailsOnEveryDelivery_isRetriedSoon_deadLettered_andDeliveredWhenRedriven() throws Exception {
        List<String> ids = members("room", 20);
        // the workers' store calls fail for this group's reads, through the SDK's own client and retries
        DynamoDbFaults faults = new DynamoDbFaults()
                .fail(DynamoDbFaults.groupReads("room"), DynamoDbFaults.Kind.UNAVAILABLE, Integer.MAX_VALUE);
        DynamoDbTable faulty = new DynamoDbTable(Dynalite.clientFor(DYNALITE.endpoint(), faults), table);
        start(Optional.empty(), Optional.of(faulty));
        long started = System.nanoTime();

        JsonNode accepted = call("POST", "/notify", "{\"group\":\"room\",\"async\":true,\"message\":\"m\"}");
        String id = accepted.path("notificationId").asText();
        JsonNode dead = completed(id);

        // three deliveries seconds apart (a transient failure), not 20 s (the visibility timeout) each
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(40));
        assertThat(dead.path("slices").path("deadLettered").asInt()).isEqualTo(1);
        assertThat(dead.path("delivered").asInt()).isZero();
        Eventually.await(
                "the slice is in the dead-letter queue",
                Duration.ofSeconds(30),
                () -> workers.queues().size(LocalWorkers.DEAD_LETTERS) > 0);
        assertThat(api.posts()).isZero();

        // the cause fixed, the operator redrives the dead-letter queue (docs/operations.md)
        faults.clear();
        assertThat(workers.queues().redrive(LocalWorkers.DEAD_LETTERS, LocalWorkers.QUEUE))
                .isEqualTo(1);
        Eventually.await(
                "the redriven slice is delivered",
                Duration.ofSeconds(30),
                () -> call("GET", "/notifications/" + id, null)
                                .path("delivered")
                                .asInt()
                        == 20);

        JsonNode status = completed(id);
        assertThat(status.path("slices").path("deadLettered").asInt()).isZero();
        assertThat(ids).allSatisfy(c -> assertThat(api.frames(c)).hasSize(1));
        Eventually.await(
                "the redriven slice is acknowledged",
                Duration.ofSeconds(10),
                () -> workers.queues().size(LocalWorkers.QUEUE) == 0);
    }
}
