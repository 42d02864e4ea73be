package io.groupcast.bench.cost;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
import io.groupcast.core.model.Json;
import io.groupcast.core.model.UserId;
import io.groupcast.core.store.dynamodb.DynamoDbLinkStore;
import io.groupcast.core.store.dynamodb.DynamoDbMembershipStore;
import io.groupcast.core.store.dynamodb.DynamoDbStreamLog;
import io.groupcast.core.store.dynamodb.DynamoDbTable;
import io.groupcast.core.streams.Streams;
import io.groupcast.standins.CapacityMeter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A connect-disconnect cycle's DynamoDB writes with {@code BroadcastToAll} enabled and disabled, every store of the
 * cycle on one metered client: what the stack choice saves, in write units and dollars per million cycles.
 */
public final class BroadcastCycle {
    static final int CYCLES = 200;

    private BroadcastCycle() {}

    public static List<ObjectNode> run(BenchSetup setup) {
        CapacityMeter meter = new CapacityMeter();
        Clock clock = Clock.systemUTC();
        List<ObjectNode> lines = new ArrayList<>();
        try (DynamoDbClient dynamo =
                AwsClients.from(Environment.of(setup.env(null))).dynamoDb(meter)) {
            DynamoDbTable table = new DynamoDbTable(dynamo, setup.newTable());
            DynamoDbMembershipStore store = new DynamoDbMembershipStore(table);
            Supplier<ConnectionCalls> noReplays = () -> {
                throw new IllegalStateException("a connect replays nothing");
            };
            Streams streams = new Streams(
                    new DynamoDbStreamLog(table), store, noReplays, Streams.DEFAULT_WINDOW, Runnable::run, clock);
            for (boolean broadcast : new boolean[] {true, false}) {
                ConnectionLifecycle lifecycle = new ConnectionLifecycle(
                        store,
                        new DynamoDbLinkStore(table),
                        streams,
                        UserLimits.DEFAULTS,
                        broadcast,
                        Runnable::run,
                        clock);
                Progress.say("cost-broadcast: " + CYCLES + " cycles, BroadcastToAll="
                        + (broadcast ? "Enabled" : "Disabled"));
                meter.take();
                for (int i = 0; i < CYCLES; i++) {
                    Connection connection = Connection.opened(
                            ConnectionId.of("b" + broadcast + i + "="), UserId.of("u" + i), clock.instant());
                    lifecycle.opened(connection);
                    lifecycle.closed(connection.id());
                }
                CapacityMeter.Usage usage = meter.take();
                double writeUnits = usage.writeUnits() / CYCLES;
                double readUnits = usage.readUnits() / CYCLES;
                ObjectNode line = Json.object()
                        .put("scenario", "cost-broadcast")
                        .put("broadcastToAll", broadcast ? "Enabled" : "Disabled")
                        .put("writeUnitsPerCycle", writeUnits)
                        .put("readUnitsPerCycle", readUnits)
                        .put(
                                "dynamoUsdPerMillionCycles",
                                Math.round((writeUnits * Prices.DYNAMODB_WRITE_UNIT
                                                        + readUnits * Prices.DYNAMODB_READ_UNIT)
                                                * 1e6
                                                * 100)
                                        / 100.0)
                        .put("ok", true);
                line.set("machine", Machine.describe());
                lines.add(line);
            }
        }
        return lines;
    }
}
