package io.groupcast.bench.latency;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.bench.BenchGateway;
import io.groupcast.bench.BenchSetup;
import io.groupcast.bench.Machine;
import io.groupcast.bench.Progress;
import io.groupcast.core.config.AwsClients;
import io.groupcast.core.config.Environment;
import io.groupcast.core.connections.ConnectionLifecycle;
import io.groupcast.core.connections.UserLimits;
import io.groupcast.core.delivery.ConnectionCalls;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Json;
import io.groupcast.core.model.UserId;
import io.groupcast.core.store.dynamodb.DynamoDbLinkStore;
import io.groupcast.core.store.dynamodb.DynamoDbMembershipStore;
import io.groupcast.core.store.dynamodb.DynamoDbStreamLog;
import io.groupcast.core.store.dynamodb.DynamoDbTable;
import io.groupcast.core.streams.Streams;
import io.groupcast.local.LocalGateway;
import io.groupcast.standins.CapacityMeter;
import java.net.http.WebSocket;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * How long {@code $connect} takes, and in how many sequential DynamoDB round trips. In process, the connect use case
 * for a user without links and for one with 3 links, timed as it is and again with {@link NotifyLatencyScenario.AddedLatency#MILLIS} added to every
 * DynamoDB call: the difference divided by the delay is the number of round trips one after another, whatever the
 * machine's speed. Then end to end through the local gateway (the authorizer, {@code $connect}, the WebSocket
 * upgrade): the first connect after the gateway starts (code not yet compiled) and the median of the warm ones, the
 * figures the connect window ({@code Connection.CONNECT_WINDOW}) is sized from.
 */
public final class ConnectLatencyScenario {
    static final int WARMUP = 200;
    static final int RUNS = 400;

    private ConnectLatencyScenario() {}

    public static List<ObjectNode> run(BenchSetup setup) throws Exception {
        CapacityMeter meter = new CapacityMeter();
        NotifyLatencyScenario.AddedLatency delaying = new NotifyLatencyScenario.AddedLatency();
        List<ObjectNode> lines = new ArrayList<>();
        Clock clock = Clock.systemUTC();
        Executor background = Streams.newBackground();
        try (DynamoDbClient dynamo =
                AwsClients.from(Environment.of(setup.env(null))).dynamoDb(meter, delaying)) {
            DynamoDbTable table = new DynamoDbTable(dynamo, setup.newTable());
            DynamoDbMembershipStore store = new DynamoDbMembershipStore(table);
            DynamoDbLinkStore links = new DynamoDbLinkStore(table);
            Supplier<ConnectionCalls> noReplays = () -> {
                throw new IllegalStateException("a connect replays nothing");
            };
            Streams streams = new Streams(
                    new DynamoDbStreamLog(table), store, noReplays, Streams.DEFAULT_WINDOW, background, clock);
            ConnectionLifecycle lifecycle =
                    new ConnectionLifecycle(store, links, streams, UserLimits.DEFAULTS, true, background, clock);
            for (int i = 0; i < 3; i++) {
                links.link(
                        UserId.of("linked"),
                        GroupName.of("team-" + i),
                        clock.instant().plusSeconds(3600));
            }
            AtomicInteger ids = new AtomicInteger();
            Map<String, Supplier<Runnable>> ways = new LinkedHashMap<>();
            ways.put("user without links", () -> connect(lifecycle, "alone", ids, clock));
            ways.put("user with 3 links", () -> connect(lifecycle, "linked", ids, clock));
            Progress.say("connect-latency: " + RUNS + " connects of each way, with and without "
                    + NotifyLatencyScenario.AddedLatency.MILLIS + " ms added to every DynamoDB call");
            Map<String, List<Long>> plain = time(ways, delaying, false);
            Map<String, List<Long>> delayed = time(ways, delaying, true);
            for (Map.Entry<String, Supplier<Runnable>> way : ways.entrySet()) {
                meter.take();
                for (int i = 0; i < 100; i++) {
                    way.getValue().get().run();
                }
                CapacityMeter.Usage usage = meter.take();
                double median = median(plain.get(way.getKey()));
                double slower = median(delayed.get(way.getKey()));
                ObjectNode line = Json.object()
                        .put("scenario", "connect-latency")
                        .put("way", way.getKey())
                        .put("medianMs", median)
                        .put("p99Ms", percentile(plain.get(way.getKey()), 99))
                        .put("delayedMedianMs", slower)
                        .put("sequentialRoundTrips", NotifyLatencyScenario.AddedLatency.roundTrips(slower, median))
                        .put(
                                "callsPerCycle",
                                usage.calls().values().stream()
                                                .mapToInt(Integer::intValue)
                                                .sum()
                                        / 100.0)
                        .put("writeUnitsPerCycle", usage.writeUnits() / 100)
                        .put("ok", true);
                line.set("machine", Machine.describe());
                lines.add(line);
            }
        }
        lines.add(endToEnd(setup));
        return lines;
    }

    /** One connect; answers its disconnect. */
    private static Runnable connect(ConnectionLifecycle lifecycle, String user, AtomicInteger ids, Clock clock) {
        Connection connection = Connection.opened(
                ConnectionId.of(user + ids.incrementAndGet() + "="), UserId.of(user), clock.instant());
        lifecycle.opened(connection);
        return () -> lifecycle.closed(connection.id());
    }

    /** Each way's connects in turns, in microseconds: the connect only, its disconnect untimed. */
    private static Map<String, List<Long>> time(
            Map<String, Supplier<Runnable>> ways, NotifyLatencyScenario.AddedLatency delaying, boolean delay) {
        Map<String, List<Long>> micros = new LinkedHashMap<>();
        ways.keySet().forEach(way -> micros.put(way, new ArrayList<>()));
        for (int i = 0; i < WARMUP + RUNS; i++) {
            for (Map.Entry<String, Supplier<Runnable>> way : ways.entrySet()) {
                delaying.set(delay);
                long started = System.nanoTime();
                Runnable disconnect = way.getValue().get();
                long took = (System.nanoTime() - started) / 1000;
                delaying.set(false);
                disconnect.run();
                if (i >= WARMUP) {
                    micros.get(way.getKey()).add(took);
                }
            }
        }
        return micros;
    }

    /**
     * The authorizer, {@code $connect} and the upgrade through the local gateway: the first connect after it starts,
     * and the median and p99 of the next ones, each opened and closed in turn.
     */
    private static ObjectNode endToEnd(BenchSetup setup) throws Exception {
        try (LocalGateway gateway = BenchGateway.start(setup, setup.newTable())) {
            List<Long> micros = new ArrayList<>();
            long first = 0;
            for (int i = 0; i <= RUNS; i++) {
                long started = System.nanoTime();
                WebSocket socket = BenchGateway.connect(gateway, "e2e", List.of(), new WebSocket.Listener() {})
                        .get(60, TimeUnit.SECONDS);
                long took = (System.nanoTime() - started) / 1000;
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(60, TimeUnit.SECONDS);
                if (i == 0) {
                    first = took;
                } else {
                    micros.add(took);
                }
                awaitClosed(gateway);
            }
            ObjectNode line = Json.object()
                    .put("scenario", "connect-latency")
                    .put("way", "end to end through the local gateway")
                    .put("firstMs", first / 1000.0)
                    .put("medianMs", median(micros))
                    .put("p99Ms", percentile(micros, 99))
                    .put("ok", true);
            line.set("machine", Machine.describe());
            return line;
        }
    }

    private static void awaitClosed(LocalGateway gateway) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((gateway.openConnections() > 0 || gateway.pendingIntegrations() > 0) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    private static double median(List<Long> micros) {
        return percentile(micros, 50);
    }

    private static double percentile(List<Long> micros, int percent) {
        List<Long> sorted = new ArrayList<>(micros);
        Collections.sort(sorted);
        return Math.round(sorted.get(Math.min(sorted.size() - 1, sorted.size() * percent / 100)) / 10.0) / 100.0;
    }
}
