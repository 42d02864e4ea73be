package io.groupcast.bench.latency;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.bench.BenchSetup;
import io.groupcast.bench.Machine;
import io.groupcast.bench.Progress;
import io.groupcast.core.config.AwsClients;
import io.groupcast.core.config.Environment;
import io.groupcast.core.delivery.Budget;
import io.groupcast.core.delivery.ConnectionCalls;
import io.groupcast.core.delivery.Connections;
import io.groupcast.core.delivery.FanoutSettings;
import io.groupcast.core.delivery.PostOutcome;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.Grants;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Json;
import io.groupcast.core.model.Protocol;
import io.groupcast.core.model.UserId;
import io.groupcast.core.notify.Idempotency;
import io.groupcast.core.notify.Notifier;
import io.groupcast.core.notify.NotifyRequest;
import io.groupcast.core.store.dynamodb.DynamoDbIdempotencyStore;
import io.groupcast.core.store.dynamodb.DynamoDbMembershipStore;
import io.groupcast.core.store.dynamodb.DynamoDbStreamLog;
import io.groupcast.core.store.dynamodb.DynamoDbTable;
import io.groupcast.core.streams.Streams;
import io.groupcast.standins.CapacityMeter;
import io.groupcast.standins.LoopbackManagementApi;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The common case: a notify to one user with one connection, timed in-process against dynalite and the loopback
 * management API, in one run: streams on with a plain member (no reliable member: nothing numbered), streams on with
 * a reliable member (numbered and kept), streams off ({@code ResumeWindowSeconds=0}), and the baseline, the naive
 * sample's work: one Query of the user's connections and one post. Medians and p99 of {@link #RUNS} notifies each,
 * after {@link #WARMUP}, the DynamoDB calls one notify makes, and how many calls (DynamoDB's and posts) it makes
 * one after another: timed again with {@link AddedLatency#MILLIS} added to each DynamoDB call and each post, as on AWS,
 * where a post takes about as long as a DynamoDB call.
 */
public final class NotifyLatencyScenario {
    static final int WARMUP = 300;
    static final int RUNS = 1000;

    private NotifyLatencyScenario() {}

    public static List<ObjectNode> run(BenchSetup setup) {
        CapacityMeter meter = new CapacityMeter();
        AddedLatency latency = new AddedLatency();
        Clock clock = Clock.systemUTC();
        List<ObjectNode> lines = new ArrayList<>();
        try (LoopbackManagementApi api = LoopbackManagementApi.start();
                DynamoDbClient dynamo =
                        AwsClients.from(Environment.of(setup.env(null))).dynamoDb(meter, latency)) {
            DynamoDbTable table = new DynamoDbTable(dynamo, setup.newTable());
            DynamoDbMembershipStore store = new DynamoDbMembershipStore(table);
            Connections connections = AwsClients.from(
                            Environment.of(setup.env(api.endpoint().toString())))
                    .connections(FanoutSettings.defaults().maxInFlight());
            ConnectionCalls calls = AwsClients.calls(store, connections, FanoutSettings.defaults());
            Streams on = streams(table, store, calls, Streams.DEFAULT_WINDOW, clock);
            Streams off = streams(table, store, calls, Duration.ZERO, clock);
            Connection plain = open(store, api, "plain", Protocol.PLAIN, on);
            Connection reliable = open(store, api, "reliable", Protocol.RELIABLE_V1, on);
            Notifier withStreams = new Notifier(
                    store,
                    calls,
                    on,
                    new Idempotency(new DynamoDbIdempotencyStore(store.table()), Clock.systemUTC()),
                    clock);
            Notifier withoutStreams = new Notifier(
                    store,
                    calls,
                    off,
                    new Idempotency(new DynamoDbIdempotencyStore(store.table()), Clock.systemUTC()),
                    clock);
            byte[] payload = "{\"text\":\"hello\"}".getBytes(StandardCharsets.UTF_8);
            Progress.say("notify-latency: " + RUNS + " notifies to one user, four ways, taken in turns");
            Map<String, Supplier<Integer>> ways = new LinkedHashMap<>();
            ways.put("plain member, streams on", () -> notify(withStreams, plain));
            ways.put("reliable member, streams on", () -> notify(withStreams, reliable));
            ways.put("streams off", () -> notify(withoutStreams, plain));
            ways.put("baseline: Query and post", () -> {
                List<ConnectionId> ids = store.members(GroupName.ofUser(plain.user()), clock.instant())
                        .toList();
                int delivered = 0;
                for (ConnectionId id : ids) {
                    delivered += connections.post(id, payload).join() == PostOutcome.DELIVERED ? 1 : 0;
                }
                return delivered;
            });
            lines.addAll(measure(ways, meter, added -> {
                latency.set(added);
                api.latency(Duration.ofMillis(added ? AddedLatency.MILLIS : 0));
            }));
        }
        return lines;
    }

    private static Streams streams(
            DynamoDbTable table, DynamoDbMembershipStore store, ConnectionCalls calls, Duration window, Clock clock) {
        return new Streams(new DynamoDbStreamLog(table), store, calls, window, Streams.newBackground(), clock);
    }

    private static Connection open(
            DynamoDbMembershipStore store, LoopbackManagementApi api, String user, Protocol protocol, Streams streams) {
        Connection connection =
                Connection.opened(ConnectionId.of(user + "-1="), UserId.of(user), Instant.now(), Grants.NONE, protocol);
        store.connect(connection);
        streams.joined(connection, GroupName.ofUser(connection.user()), -1);
        api.open(connection.id().value());
        return connection;
    }

    private static int notify(Notifier notifier, Connection to) {
        return notifier.notify(
                        NotifyRequest.parse(
                                "{\"user\":\"" + to.user().value() + "\",\"message\":{\"text\":\"hello\"}}"),
                        Budget.unlimited())
                .delivered();
    }

    /**
     * Runs the ways in turns (one notify of each, again and again), so that a change in the machine's load weighs on
     * all of them alike, and meters each way's DynamoDB calls in a run of its own.
     */
    private static List<ObjectNode> measure(
            Map<String, Supplier<Integer>> ways, CapacityMeter meter, Consumer<Boolean> latency) {
        Map<String, Integer> delivered = new LinkedHashMap<>();
        Map<String, List<Long>> micros = time(ways, delivered, WARMUP, RUNS);
        latency.accept(true);
        Map<String, List<Long>> added = time(ways, new LinkedHashMap<>(), 0, RUNS / 5);
        latency.accept(false);
        List<ObjectNode> lines = new ArrayList<>();
        for (Map.Entry<String, Supplier<Integer>> way : ways.entrySet()) {
            meter.take();
            for (int i = 0; i < 100; i++) {
                way.getValue().get();
            }
            CapacityMeter.Usage usage = meter.take();
            List<Long> times = micros.get(way.getKey());
            Collections.sort(times);
            List<Long> slower = added.get(way.getKey());
            Collections.sort(slower);
            double addedMedianMs = slower.get(slower.size() / 2) / 1000.0;
            ObjectNode line = Json.object()
                    .put("scenario", "notify-latency")
                    .put("way", way.getKey())
                    .put("medianMs", times.get(RUNS / 2) / 1000.0)
                    .put("p99Ms", times.get(RUNS * 99 / 100) / 1000.0)
                    .put("addedMedianMs", addedMedianMs)
                    .put("sequentialCalls", AddedLatency.roundTrips(addedMedianMs, times.get(RUNS / 2) / 1000.0))
                    .put("queriesPerNotify", usage.calls("Query") / 100.0)
                    .put("updatesPerNotify", usage.calls("UpdateItem") / 100.0)
                    .put("putsPerNotify", usage.calls("PutItem") / 100.0)
                    .put("writeUnitsPerNotify", usage.writeUnits() / 100)
                    .put("ok", delivered.get(way.getKey()) == RUNS);
            line.set("machine", Machine.describe());
            lines.add(line);
        }
        return lines;
    }

    /** Each way's notifies in turns, {@code runs} timed after {@code warmup}, in microseconds. */
    private static Map<String, List<Long>> time(
            Map<String, Supplier<Integer>> ways, Map<String, Integer> delivered, int warmup, int runs) {
        Map<String, List<Long>> micros = new LinkedHashMap<>();
        ways.keySet().forEach(way -> micros.put(way, new ArrayList<>()));
        for (int i = 0; i < warmup + runs; i++) {
            for (Map.Entry<String, Supplier<Integer>> way : ways.entrySet()) {
                long started = System.nanoTime();
                int got = way.getValue().get();
                if (i >= warmup) {
                    micros.get(way.getKey()).add((System.nanoTime() - started) / 1000);
                    delivered.merge(way.getKey(), got, Integer::sum);
                }
            }
        }
        return micros;
    }

    /**
     * Adds {@link #MILLIS} to every call of the client it is installed on while switched on. Timing the same work with
     * and without it counts the calls made one after another, whatever the machine's speed: calls made at once wait
     * their added time together.
     */
    static final class AddedLatency implements ExecutionInterceptor {
        static final long MILLIS = 10;

        private final AtomicBoolean on = new AtomicBoolean();

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            if (on.get()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(MILLIS));
            }
        }

        void set(boolean added) {
            on.set(added);
        }

        /** Sequential round trips from a median with the latency added and one without, in milliseconds. */
        static long roundTrips(double addedMedianMs, double medianMs) {
            return Math.round((addedMedianMs - medianMs) / MILLIS);
        }
    }
}
