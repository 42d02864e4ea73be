package io.groupcast.bench.cost;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.bench.BenchSetup;
import io.groupcast.bench.Machine;
import io.groupcast.core.config.AwsClients;
import io.groupcast.core.config.Environment;
import io.groupcast.core.delivery.Connections;
import io.groupcast.core.delivery.FanoutSettings;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.Grants;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Json;
import io.groupcast.core.model.Protocol;
import io.groupcast.core.model.UserId;
import io.groupcast.core.protocol.ClientFrame;
import io.groupcast.core.protocol.ClientFrames;
import io.groupcast.core.protocol.ServerFrame;
import io.groupcast.core.store.StreamLog;
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
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What one resume costs with 10, 500 and 50,000 kept messages missed (and 50,000 that expired, which TTL has not
 * deleted yet), on a {@code groupcast.reliable.v1} connection (replay frames of up to 32 KB) and on a plain one (a
 * post per message, each after the one before it): read units, queries, posts, bytes and time, metered on the real
 * {@link Streams} against dynalite and the loopback management API. Printed by {@code resume}.
 */
public final class ResumeCost {
    static final List<Integer> KEPT = List.of(10, 500, 50_000);

    private ResumeCost() {}

    public static List<ObjectNode> run(BenchSetup setup) {
        List<ObjectNode> lines = new ArrayList<>();
        run(setup, 10, false, Protocol.RELIABLE_V1); // warm-up: the first resume of a JVM loads its classes
        for (int kept : KEPT) {
            lines.add(run(setup, kept, false, Protocol.RELIABLE_V1));
            lines.add(run(setup, kept, false, Protocol.PLAIN));
        }
        lines.add(run(setup, 50_000, true, Protocol.RELIABLE_V1));
        return lines;
    }

    private static ObjectNode run(BenchSetup setup, int kept, boolean expired, Protocol protocol) {
        CapacityMeter meter = new CapacityMeter();
        Clock clock = Clock.systemUTC();
        try (LoopbackManagementApi api = LoopbackManagementApi.start();
                DynamoDbClient dynamo =
                        AwsClients.from(Environment.of(setup.env(null))).dynamoDb(meter)) {
            DynamoDbTable table = new DynamoDbTable(dynamo, setup.newTable());
            DynamoDbMembershipStore store = new DynamoDbMembershipStore(table);
            DynamoDbStreamLog log = new DynamoDbStreamLog(table);
            Instant now = clock.instant();
            Connection reader =
                    Connection.opened(ConnectionId.of("reader="), UserId.of("reader"), now, Grants.NONE, protocol);
            GroupName own = GroupName.ofUser(reader.user());
            store.connect(reader);
            api.open("reader=");
            Duration window = expired ? Duration.ofSeconds(3) : Duration.ofHours(1);
            Instant start = expired ? now.minus(Duration.ofHours(1)) : now;
            log.seed(own, messages(own, kept, start, window), "e1");
            Connections connections = AwsClients.from(
                            Environment.of(setup.env(api.endpoint().toString())))
                    .connections(64);
            Streams streams = new Streams(
                    log,
                    store,
                    AwsClients.calls(store, connections, FanoutSettings.defaults()),
                    window,
                    Runnable::run,
                    clock);
            ClientFrame.Resume request = (ClientFrame.Resume)
                    ClientFrames.read("{\"action\":\"resume\",\"streams\":{\"" + own.value() + "\":0}}");
            meter.take();
            long started = System.nanoTime();
            ServerFrame.Resumed resumed = streams.resume(reader, request, () -> 11_000);
            long millis = (System.nanoTime() - started) / 1_000_000;
            CapacityMeter.Usage usage = meter.take();
            List<String> frames = api.frames("reader=");
            long bytes = frames.stream()
                    .mapToLong(f -> f.getBytes(StandardCharsets.UTF_8).length)
                    .sum();
            long units = frames.stream()
                    .mapToLong(f -> (f.getBytes(StandardCharsets.UTF_8).length + 32_767) / 32_768)
                    .sum();
            int expected = expired ? 1 : Math.min(kept, 500);
            ObjectNode line = Json.object()
                    .put("scenario", "resume")
                    .put(
                            "case",
                            String.format(
                                    "%,d %s, %s",
                                    kept,
                                    expired ? "expired" : "missed",
                                    protocol == Protocol.PLAIN ? "plain" : "reliable"))
                    .put("kept", kept)
                    .put("expired", expired)
                    .put("protocol", protocol == Protocol.PLAIN ? "plain" : "reliable")
                    .put("rcu", usage.readUnits())
                    .put("queries", usage.calls("Query"))
                    .put("posts", frames.size())
                    .put("bytes", bytes)
                    .put("messageUnits", units)
                    .put("ms", millis)
                    .put("more", resumed.more())
                    .put("ok", replayed(frames) == expected);
            line.set("machine", Machine.describe());
            return line;
        }
    }

    /** Messages and gaps sent, replay frames unpacked. */
    private static int replayed(List<String> frames) {
        int count = 0;
        for (String frame : frames) {
            var node = Json.parse(frame);
            count += node.path("type").asText().equals("replay")
                    ? node.path("frames").size()
                    : 1;
        }
        return count;
    }

    private static List<StreamLog.Kept> messages(GroupName stream, int count, Instant start, Duration window) {
        List<StreamLog.Kept> messages = new ArrayList<>();
        for (int seq = 1; seq <= count; seq++) {
            Instant takenAt = start.plusMillis(seq);
            byte[] frame = ("{\"type\":\"message\",\"stream\":\"" + stream.value() + "\",\"seq\":" + seq
                            + ",\"id\":\"m" + seq + "\",\"epoch\":\"e1\",\"from\":\"server\",\"data\":{\"text\":\""
                            + "x".repeat(100) + "\"}}")
                    .getBytes(StandardCharsets.UTF_8);
            messages.add(new StreamLog.Kept(seq, frame, takenAt.minusMillis(1), Set.of(), takenAt.plus(window)));
        }
        return messages;
    }
}
