package io.groupcast.core.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groupcast.core.delivery.Budget;
import io.groupcast.core.delivery.Fanout;
import io.groupcast.core.delivery.FanoutResult;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.store.StoreUnavailableException;
import io.groupcast.core.store.dynamodb.DynamoDbMembershipStore;
import io.groupcast.core.store.dynamodb.DynamoDbNotificationStore;
import io.groupcast.core.store.dynamodb.DynamoDbPostBudget;
import io.groupcast.core.store.dynamodb.DynamoDbTable;
import io.groupcast.core.testing.Dynalite;
import io.groupcast.core.testing.MovableClock;
import io.groupcast.core.testing.RecordingConnections;
import io.groupcast.core.testing.RecordingSliceQueue;
import io.groupcast.core.testing.TestFanouts;
import io.groupcast.standins.DynamoDbFaults;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The fan-out workers under DynamoDB's faults, on dynalite with faults injected into the real client
 * ({@link DynamoDbFaults}): a redrive, a crash followed by a membership change, a throttled post budget, a forged
 * slice, a failed hand-over, a transient failure.
 */
class SliceWorkerFaultsTest {
    @RegisterExtension
    static final Dynalite DYNALITE = new Dynalite();

    private final DynamoDbFaults faults = new DynamoDbFaults();
    // the SDK's standard retries, as the functions' clients have them (AwsClients): 3 attempts per call
    private final DynamoDbTable table = new DynamoDbTable(
            DynamoDbClient.builder()
                    .overrideConfiguration(
                            b -> b.retryStrategy(RetryMode.STANDARD).addExecutionInterceptor(faults))
                    .endpointOverride(DYNALITE.endpoint())
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                    .httpClient(UrlConnectionHttpClient.create())
                    .build(),
            DYNALITE.createTable());
    private final DynamoDbMembershipStore store = new DynamoDbMembershipStore(table);
    private final DynamoDbNotificationStore notifications = new DynamoDbNotificationStore(table);
    private final MovableClock clock = new MovableClock(Instant.now());
    private final RecordingSliceQueue queue = new RecordingSliceQueue();
    private final Workers workers = new Workers(notifications, queue, clock);
    private final RecordingConnections connections = new RecordingConnections();
    private final Fanout fanout = TestFanouts.bounded(connections, store, 32);
    private final PostRate rate = new PostRate(new DynamoDbPostBudget(table), 100_000, Clock.systemUTC());
    private final AtomicBoolean killNext = new AtomicBoolean();
    private final SliceWorker worker = new SliceWorker(
            store,
            workers,
            (deliveries, budget) -> {
                if (killNext.getAndSet(false)) {
                    throw new Killed();
                }
                return fanout.send(deliveries, budget);
            },
            rate,
            Duration.ofMinutes(30),
            clock);

    /** A worker that dies: an Error, as when Lambda ends the invocation. */
    static final class Killed extends Error {
        Killed() {
            super("killed");
        }
    }

    private final Random random = new Random(27);

    private List<ConnectionId> join(String group, int n) {
        Instant expires = Instant.now().plus(Duration.ofHours(3));
        List<ConnectionId> ids = IntStream.range(0, n)
                .mapToObj(i -> {
                    byte[] bytes = new byte[11];
                    synchronized (random) {
                        random.nextBytes(bytes);
                    }
                    return ConnectionId.of(
                            Base64.getUrlEncoder().withoutPadding().encodeToString(bytes) + "=");
                })
                .toList();
        ids.parallelStream().forEach(id -> store.join(id, GroupName.of(group), expires));
        return ids;
    }

    /** Starts a notification to {@code groups} as an async notify does; answers its id. */
    private String notify(String... groups) {
        String id = Workers.newId();
        List<Slice> wholes = new ArrayList<>();
        for (int i = 0; i < groups.length; i++) {
            wholes.add(Slice.whole(id, i, groups[i], 0, ""));
        }
        workers.start(message(id, wholes), null, wholes);
        return id;
    }

    private static NotificationStore.Message message(String id, List<Slice> wholes) {
        return new NotificationStore.Message(
                id,
                "\"hi\"".getBytes(),
                "m-" + id,
                Set.of(),
                wholes.get(0).group(),
                wholes.stream()
                        .map(w -> new NotificationStore.Target(w.group(), w.seq(), w.epoch()))
                        .toList());
    }

    /** Runs every queued slice (and what they hand on) until the queue is empty. */
    private void drain() {
        for (List<Slice> batch = queue.take(); !batch.isEmpty(); batch = queue.take()) {
            for (Slice slice : batch) {
                worker.run(slice, Budget.unlimited(), false);
            }
        }
    }

    private NotificationStatus status(String id) {
        return NotificationStatus.of(
                id, notifications.progress(id, clock.instant()).orElseThrow());
    }

    @Test
    void shouldDeliverARedrivenSlice_whenItWasRecordedDead() {
        List<ConnectionId> members = join("room", 30);
        String id = notify("room");
        Slice slice = queue.take().get(0);
        faults.fail(DynamoDbFaults.groupReads("room"), DynamoDbFaults.Kind.UNAVAILABLE, Integer.MAX_VALUE);

        assertThatThrownBy(() -> worker.run(slice, Budget.unlimited(), true))
                .isInstanceOf(StoreUnavailableException.class);
        assertThat(status(id).slices().deadLettered()).isEqualTo(1);

        // the cause fixed, the operator moves the slice back from the dead-letter queue
        faults.clear();
        SliceWorker.Result redriven = worker.run(slice, Budget.unlimited(), false);

        assertThat(redriven.outcome()).isEqualTo(SliceWorker.Outcome.DELIVERED);
        assertThat(members).allSatisfy(m -> assertThat(connections.frames(m)).hasSize(1));
        assertThat(status(id).status()).isEqualTo("completed");
        assertThat(status(id).slices().deadLettered()).isZero();
        assertThat(status(id).delivered()).isEqualTo(30);
    }

    @Test
    void shouldRerunExactlyTheRecordedRange_whenMembershipChangedBeforeARedelivery() {
        List<ConnectionId> before = join("big", 1800);
        notify("big");
        Slice whole = queue.take().get(0);
        killNext.set(true);
        // the worker cuts the group, hands the rest on, and dies before it posts
        assertThatThrownBy(() -> worker.run(whole, Budget.unlimited(), false)).isInstanceOf(Killed.class);
        List<Slice> handed = queue.take();
        assertThat(handed)
                .isNotEmpty()
                .allSatisfy(rest -> assertThat(rest.split()).isFalse());

        // members join everywhere in the key space, then the slice comes back once its lease ran out
        List<ConnectionId> joined = join("big", 300);
        clock.advance(Duration.ofMinutes(31));
        assertThat(worker.run(whole, Budget.unlimited(), false).outcome()).isEqualTo(SliceWorker.Outcome.DELIVERED);
        assertThat(queue.sent()).containsExactlyElementsOf(handed);

        queue.send(handed); // SQS delivers both copies of the rest
        drain();
        assertThat(before)
                .allSatisfy(m -> assertThat(connections.frames(m)).as(m.value()).hasSize(1));
        assertThat(joined)
                .allSatisfy(m -> assertThat(connections.frames(m)).as(m.value()).hasSize(1));
    }

    @Test
    void shouldRetryAThrottledBudget_andLoseNoPost() {
        List<ConnectionId> members = join("room", 50);
        notify("room");
        // more throttles in a row than the SDK's own retries absorb
        faults.fail(DynamoDbFaults.budgetUpdates(), DynamoDbFaults.Kind.THROTTLED, 8);

        SliceWorker.Result result = worker.run(queue.take().get(0), Budget.unlimited(), false);

        assertThat(faults.injected()).isEqualTo(8);
        assertThat(result.counts().failed()).isZero();
        assertThat(result.counts().delivered()).isEqualTo(50);
        assertThat(members).allSatisfy(m -> assertThat(connections.frames(m)).hasSize(1));
    }

    @Test
    void shouldRefuseASlice_thatDoesNotMatchItsNotification() {
        join("room", 5);
        List<ConnectionId> others = join("other", 5);
        String id = notify("room");
        queue.take();

        SliceWorker.Result otherGroup = worker.run(Slice.whole(id, 0, "other", 0, ""), Budget.unlimited(), false);
        SliceWorker.Result otherNumber = worker.run(Slice.whole(id, 0, "room", 7, "e"), Budget.unlimited(), false);
        SliceWorker.Result otherIndex = worker.run(Slice.whole(id, 1, "other", 0, ""), Budget.unlimited(), false);
        SliceWorker.Result unqueued =
                worker.run(new Slice(id, 0, "room", "M", "", 0, "", false), Budget.unlimited(), false);

        assertThat(List.of(otherGroup, otherNumber, otherIndex, unqueued))
                .allSatisfy(r -> assertThat(r.outcome()).isEqualTo(SliceWorker.Outcome.REFUSED));
        assertThat(otherGroup.reason()).contains("other").contains("room");
        assertThat(connections.receivers()).isEmpty();
        assertThat(others).allSatisfy(m -> assertThat(connections.frames(m)).isEmpty());
    }

    @Test
    void shouldNotSayCompleted_whenQueuingTheSlicesFailedAfterTheSynchronousPart() {
        String id = Workers.newId();
        Slice rest = Slice.whole(id, 0, "room", 0, "");
        Workers failing = new Workers(
                notifications,
                new SliceQueue() {
                    @Override
                    public void send(List<Slice> slices) {
                        throw new StoreUnavailableException("the queue is down (test)", null);
                    }

                    @Override
                    public void retryIn(String receipt, Duration delay) {}
                },
                clock);

        assertThatThrownBy(() -> failing.start(
                        message(id, List.of(rest)), new FanoutResult(10, 10, 0, 0, 0, java.util.Map.of()), List.of()))
                .isInstanceOf(StoreUnavailableException.class);

        assertThat(status(id).status()).isNotEqualTo("completed");
        assertThat(status(id).delivered()).isEqualTo(10);
    }

    @Test
    void shouldGiveTheLeaseBack_whenASliceFailsForATransientReason() {
        List<ConnectionId> members = join("room", 20);
        notify("room");
        Slice slice = queue.take().get(0);
        faults.fail(DynamoDbFaults.groupReads("room"), DynamoDbFaults.Kind.UNAVAILABLE, Integer.MAX_VALUE);
        assertThatThrownBy(() -> worker.run(slice, Budget.unlimited(), false))
                .isInstanceOf(StoreUnavailableException.class);
        faults.clear();

        // the queue delivers it again seconds later, long before the lease would have ended
        SliceWorker.Result again = worker.run(slice, Budget.unlimited(), false);

        assertThat(again.outcome()).isEqualTo(SliceWorker.Outcome.DELIVERED);
        assertThat(members).allSatisfy(m -> assertThat(connections.frames(m)).hasSize(1));
    }
}
