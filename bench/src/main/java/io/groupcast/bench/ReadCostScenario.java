package io.groupcast.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Json;
import io.groupcast.core.model.UserId;
import io.groupcast.core.store.dynamodb.DynamoDbMembershipStore;
import io.groupcast.core.store.dynamodb.DynamoDbTable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * A user with 3 connections among 10,000 connections of other users: the items read and read capacity of
 * Groupcast's notify lookup (one Query of the user's partition) against a Scan of a connections table with a filter,
 * the way AWS's simple-websockets-chat-app finds recipients.
 */
final class ReadCostScenario {
    private ReadCostScenario() {}

    static ObjectNode run(BenchSetup setup, int others) throws Exception {
        String table = setup.newTable();
        String sampleTable = setup.newTable();
        DynamoDbMembershipStore store = new DynamoDbMembershipStore(new DynamoDbTable(setup.dynamo, table));
        Instant now = Instant.now();
        List<String> ids =
                IntStream.range(0, others + 3).mapToObj(i -> "conn" + i).toList();
        Progress.say("readcost: connecting " + ids.size() + " connections (Groupcast's table and a chat-sample table)");
        FanoutScenario.parallel(ids, id -> {
            int n = Integer.parseInt(id.substring(4));
            String user = n < 3 ? "kevin" : "user" + n;
            store.connect(Connection.opened(ConnectionId.of(id), UserId.of(user), now));
            setup.dynamo.putItem(b -> b.tableName(sampleTable)
                    .item(Map.of(
                            "pk", AttributeValue.builder().s(id).build(),
                            "sk", AttributeValue.builder().s("connection").build(),
                            "userId", AttributeValue.builder().s(user).build())));
        });

        Progress.say("readcost: Groupcast's Query against a filtered Scan");
        QueryRequest query = DynamoDbMembershipStore.membersQuery(table, GroupName.of("user:kevin"), now).toBuilder()
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                .build();
        Reads groupcast = Reads.sum(setup.dynamo.queryPaginator(query).stream()
                .map(page -> new Reads(page.scannedCount(), page.count(), rcu(page.consumedCapacity()))));
        // The baseline only: Groupcast itself never scans (DataRulesTest keeps Scan out of the product's code).
        ScanRequest scan = ScanRequest.builder()
                .tableName(sampleTable)
                .filterExpression("userId = :u")
                .expressionAttributeValues(
                        Map.of(":u", AttributeValue.builder().s("kevin").build()))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                .build();
        Reads baseline = Reads.sum(setup.dynamo.scanPaginator(scan).stream()
                .map(page -> new Reads(page.scannedCount(), page.count(), rcu(page.consumedCapacity()))));
        ObjectNode line = Json.object()
                .put("scenario", "readcost")
                .put("connections", ids.size())
                .put("groupSize", 3)
                .put("groupcastItemsRead", groupcast.items)
                .put("scanItemsRead", baseline.items)
                .put("groupcastRcu", groupcast.rcu)
                .put("scanRcu", baseline.rcu)
                .put("groupcastFound", groupcast.found)
                .put("scanFound", baseline.found)
                .put("ok", groupcast.found == 3 && baseline.found == 3);
        line.set("machine", Machine.describe());
        return line;
    }

    private static double rcu(ConsumedCapacity capacity) {
        return capacity == null ? 0 : capacity.capacityUnits();
    }

    /** Items read, items found and read capacity of one page, or summed over the pages of one lookup. */
    private record Reads(int items, int found, double rcu) {
        static Reads sum(Stream<Reads> pages) {
            return pages.reduce(
                    new Reads(0, 0, 0), (a, b) -> new Reads(a.items + b.items, a.found + b.found, a.rcu + b.rcu));
        }
    }
}
