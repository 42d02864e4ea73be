package io.groupcast.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.UserId;
import io.groupcast.core.notify.Idempotency;
import io.groupcast.core.notify.Notifier;
import io.groupcast.core.notify.NotifyRequest;
import io.groupcast.core.notify.NotifyResult;
import io.groupcast.core.store.dynamodb.DynamoDbMembershipStore;
import io.groupcast.core.store.dynamodb.DynamoDbStreamLog;
import io.groupcast.core.testing.Dynalite;
import io.groupcast.core.testing.InMemoryIdempotencyStore;
import io.groupcast.core.testing.Outage;
import io.groupcast.core.testing.TestEnvironment;
import io.groupcast.core.testing.TestFanouts;
import io.groupcast.standins.LoopbackManagementApi;
import io.groupcast.standins.LoopbackManagementApi.Fault;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each delivery fault injected by a loopback management API, with exact counts and the store checked after. */
class FanoutFaultsTest {
    @RegisterExtension
    static final Dynalite DYNALITE = new Dynalite();

    private static final byte[] PAYLOAD = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);
    private static final FanoutSettings FAST_RETRIES =
            FanoutSettings.defaults().withDelays(Duration.ofMillis(1), Duration.ofMillis(10));

    /** Connections opened a minute ago: past their connect window, so a 410 means gone. */
    private final Instant connectedAt = Instant.now().minusSeconds(60);

    private final LoopbackManagementApi api = LoopbackManagementApi.start();
    private final Connections connections = TestEnvironment.connections(api, 256);
    private DynamoDbMembershipStore store;
    private Notifier notifier;

    @BeforeEach
    void setUp() {
        store = DYNALITE.newStore();
        notifier = notifier(FAST_RETRIES);
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    @Test
    void shouldPruneEveryMembershipOfAGoneConnection_andCountItGone() {
        connect("alive", "kevin");
        connect("gone", "kevin");
        store.join(ConnectionId.of("gone"), GroupName.of("room-1"), connectedAt.plus(Connection.LIFETIME));
        api.close("gone");

        NotifyResult result = notify("{\"user\":\"kevin\",\"message\":{\"n\":1}}");

        assertThat(counts(result)).containsExactly(2, 1, 1, 0, 0);
        assertThat(store.members(GroupName.of("user:kevin"), Instant.now())).containsExactly(ConnectionId.of("alive"));
        assertThat(store.members(GroupName.of("room-1"), Instant.now())).isEmpty();
        assertThat(store.disconnect(ConnectionId.of("gone")))
                .as("nothing left of the gone connection")
                .isZero();
        assertThat(api.frames("alive")).containsExactly("{\"n\":1}");
    }

    @Test
    void shouldKeepAConnectionStillInsideItsConnectWindow_andCountIt410AsFailedOpening() {
        connect("alive", "kevin");
        store.connect(Connection.opened(ConnectionId.of("opening"), UserId.of("kevin"), Instant.now()));

        NotifyResult result = notify("{\"user\":\"kevin\",\"message\":{\"n\":1}}");

        assertThat(counts(result)).containsExactly(2, 1, 0, 1, 0);
        assertThat(result.failures()).containsExactly(Map.entry("opening", 1));
        assertThat(store.members(GroupName.of("user:kevin"), Instant.now()))
                .containsExactlyInAnyOrder(ConnectionId.of("alive"), ConnectionId.of("opening"));
    }

    @Test
    void shouldRetryThrottlingAndServerErrors_andCountDeliveredWhenARetrySucceeds() {
        connect("throttled", "kevin");
        connect("flaky", "kevin");
        api.failTimes("throttled", Fault.THROTTLED, 2);
        api.failTimes("flaky", Fault.INTERNAL, 1);

        NotifyResult result = notify("{\"user\":\"kevin\",\"message\":{\"n\":1}}");

        assertThat(counts(result)).containsExactly(2, 2, 0, 0, 0);
        assertThat(api.attempts("throttled")).isEqualTo(3);
        assertThat(api.attempts("flaky")).isEqualTo(2);
        assertThat(api.frames("throttled")).containsExactly("{\"n\":1}");
        assertThat(api.frames("flaky")).containsExactly("{\"n\":1}");
    }

    @Test
    void shouldGiveUpAfterTheRetryLimit_andKeepTheMembership() {
        connect("down", "kevin");
        api.fail("down", Fault.INTERNAL);

        NotifyResult result = notify("{\"user\":\"kevin\",\"message\":1}");

        assertThat(counts(result)).containsExactly(1, 0, 0, 1, 0);
        assertThat(api.attempts("down")).isEqualTo(1 + FAST_RETRIES.maxRetries());
        assertThat(store.members(GroupName.of("user:kevin"), Instant.now())).containsExactly(ConnectionId.of("down"));
    }

    @Test
    void shouldNotRetryForbiddenOrTooLarge() {
        connect("forbidden", "kevin");
        connect("large", "kevin");
        api.fail("forbidden", Fault.FORBIDDEN);
        api.fail("large", Fault.TOO_LARGE);

        NotifyResult result = notify("{\"user\":\"kevin\",\"message\":1}");

        assertThat(counts(result)).containsExactly(2, 0, 0, 2, 0);
        assertThat(api.attempts("forbidden")).isEqualTo(1);
        assertThat(api.attempts("large")).isEqualTo(1);
        assertThat(store.members(GroupName.of("user:kevin"), Instant.now())).hasSize(2);
    }

    @Test
    void shouldTimeOutAHangingConnection_withoutHoldingTheOthers() {
        for (int i = 0; i < 20; i++) {
            connect("c" + i, "kevin");
        }
        connect("hangs", "kevin");
        api.delay("hangs", Duration.ofSeconds(30));

        NotifyResult result = notify("{\"user\":\"kevin\",\"message\":1}");

        assertThat(counts(result)).containsExactly(21, 20, 0, 1, 0);
        assertThat(api.frames("hangs"))
                .as("still unanswered when the fan-out returned")
                .isEmpty();
        assertThat(api.attempts("hangs"))
                .as("a timeout may have delivered: not retried")
                .isEqualTo(1);
        assertThat(api.receivers()).hasSize(20);
    }

    @Test
    void shouldStopStartingPostsWhenTheBudgetRunsLow_andReportTheRestAsSkipped() {
        for (int i = 0; i < 20; i++) {
            connect(String.format("c%02d", i), "kevin");
        }
        AtomicLong remaining = new AtomicLong(60_000);
        AtomicInteger started = new AtomicInteger();
        Connections fifthRunsTheClockDown = (connection, payload) -> {
            if (started.incrementAndGet() == 5) {
                remaining.set(1_000);
            }
            return connections.post(connection, payload);
        };
        Notifier budgeted = new Notifier(
                store,
                TestFanouts.bounded(fifthRunsTheClockDown, store, FAST_RETRIES),
                TestFanouts.noStreams(new DynamoDbStreamLog(store.table()), store, fifthRunsTheClockDown),
                new Idempotency(new InMemoryIdempotencyStore(new Outage()), Clock.systemUTC()),
                Clock.systemUTC());

        NotifyResult result =
                budgeted.notify(NotifyRequest.parse("{\"user\":\"kevin\",\"message\":1}"), Budget.of(remaining::get));

        assertThat(counts(result)).containsExactly(20, 5, 0, 0, 15);
        assertThat(api.receivers()).hasSize(5);
    }

    @Test
    void shouldDeliverExactlyOneFrameToEachOfThousandsOfConnections_withLatency() throws Exception {
        int size = 3000;
        GroupName group = GroupName.of("big-room");
        List<String> ids =
                IntStream.range(0, size).mapToObj(i -> "conn" + i + "=").toList();
        ExecutorService writers = Executors.newFixedThreadPool(16);
        try {
            writers.invokeAll(ids.stream()
                    .map(id -> (Callable<Void>) () -> {
                        store.join(ConnectionId.of(id), group, connectedAt.plus(Connection.LIFETIME));
                        api.open(id);
                        return null;
                    })
                    .toList());
        } finally {
            writers.shutdown();
        }
        api.latency(Duration.ofMillis(20));
        api.close("conn7=");

        NotifyResult result = notify("{\"group\":\"big-room\",\"message\":{\"n\":1}}");

        assertThat(counts(result)).containsExactly(size, size - 1, 1, 0, 0);
        Map<String, Integer> framesPerConnection = ids.stream()
                .collect(Collectors.toMap(id -> id, id -> api.frames(id).size()));
        assertThat(framesPerConnection.values().stream().filter(n -> n != 1).count())
                .isEqualTo(1);
        assertThat(framesPerConnection.get("conn7=")).isZero();
        assertThat(api.posts()).isEqualTo(size);
        assertThat(api.maxConcurrentPosts()).isLessThanOrEqualTo(FAST_RETRIES.maxInFlight());
    }

    private Notifier notifier(FanoutSettings settings) {
        return new Notifier(
                store,
                TestFanouts.bounded(connections, store, settings),
                TestFanouts.noStreams(new DynamoDbStreamLog(store.table()), store, connections),
                new Idempotency(new InMemoryIdempotencyStore(new Outage()), Clock.systemUTC()),
                Clock.systemUTC());
    }

    private NotifyResult notify(String body) {
        return notifier.notify(NotifyRequest.parse(body), Budget.unlimited());
    }

    private void connect(String id, String user) {
        store.connect(Connection.opened(ConnectionId.of(id), UserId.of(user), connectedAt));
        api.open(id);
    }

    private static List<Integer> counts(NotifyResult r) {
        return List.of(r.recipients(), r.delivered(), r.gone(), r.failed(), r.skipped());
    }
}
