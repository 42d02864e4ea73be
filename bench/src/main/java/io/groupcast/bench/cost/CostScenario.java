package io.groupcast.bench.cost;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.bench.BenchSetup;
import io.groupcast.core.config.AwsClients;
import io.groupcast.core.config.Environment;
import io.groupcast.core.store.MembershipStore;
import io.groupcast.core.store.dynamodb.DynamoDbMembershipStore;
import io.groupcast.core.store.dynamodb.DynamoDbTable;
import io.groupcast.functions.Wiring;
import io.groupcast.local.DevDefaults;
import io.groupcast.standins.CapacityMeter;
import io.groupcast.standins.LoopbackManagementApi;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code cost}: what each operation costs, measured on the real handlers (Lambda's own event types, the metered
 * DynamoDB client against dynalite, a loopback management API answering after 20 ms): read and write units from
 * {@code ConsumedCapacity}, CPU time, wall time and log bytes per operation, priced with {@link Prices} next to what
 * API Gateway itself charges for the same operation; then typical workloads, on Groupcast and on AppSync Events and
 * Azure Web PubSub.
 */
public final class CostScenario {
    private CostScenario() {}

    /** Measures every operation: a JSON line each, then one of the workloads; the tables go to standard error. */
    public static List<ObjectNode> run(BenchSetup setup) throws Exception {
        CapacityMeter meter = new CapacityMeter();
        String table = setup.newTable();
        List<ObjectNode> lines = new ArrayList<>();
        try (LoopbackManagementApi api = LoopbackManagementApi.start();
                DynamoDbClient dynamo =
                        AwsClients.from(Environment.of(setup.env(null))).dynamoDb(meter)) {
            api.latency(Duration.ofMillis(20));
            DynamoDbMembershipStore store = new DynamoDbMembershipStore(new DynamoDbTable(dynamo, table));
            Map<String, String> env = new HashMap<>(setup.env(api.endpoint().toString()));
            env.put("TABLE_NAME", table);
            env.put("JWT_SECRET", DevDefaults.JWT_SECRET);
            env.put("LOG_LEVEL", "INFO");
            Wiring wiring =
                    Wiring.builder(env).with(MembershipStore.class, store).build();
            HandlerEvents events = HandlerEvents.read(setup.root.resolve("events"));
            FunctionCalls functions = new FunctionCalls(wiring, events);
            List<Measured> measured = new CostOperations(functions, store, api, meter).measureAll();
            for (Measured m : measured) {
                lines.add(CostLines.operation(m));
            }
            ObjectNode workloads = CostLines.workloads(measured);
            lines.add(workloads);
            CostTables.say(measured, workloads);
        }
        return lines;
    }
}
