package io.groupcast.core.connections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.ErrorCode;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.RequestException;
import io.groupcast.core.model.UserId;
import io.groupcast.core.store.Counters;
import io.groupcast.core.store.StoreUnavailableException;
import io.groupcast.core.store.dynamodb.DynamoDbCounters;
import io.groupcast.core.store.dynamodb.DynamoDbLinkStore;
import io.groupcast.core.store.dynamodb.DynamoDbMembershipStore;
import io.groupcast.core.store.dynamodb.DynamoDbStreamLog;
import io.groupcast.core.store.dynamodb.DynamoDbTable;
import io.groupcast.core.streams.Streams;
import io.groupcast.core.testing.Dynalite;
import io.groupcast.core.testing.RecordingConnections;
import io.groupcast.core.testing.TestFanouts;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;

/**
 * The limits a burst on AWS would pass with check-then-write, and a connect that fails halfway: against dynalite,
 * with many threads at once (as API Gateway runs a user's connects, and a connection's frames, concurrently), and a
 * client that fails chosen calls.
 */
class ConnectLimitsTest {
    @RegisterExtension
    static final Dynalite DYNALITE = new Dynalite();

    /** The operation to fail, from now on; null: none. */
    private final AtomicReference<String> failing = new AtomicReference<>();
    /** The operation to answer with a failed condition, from now on; null: none. */
    private final AtomicReference<String> conflicting = new AtomicReference<>();

    private final DynamoDbTable table = new DynamoDbTable(
            Dynalite.clientFor(DYNALITE.endpoint(), new ExecutionInterceptor() {
                @Override
                public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
                    if (operation.equals(failing.get())) {
                        throw InternalServerErrorException.builder()
                                .message("injected failure")
                                .build();
                    }
                    if (operation.equals(conflicting.get())) {
                        throw ConditionalCheckFailedException.builder()
                                .message("injected conflict")
                                .build();
                    }
                }
            }),
            DYNALITE.createTable());
    private final DynamoDbMembershipStore store = new DynamoDbMembershipStore(table);
    private final DynamoDbLinkStore links = new DynamoDbLinkStore(table);
    private final Clock clock = Clock.systemUTC();
    private final ExecutorService threads = Executors.newFixedThreadPool(16);
    private final Streams streams = TestFanouts.streams(
            new DynamoDbStreamLog(table), store, new RecordingConnections(), Streams.DEFAULT_WINDOW, clock);

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    private ConnectionLifecycle lifecycle(int maxConnections) {
        return new ConnectionLifecycle(
                store, links, streams, new UserLimits(maxConnections, 100), true, TestFanouts.BACKGROUND, clock);
    }

    private Connection connection(String id, String user) {
        return Connection.opened(ConnectionId.of(id), UserId.of(user), clock.instant());
    }

    /** Runs the calls at once; answers what each returned, or the code of the RequestException it threw. */
    private List<Object> atOnce(List<Callable<Object>> calls) throws Exception {
        List<Future<Object>> futures = new ArrayList<>();
        for (Callable<Object> call : calls) {
            futures.add(threads.submit(() -> {
                try {
                    return call.call();
                } catch (RequestException e) {
                    return e.code();
                }
            }));
        }
        List<Object> results = new ArrayList<>();
        for (Future<Object> future : futures) {
            results.add(future.get());
        }
        return results;
    }

    @Test
    void shouldLetExactlyMaxConnectionsPerUserIn_whenTwentyConnectsRace_andLeaveNothingOfTheRefused() throws Exception {
        ConnectionLifecycle lifecycle = lifecycle(5);
        List<Callable<Object>> connects = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Connection connection = connection("c" + i + "=", "kim");
            connects.add(() -> lifecycle.opened(connection));
        }

        List<Object> answers = atOnce(connects);

        assertThat(answers.stream().filter(a -> a.equals(ErrorCode.TOO_MANY_CONNECTIONS)))
                .hasSize(15);
        assertThat(store.members(GroupName.ofUser(UserId.of("kim")), clock.instant()))
                .hasSize(5);
        assertThat(store.slots(UserId.of("kim"), clock.instant())).hasSize(5);
    }

    @Test
    void shouldFreeTheSlot_whenTheConnectionCloses() {
        ConnectionLifecycle lifecycle = lifecycle(1);
        lifecycle.opened(connection("a=", "lee"));

        assertThatThrownBy(() -> lifecycle.opened(connection("b=", "lee")))
                .isInstanceOfSatisfying(
                        RequestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_MANY_CONNECTIONS));
        lifecycle.closed(ConnectionId.of("a="));
        lifecycle.opened(connection("b=", "lee"));

        assertThat(store.members(GroupName.ofUser(UserId.of("lee")), clock.instant()))
                .containsExactly(ConnectionId.of("b="));
    }

    @Test
    void shouldLeaveNothing_whenAConnectFailsAfterWritingSome() {
        links.link(UserId.of("max"), GroupName.of("team"), clock.instant().plusSeconds(3600));
        Connection opening = connection("fail=", "max");
        failing.set("PutItem"); // the slot's conditional put fails after the batch wrote the connection's items

        assertThatThrownBy(() -> lifecycle(5).opened(opening)).isInstanceOf(StoreUnavailableException.class);
        failing.set(null);

        assertThat(store.connection(opening.id(), clock.instant())).isEmpty();
        assertThat(store.members(GroupName.ofUser(UserId.of("max")), clock.instant()))
                .isEmpty();
        assertThat(store.members(GroupName.of("team"), clock.instant())).isEmpty();
        assertThat(store.groupsOf(opening.id(), clock.instant())).isEmpty();
        assertThat(store.slots(UserId.of("max"), clock.instant())).isEmpty();
    }

    @Test
    void shouldLetExactlyMaxGroupsIn_whenThirtyJoinFramesOfOneConnectionRace() throws Exception {
        Connection kim = connection("k=", "kim");
        lifecycle(5).opened(kim);
        List<Callable<Object>> joins = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            GroupName group = GroupName.of("g" + i);
            joins.add(() -> store.join(kim.recipient(), group, kim.expiresAt(), 10));
        }

        List<Object> answers = atOnce(joins);
        List<GroupName> in = named(kim);
        store.leave(kim.id(), in.get(0));
        store.leave(kim.id(), in.get(1));
        boolean afterLeaves = store.join(kim.recipient(), GroupName.of("late"), kim.expiresAt(), 10);
        boolean again = store.join(kim.recipient(), GroupName.of("late"), kim.expiresAt(), 10);

        assertThat(answers.stream().filter(Boolean.TRUE::equals)).hasSize(10);
        assertThat(in).hasSize(10);
        assertThat(afterLeaves).as("a leave frees its count").isTrue();
        assertThat(again).as("joining a group it is in counts nothing").isTrue();
        assertThat(named(kim)).hasSize(9);
        assertThat(store.join(kim.recipient(), GroupName.of("one-more"), kim.expiresAt(), 10))
                .isTrue();
        assertThat(store.join(kim.recipient(), GroupName.of("too-many"), kim.expiresAt(), 10))
                .isFalse();
    }

    @Test
    void shouldFailClosed_whenThePublishCounterConflictsEveryTime() {
        Counters counters = new DynamoDbCounters(table);
        conflicting.set("UpdateItem"); // every write races another window's start, as a burst at a second's edge

        long counted = counters.countPublish(
                ConnectionId.of("busy="), 100, clock.instant().plusSeconds(60));
        long user =
                counters.count(UserId.of("busy"), "rate", 100, clock.instant().plusSeconds(60));
        conflicting.set(null);

        assertThat(counted)
                .as("over any limit, not the 1 that let the publish through")
                .isEqualTo(Counters.UNCOUNTED);
        assertThat(user).isEqualTo(Counters.UNCOUNTED);
        assertThat(counters.countPublish(
                        ConnectionId.of("busy="), 100, clock.instant().plusSeconds(60)))
                .as("counting works again once the conflicts stop")
                .isEqualTo(1);
    }

    @Test
    void shouldCountEveryPublishOfAUserOnce_whenThirtyRaceFromItsConnections() throws Exception {
        Counters counters = new DynamoDbCounters(table);
        List<Callable<Object>> publishes = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            publishes.add(() ->
                    counters.count(UserId.of("kim"), "rate", 7, clock.instant().plusSeconds(60)));
        }

        List<Object> counts = atOnce(publishes);

        assertThat(counts.stream().map(Long.class::cast).sorted().toList())
                .as("each publish has its own number: a limit of n lets exactly n through")
                .isEqualTo(
                        java.util.stream.LongStream.rangeClosed(1, 30).boxed().toList());
    }

    private List<GroupName> named(Connection connection) {
        return store.groupsOf(connection.id(), clock.instant()).stream()
                .filter(group -> !group.isUserGroup())
                .sorted(java.util.Comparator.comparing(GroupName::value))
                .toList();
    }
}
