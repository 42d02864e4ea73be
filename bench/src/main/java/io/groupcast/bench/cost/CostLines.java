package io.groupcast.bench.cost;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.bench.Machine;
import io.groupcast.core.model.Json;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The JSON lines of {@code cost}: one per operation, with its memory sweep, and one of the workloads priced. */
final class CostLines {
    /** The Lambda sizes an operation's arm64 price is given at. */
    private static final List<Integer> MEMORY_SWEEP_MB = List.of(256, 512, 1024, 1769);

    private CostLines() {}

    /** An operation's measurements and prices, and its Lambda price at each size of the memory sweep. */
    static ObjectNode operation(Measured m) {
        ObjectNode line = Json.object()
                .put("scenario", "cost")
                .put("operation", m.name())
                .put("function", m.function())
                .put("memoryMb", m.memoryMb())
                .put("readUnits", round(m.readUnits(), 2))
                .put("writeUnits", round(m.writeUnits(), 2))
                .put("cpuMs", round(m.cpuMs(), 2))
                .put("wallMs", round(m.wallMs(), 2))
                .put("logBytes", Math.round(m.logBytes()))
                .put("oursUsdX86", m.ours(false))
                .put("oursUsdArm64", m.ours(true))
                .put("apiGatewayUsd", m.platform());
        ObjectNode sizes = line.putObject("arm64UsdByMemoryMb");
        for (int memory : MEMORY_SWEEP_MB) {
            sizes.put(Integer.toString(memory), m.lambda(memory, Prices.LAMBDA_GB_SECOND_ARM));
        }
        line.put("ok", true);
        return line;
    }

    /**
     * Two workloads, priced on Groupcast (ours plus API Gateway's own charges), AppSync Events and Azure Web PubSub:
     * a chat of 10,000 users online 8 hours a day sending 50 messages each to rooms of 10; a notification service with
     * 1,000,000 daily users connected 5 minutes each and 3 notifications each.
     */
    static ObjectNode workloads(List<Measured> measured) {
        Map<String, Measured> op = new HashMap<>();
        measured.forEach(m -> op.put(m.name(), m));
        double cycle = op.get("authorize").ours(true)
                + op.get("connect").ours(true)
                + op.get("disconnect").ours(true);
        ObjectNode line = Json.object().put("scenario", "cost-workloads").put("pricesReadOn", Prices.READ_ON);
        ArrayNode rows = line.putArray("workloads");
        // chat: 10,000 users x 8 h = 4 connections each (API Gateway cuts at 2 h), 2 joins per connection,
        // 50 sends each to a room of 10 (10 deliveries), 4,800,000 connection minutes
        double chatConnects = 10_000 * 4.0;
        double chatJoins = chatConnects * 2;
        double chatSends = 10_000 * 50.0;
        double sendTo10 = op.get("client send to 100").ours(true) / 10; // measured on 100, the fan-out share scales
        double chatOurs = chatConnects * cycle
                + chatJoins * op.get("join").ours(true)
                + chatSends * Math.max(sendTo10, op.get("join").ours(true));
        double chatMinutes = 10_000 * 8 * 60.0;
        double chatMessages = chatJoins * 2 + chatSends * (1 + 10 + 1);
        double chatApiGateway =
                chatMinutes * Prices.WEBSOCKET_CONNECTION_MINUTE + chatMessages * Prices.WEBSOCKET_MESSAGE;
        double chatAppSync = (chatConnects + chatSends * (1 + 10)) * Prices.APPSYNC_EVENTS_OPERATION
                + chatMinutes * Prices.APPSYNC_EVENTS_CONNECTION_MINUTE;
        // Web PubSub: peak concurrency; with users spread over 16 hours, about half online at once: 5,000, 5 units
        // (10 for 80 % headroom); 5,500,000 outbound messages a day, 5,000,000 included per 5 units
        double chatPubSub = 10 * Prices.WEB_PUBSUB_UNIT_DAY
                + Math.max(0, chatSends * 11 - 10 * 1e6) * Prices.WEB_PUBSUB_EXTRA_MESSAGE;
        rows.add(row(
                "chat: 10,000 users, 8 h a day, 50 messages each to rooms of 10",
                chatOurs,
                chatApiGateway,
                chatAppSync,
                chatPubSub));
        // notifications: 1,000,000 connects of 5 minutes, 3 notifies to the user (1 recipient) each
        double notifyConnects = 1e6;
        double notifies = 3e6;
        double notifyOurs =
                notifyConnects * cycle + notifies * op.get("notify to 1").ours(true);
        double notifyMinutes = 5e6;
        double notifyApiGateway = notifyMinutes * Prices.WEBSOCKET_CONNECTION_MINUTE
                + notifies * (Prices.WEBSOCKET_MESSAGE + Prices.HTTP_API_REQUEST);
        double notifyAppSync = (notifyConnects + notifies * 2) * Prices.APPSYNC_EVENTS_OPERATION
                + notifyMinutes * Prices.APPSYNC_EVENTS_CONNECTION_MINUTE;
        // Web PubSub: 1,000,000 users over a day, 5 minutes each: about 3,500 at once on average, peaks 3x: 20 units
        double notifyPubSub = 20 * Prices.WEB_PUBSUB_UNIT_DAY;
        rows.add(row(
                "notifications: 1,000,000 users a day, connected 5 min, 3 notifications each",
                notifyOurs,
                notifyApiGateway,
                notifyAppSync,
                notifyPubSub));
        line.put("connectCycleUsd", cycle)
                .put("tenMinutesOfConnectionUsd", 10 * Prices.WEBSOCKET_CONNECTION_MINUTE)
                .put("perDeliveryAt100Usd", op.get("notify to 100").ours(true) / 100)
                .put("apiGatewayPerMessageUsd", Prices.WEBSOCKET_MESSAGE)
                .put("ok", true);
        line.set("machine", Machine.describe());
        return line;
    }

    private static ObjectNode row(String workload, double ours, double apiGateway, double appSync, double webPubSub) {
        return Json.object()
                .put("workload", workload)
                .put("groupcastLambdaDynamoLogsUsdPerDay", round(ours, 2))
                .put("apiGatewayUsdPerDay", round(apiGateway, 2))
                .put("groupcastTotalUsdPerDay", round(ours + apiGateway, 2))
                .put("appSyncEventsUsdPerDay", round(appSync, 2))
                .put("azureWebPubSubUsdPerDay", round(webPubSub, 2));
    }

    private static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }
}
