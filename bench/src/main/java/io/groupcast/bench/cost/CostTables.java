package io.groupcast.bench.cost;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.bench.Progress;
import java.util.List;

/** The two tables of {@code cost}, readable, on standard error (the JSON lines carry the same figures). */
final class CostTables {
    private CostTables() {}

    /** Prints the operations' table and the workloads' table. */
    static void say(List<Measured> measured, ObjectNode workloads) {
        StringBuilder table = new StringBuilder(String.format(
                "%n%-22s %6s %6s %8s %8s %6s %16s %16s%n",
                "operation", "RRU", "WRU", "CPU ms", "wall ms", "log B", "Groupcast $/M", "API Gateway $/M"));
        for (Measured m : measured) {
            table.append(String.format(
                    "%-22s %6.2f %6.2f %8.1f %8.1f %6.0f %16.2f %16.2f%n",
                    m.name(),
                    m.readUnits(),
                    m.writeUnits(),
                    m.cpuMs(),
                    m.wallMs(),
                    m.logBytes(),
                    m.ours(true) * 1e6,
                    m.platform() * 1e6));
        }
        table.append(String.format(
                "%n%-75s %10s %10s %10s %10s %10s%n",
                "workload ($ per day)", "ours", "API GW", "in all", "AppSync", "WebPubSub"));
        for (var row : workloads.path("workloads")) {
            table.append(String.format(
                    "%-75s %10.2f %10.2f %10.2f %10.2f %10.2f%n",
                    row.path("workload").asText(),
                    row.path("groupcastLambdaDynamoLogsUsdPerDay").asDouble(),
                    row.path("apiGatewayUsdPerDay").asDouble(),
                    row.path("groupcastTotalUsdPerDay").asDouble(),
                    row.path("appSyncEventsUsdPerDay").asDouble(),
                    row.path("azureWebPubSubUsdPerDay").asDouble()));
        }
        Progress.say(table.toString());
    }
}
