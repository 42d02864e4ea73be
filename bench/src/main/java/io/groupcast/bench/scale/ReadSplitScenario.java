package io.groupcast.bench.scale;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.bench.BenchSetup;
import io.groupcast.bench.Machine;
import io.groupcast.bench.Progress;
import io.groupcast.core.config.AwsClients;
import io.groupcast.core.config.Environment;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Json;
import io.groupcast.core.store.dynamodb.DynamoDbMembershipStore;
import io.groupcast.core.store.dynamodb.DynamoDbTable;
import io.groupcast.core.workers.Slice;
import io.groupcast.standins.CapacityMeter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code read-split}: the two ways to let several workers read one large group, measured on the same N members:
 * the group's one partition read in 16 key ranges at once (what the workers do), and the group sharded over 16
 * partition keys read at once; with one sequential read as the baseline. Reports time, read units and items.
 */
public final class ReadSplitScenario {
    private ReadSplitScenario() {}

    public static ObjectNode run(BenchSetup setup, int n) throws Exception {
        String table = setup.newTable();
        CapacityMeter meter = new CapacityMeter();
        try (DynamoDbClient dynamo =
                AwsClients.from(Environment.of(setup.env(null))).dynamoDb(meter)) {
            DynamoDbMembershipStore store = new DynamoDbMembershipStore(new DynamoDbTable(dynamo, table));
            List<String> ids = FanoutLargeScenario.ids(n);
            long writing = System.nanoTime();
            FanoutLargeScenario.write(setup, table, ids, id -> "split");
            FanoutLargeScenario.write(
                    setup, table, ids, id -> "split-shard:" + Math.floorMod(id.hashCode(), Slice.RANGES));
            Progress.say("read-split: " + n + " members written twice in " + (System.nanoTime() - writing) / 1_000_000
                    + " ms (one partition, and 16 shards)");
            Instant now = Instant.now();
            ExecutorService pool = Executors.newFixedThreadPool(Slice.RANGES);
            try {
                meter.take();
                long started = System.nanoTime();
                long sequential = store.recipientsBetween(GroupName.of("split"), "", "", Integer.MAX_VALUE, now)
                        .size();
                long sequentialMs = (System.nanoTime() - started) / 1_000_000;
                double sequentialRcu = meter.take().readUnits();

                List<String> bounds = new ArrayList<>(List.of(""));
                bounds.addAll(Slice.BOUNDARIES);
                bounds.add("");
                started = System.nanoTime();
                List<Future<Integer>> ranges = new ArrayList<>();
                for (int i = 0; i + 1 < bounds.size(); i++) {
                    String after = bounds.get(i);
                    String before = bounds.get(i + 1);
                    ranges.add(pool.submit(
                            () -> store.recipientsBetween(GroupName.of("split"), after, before, Integer.MAX_VALUE, now)
                                    .size()));
                }
                long rangeItems = 0;
                for (Future<Integer> range : ranges) {
                    rangeItems += range.get();
                }
                long rangesMs = (System.nanoTime() - started) / 1_000_000;
                double rangesRcu = meter.take().readUnits();

                started = System.nanoTime();
                List<Future<Integer>> shards = new ArrayList<>();
                for (int i = 0; i < Slice.RANGES; i++) {
                    GroupName shard = GroupName.of("split-shard:" + i);
                    shards.add(pool.submit(() -> store.recipientsBetween(shard, "", "", Integer.MAX_VALUE, now)
                            .size()));
                }
                long shardItems = 0;
                for (Future<Integer> shard : shards) {
                    shardItems += shard.get();
                }
                long shardsMs = (System.nanoTime() - started) / 1_000_000;
                double shardsRcu = meter.take().readUnits();

                ObjectNode line = Json.object()
                        .put("scenario", "read-split")
                        .put("members", n)
                        .put("sequentialMs", sequentialMs)
                        .put("sequentialRcu", sequentialRcu)
                        .put("rangesMs", rangesMs)
                        .put("rangesRcu", rangesRcu)
                        .put("shardsMs", shardsMs)
                        .put("shardsRcu", shardsRcu)
                        .put("ok", sequential == n && rangeItems == n && shardItems == n);
                line.set("machine", Machine.describe());
                return line;
            } finally {
                pool.shutdown();
                pool.awaitTermination(1, TimeUnit.MINUTES);
            }
        }
    }
}
