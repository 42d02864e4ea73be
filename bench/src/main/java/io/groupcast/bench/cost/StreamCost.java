package io.groupcast.bench.cost;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.bench.BenchSetup;
import io.groupcast.bench.Machine;
import io.groupcast.core.config.AwsClients;
import io.groupcast.core.config.Environment;
import io.groupcast.core.delivery.Budget;
import io.groupcast.core.delivery.ConnectionCalls;
import io.groupcast.core.delivery.Connections;
import io.groupcast.core.delivery.FanoutSettings;
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
import io.groupcast.core.protocol.ClientFrame;
import io.groupcast.core.protocol.ServerFrame;
import io.groupcast.core.store.dynamodb.DynamoDbIdempotencyStore;
import io.groupcast.core.store.dynamodb.DynamoDbMembershipStore;
import io.groupcast.core.store.dynamodb.DynamoDbStreamLog;
import io.groupcast.core.store.dynamodb.DynamoDbTable;
import io.groupcast.core.streams.Streams;
import io.groupcast.standins.CapacityMeter;
import io.groupcast.standins.LoopbackManagementApi;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What reliable delivery costs in DynamoDB, metered on the real code paths: a notify to a group of 100 with streams
 * off and on (a small and a 4 KB message), and a resume that replays 10 missed messages. Part of {@code readcost}.
 */
public final class StreamCost {
    static final int MEMBERS = 100;
    static final int MISSED = 10;

    private StreamCost() {}

    public static ObjectNode run(BenchSetup setup) {
        CapacityMeter meter = new CapacityMeter();
        String table = setup.newTable();
        try (LoopbackManagementApi api = LoopbackManagementApi.start();
                DynamoDbClient dynamo =
                        AwsClients.from(Environment.of(setup.env(null))).dynamoDb(meter)) {
            DynamoDbMembershipStore store = new DynamoDbMembershipStore(new DynamoDbTable(dynamo, table));
            Connections connections = AwsClients.from(
                            Environment.of(setup.env(api.endpoint().toString())))
                    .connections(64);
            Clock clock = Clock.systemUTC();
            GroupName group = GroupName.of("busy");
            Instant now = clock.instant();
            Connection reader = Connection.opened(
                    ConnectionId.of("reader="), UserId.of("reader"), now, Grants.NONE, Protocol.RELIABLE_V1);
            store.connect(reader);
            store.join(reader.recipient(), group, reader.expiresAt());
            api.open("reader=");
            for (int i = 1; i < MEMBERS; i++) {
                String id = "m" + i + "=";
                store.join(ConnectionId.of(id), group, reader.expiresAt());
                api.open(id);
            }
            ConnectionCalls fanout = AwsClients.calls(store, connections, FanoutSettings.defaults());
            DynamoDbStreamLog log = new DynamoDbStreamLog(store.table());
            Idempotency idempotency = new Idempotency(new DynamoDbIdempotencyStore(store.table()), clock);
            Notifier off = new Notifier(
                    store,
                    fanout,
                    new Streams(log, store, fanout, Duration.ZERO, Runnable::run, clock),
                    idempotency,
                    clock);
            Streams streams = new Streams(log, store, fanout, Streams.DEFAULT_WINDOW, Streams.newBackground(), clock);
            Notifier on = new Notifier(store, fanout, streams, idempotency, clock);
            String small = "{\"group\":\"busy\",\"message\":{\"text\":\"" + "x".repeat(200) + "\"}}";
            String large = "{\"group\":\"busy\",\"message\":{\"text\":\"" + "x".repeat(4000) + "\"}}";

            on.notify(NotifyRequest.parse(small), Budget.unlimited()); // warm-up
            meter.take();
            off.notify(NotifyRequest.parse(small), Budget.unlimited());
            CapacityMeter.Usage plain = meter.take();
            on.notify(NotifyRequest.parse(small), Budget.unlimited());
            CapacityMeter.Usage streamed = meter.take();
            on.notify(NotifyRequest.parse(large), Budget.unlimited());
            CapacityMeter.Usage streamedLarge = meter.take();

            long head = log.head(group, clock.instant()).seq();
            for (int i = 0; i < MISSED; i++) {
                on.notify(NotifyRequest.parse(small), Budget.unlimited());
            }
            meter.take();
            ServerFrame.Resumed resumed = streams.resume(
                    reader,
                    new ClientFrame.Resume(Map.of(group, OptionalLong.of(head)), OptionalLong.empty()),
                    Budget.unlimited());
            CapacityMeter.Usage resume = meter.take();
            boolean replayed = resumed.heads().get(group) == head + MISSED;

            ObjectNode line = Json.object()
                    .put("scenario", "streamcost")
                    .put("groupSize", MEMBERS)
                    .put("notifyWcuPlain", plain.writeUnits())
                    .put("notifyRcuPlain", plain.readUnits())
                    .put("notifyWcuStreamed", streamed.writeUnits())
                    .put("notifyRcuStreamed", streamed.readUnits())
                    .put("notifyWcuStreamed4KB", streamedLarge.writeUnits())
                    .put("resumeMessages", MISSED)
                    .put("resumeRcu", resume.readUnits())
                    .put("resumeQueries", resume.calls("Query"))
                    .put("ok", replayed && streamed.calls("UpdateItem") == plain.calls("UpdateItem") + 1);
            line.set("machine", Machine.describe());
            return line;
        }
    }
}
