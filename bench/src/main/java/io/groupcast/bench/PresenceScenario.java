package io.groupcast.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.core.config.AwsClients;
import io.groupcast.core.config.Environment;
import io.groupcast.core.connections.UserLimits;
import io.groupcast.core.delivery.Budget;
import io.groupcast.core.delivery.Connections;
import io.groupcast.core.delivery.FanoutSettings;
import io.groupcast.core.groups.Groups;
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
import io.groupcast.standins.LoopbackManagementApi;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * What verified presence costs: a user's stored count (one Query, the baseline) against the verified count (that
 * Query plus one {@code GET @connections} per connection, in parallel), for a user with a few tabs and a group of
 * 1,000, with the management API answering after a latency; in the same run, on the same table.
 */
final class PresenceScenario {
    static final int RUNS = 21;

    private PresenceScenario() {}

    static ObjectNode run(BenchSetup setup, int tabs, int groupSize, int latencyMs) throws Exception {
        DynamoDbMembershipStore store = new DynamoDbMembershipStore(new DynamoDbTable(setup.dynamo, setup.newTable()));
        try (LoopbackManagementApi api = LoopbackManagementApi.start()) {
            Instant opened = Instant.now().minus(Duration.ofMinutes(1));
            UserId user = UserId.of("present");
            for (int i = 0; i < tabs; i++) {
                String id = "tab" + i + "=";
                store.connect(Connection.opened(ConnectionId.of(id), user, opened));
                api.open(id);
            }
            GroupName group = GroupName.of("bench-presence");
            List<String> members = new ArrayList<>();
            for (int i = 0; i < groupSize; i++) {
                members.add("member" + i + "=");
            }
            FanoutScenario.parallel(members, id -> {
                store.join(ConnectionId.of(id), group, opened.plus(Connection.LIFETIME));
                api.open(id);
            });
            api.latency(Duration.ofMillis(latencyMs));
            Connections connections = AwsClients.from(
                            Environment.of(setup.env(api.endpoint().toString())))
                    .connections(FanoutSettings.defaults().maxInFlight());
            Groups groups = new Groups(
                    store,
                    new DynamoDbLinkStore(store.table()),
                    AwsClients.calls(store, connections, FanoutSettings.defaults()),
                    new Streams(
                            new DynamoDbStreamLog(store.table()),
                            store,
                            AwsClients.calls(store, connections, FanoutSettings.defaults()),
                            Duration.ZERO,
                            Runnable::run,
                            Clock.systemUTC()),
                    UserLimits.DEFAULTS.maxLinks(),
                    Clock.systemUTC());
            GroupName own = GroupName.ofUser(user);
            Progress.say(
                    "presence: a user with " + tabs + " tabs and a group of " + groupSize + ", " + RUNS + " runs each");
            for (int warm = 0; warm < 5; warm++) {
                groups.presence(own, Groups.MAX_VERIFIED_USER, Budget.unlimited());
                groups.count(own);
            }
            int getsBefore = api.gets();
            ObjectNode userResult = compare(
                            () -> groups.count(own),
                            () -> groups.presence(own, Groups.MAX_VERIFIED_USER, Budget.unlimited())
                                    .connections(),
                            tabs)
                    .put("getsPerCheck", (api.gets() - getsBefore) / RUNS);
            ObjectNode groupResult = compare(
                    () -> groups.count(group),
                    () -> groups.presence(group, Groups.MAX_VERIFIED_GROUP, Budget.unlimited())
                            .connections(),
                    groupSize);
            long wrong = userResult.path("wrongCounts").asLong()
                    + groupResult.path("wrongCounts").asLong();
            ObjectNode line = Json.object().put("scenario", "presence").put("latencyMs", latencyMs);
            line.set("user", userResult);
            line.set("group", groupResult);
            line.put("ok", wrong == 0);
            line.set("machine", Machine.describe());
            return line;
        }
    }

    /** The stored count against the verified one: medians of {@link #RUNS} calls each, and how many were wrong. */
    private static ObjectNode compare(LongSupplier stored, LongSupplier verified, long expected) {
        List<Long> storedMs = new ArrayList<>();
        List<Long> verifiedMs = new ArrayList<>();
        long wrong = 0;
        for (int run = 0; run < RUNS; run++) {
            long started = System.nanoTime();
            wrong += stored.getAsLong() == expected ? 0 : 1;
            long between = System.nanoTime();
            wrong += verified.getAsLong() == expected ? 0 : 1;
            storedMs.add((between - started) / 1_000_000);
            verifiedMs.add((System.nanoTime() - between) / 1_000_000);
        }
        return Json.object()
                .put("connections", expected)
                .put("storedMs", storedMs.stream().sorted().toList().get(RUNS / 2))
                .put("verifiedMs", verifiedMs.stream().sorted().toList().get(RUNS / 2))
                .put("wrongCounts", wrong);
    }
}
