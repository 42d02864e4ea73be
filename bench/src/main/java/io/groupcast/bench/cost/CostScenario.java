package io.groupcast.bench.cost;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.OperatingSystemMXBean;
import io.groupcast.bench.BenchSetup;
import io.groupcast.bench.Machine;
import io.groupcast.bench.Progress;
import io.groupcast.core.config.AwsClients;
import io.groupcast.core.config.Environment;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Json;
import io.groupcast.core.model.UserId;
import io.groupcast.core.store.MembershipStore;
import io.groupcast.core.store.dynamodb.DynamoDbMembershipStore;
import io.groupcast.core.store.dynamodb.DynamoDbStreamLog;
import io.groupcast.core.store.dynamodb.DynamoDbTable;
import io.groupcast.functions.AuthorizeHandler;
import io.groupcast.functions.ServerApiHandler;
import io.groupcast.functions.WebSocketHandler;
import io.groupcast.functions.Wiring;
import io.groupcast.local.DevDefaults;
import io.groupcast.local.DevTokens;
import io.groupcast.standins.LambdaContext;
import io.groupcast.standins.LoopbackManagementApi;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
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

    /** One operation's measurements, per operation. */
    record Measured(
            String name,
            String function,
            int memoryMb,
            double readUnits,
            double writeUnits,
            double cpuMs,
            double wallMs,
            double logBytes,
            double platformMessages,
            double httpRequests) {
        /** Lambda's duration estimate at {@code memoryMb}: the waiting as measured, the CPU at that size's share. */
        double durationMs(int memory) {
            double share = Math.min(1.0, memory / 1769.0);
            double waiting = Math.max(0, wallMs - cpuMs);
            return Math.max(1, waiting + cpuMs / share);
        }

        double lambda(int memory, double gbSecond) {
            return memory / 1024.0 * durationMs(memory) / 1000 * gbSecond + Prices.LAMBDA_REQUEST;
        }

        double ours(boolean arm) {
            return lambda(memoryMb, arm ? Prices.LAMBDA_GB_SECOND_ARM : Prices.LAMBDA_GB_SECOND_X86)
                    + readUnits * Prices.DYNAMODB_READ_UNIT
                    + writeUnits * Prices.DYNAMODB_WRITE_UNIT
                    + logBytes / 1e9 * Prices.LOGS_GB_INGESTED;
        }

        double platform() {
            return platformMessages * Prices.WEBSOCKET_MESSAGE + httpRequests * Prices.HTTP_API_REQUEST;
        }
    }

    /** Counts the bytes the handlers log (CloudWatch Logs bills ingestion per GB). */
    static final class CountingLogger implements LambdaLogger {
        final AtomicLong bytes = new AtomicLong();

        @Override
        public void log(String message) {
            bytes.addAndGet(message.getBytes(StandardCharsets.UTF_8).length);
        }

        @Override
        public void log(byte[] message) {
            bytes.addAndGet(message.length);
        }
    }

    public static List<ObjectNode> run(BenchSetup setup) throws Exception {
        CapacityMeter meter = new CapacityMeter();
        CountingLogger logger = new CountingLogger();
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
            AuthorizeHandler authorizer = new AuthorizeHandler(wiring);
            WebSocketHandler webSocket = new WebSocketHandler(wiring);
            ServerApiHandler serverApi = new ServerApiHandler(wiring);
            Context connectContext = context("ConnectFunction", 512, logger);
            Context messageContext = context("MessageFunction", 512, logger);
            Context notifyContext = context("NotifyFunction", 1769, logger);
            Path events = setup.root.resolve("events");
            ObjectNode connectSample = (ObjectNode) Json.parse(Files.readString(events.resolve("connect.json")));
            ObjectNode messageSample = (ObjectNode) Json.parse(Files.readString(events.resolve("message.json")));
            ObjectNode disconnectSample = (ObjectNode) Json.parse(Files.readString(events.resolve("disconnect.json")));
            ObjectNode authorizeSample = (ObjectNode) Json.parse(Files.readString(events.resolve("authorize.json")));
            DevTokens tokens = DevTokens.dev();
            int reps = 200;
            List<String> ids =
                    IntStream.range(0, reps).mapToObj(i -> "cost" + i + "=").toList();
            ids.forEach(api::open);
            Instant expires = Instant.now().plus(Duration.ofHours(2));
            Progress.say("cost: measuring each operation " + reps + " times (fewer for large notifies)");

            List<Measured> measured = new ArrayList<>();
            // warm every path once, unmetered
            invoke(webSocket, webSocketEvent(connectSample, "warm=", "warm", null), connectContext);
            invoke(
                    webSocket,
                    webSocketEvent(messageSample, "warm=", "warm", "{\"action\":\"join\",\"group\":\"room-1\"}"),
                    messageContext);
            invoke(webSocket, webSocketEvent(disconnectSample, "warm=", "warm", null), connectContext);
            meter.take();

            measured.add(measure(
                    "authorize",
                    "AuthorizeFunction",
                    512,
                    reps,
                    meter,
                    logger,
                    0,
                    0,
                    i -> invoke(
                            authorizer,
                            authorizerEvent(authorizeSample, tokens.issue(UserId.of("u" + i), Duration.ofHours(1))),
                            context("AuthorizeFunction", 512, logger))));
            measured.add(measure(
                    "connect",
                    "ConnectFunction",
                    512,
                    reps,
                    meter,
                    logger,
                    0,
                    0,
                    i -> invoke(webSocket, webSocketEvent(connectSample, ids.get(i), "u" + i, null), connectContext)));
            for (String action : List.of("join", "leave")) {
                String frame = "{\"action\":\"" + action + "\",\"group\":\"room-1\"}";
                measured.add(measure(
                        action,
                        "MessageFunction",
                        512,
                        reps,
                        meter,
                        logger,
                        2,
                        0,
                        i -> invoke(
                                webSocket, webSocketEvent(messageSample, ids.get(i), "u" + i, frame), messageContext)));
            }
            members(store, api, "room-100", 100, expires);
            measured.add(measure(
                    "client send to 100",
                    "MessageFunction",
                    512,
                    50,
                    meter,
                    logger,
                    102,
                    0,
                    i -> invoke(
                            webSocket,
                            webSocketEvent(
                                    messageSample,
                                    ids.get(i),
                                    "u" + i,
                                    "{\"action\":\"send\",\"group\":\"room-100\",\"data\":{\"text\":\""
                                            + "x".repeat(200) + "\"}}"),
                            messageContext)));
            long head = new DynamoDbStreamLog(store.table())
                    .head(GroupName.of("room-100"), Instant.now())
                    .seq();
            invoke(
                    webSocket,
                    webSocketEvent(messageSample, ids.get(0), "u0", "{\"action\":\"join\",\"group\":\"room-100\"}"),
                    messageContext);
            meter.take();
            measured.add(measure(
                    "resume (10 missed)",
                    "MessageFunction",
                    512,
                    50,
                    meter,
                    logger,
                    12,
                    0,
                    i -> invoke(
                            webSocket,
                            webSocketEvent(
                                    messageSample,
                                    ids.get(0),
                                    "u0",
                                    "{\"action\":\"resume\",\"streams\":{\"room-100\":" + Math.max(0, head - 10)
                                            + "}}"),
                            messageContext)));
            measured.add(measure(
                    "disconnect",
                    "DisconnectFunction",
                    512,
                    reps,
                    meter,
                    logger,
                    0,
                    0,
                    i -> invoke(
                            webSocket, webSocketEvent(disconnectSample, ids.get(i), "u" + i, null), connectContext)));
            for (int size : List.of(1, 100, 1000, 10000)) {
                String group = "notify-" + size;
                members(store, api, group, size, expires);
                meter.take();
                int times = size >= 10000 ? 2 : size >= 1000 ? 5 : 20;
                String body = "{\"group\":\"" + group + "\",\"message\":{\"text\":\"" + "x".repeat(200) + "\"}}";
                measured.add(measure(
                        "notify to " + String.format("%,d", size),
                        "NotifyFunction",
                        1769,
                        times,
                        meter,
                        logger,
                        size,
                        1,
                        i -> invoke(serverApi, httpEvent(body), notifyContext)));
            }
            for (Measured m : measured) {
                lines.add(line(m));
            }
            lines.add(workloads(measured));
            say(measured, lines.get(lines.size() - 1));
        }
        return lines;
    }

    private static void members(
            DynamoDbMembershipStore store, LoopbackManagementApi api, String group, int n, Instant expires) {
        IntStream.range(0, n).parallel().forEach(i -> {
            String id = group + "-" + i + "=";
            store.join(ConnectionId.of(id), GroupName.of(group), expires);
            api.open(id);
        });
    }

    private static Measured measure(
            String name,
            String function,
            int memoryMb,
            int reps,
            CapacityMeter meter,
            CountingLogger logger,
            double platformMessages,
            double httpRequests,
            IntConsumer op) {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        meter.take();
        long logsBefore = logger.bytes.get();
        long cpuBefore = os.getProcessCpuTime();
        long started = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            op.accept(i);
        }
        long wall = System.nanoTime() - started;
        long cpu = os.getProcessCpuTime() - cpuBefore;
        CapacityMeter.Usage usage = meter.take();
        return new Measured(
                name,
                function,
                memoryMb,
                usage.readUnits() / reps,
                usage.writeUnits() / reps,
                cpu / 1e6 / reps,
                wall / 1e6 / reps,
                (logger.bytes.get() - logsBefore) / (double) reps,
                platformMessages,
                httpRequests);
    }

    private static ObjectNode line(Measured m) {
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
        for (int memory : List.of(256, 512, 1024, 1769)) {
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
    private static ObjectNode workloads(List<Measured> measured) {
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

    /** The two tables, readable, on standard error (the JSON lines on standard output carry the same figures). */
    private static void say(List<Measured> measured, ObjectNode workloads) {
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

    private static Context context(String function, int memoryMb, LambdaLogger logger) {
        return LambdaContext.of(function, Duration.ofSeconds(30), memoryMb, logger);
    }

    private static <I> void invoke(RequestHandler<I, ?> handler, I event, Context context) {
        handler.handleRequest(event, context);
    }

    private static <T> T read(ObjectNode json, Class<T> type) {
        return LambdaEventSerializers.serializerFor(type, CostScenario.class.getClassLoader())
                .fromJson(json.toString());
    }

    private static APIGatewayV2WebSocketEvent webSocketEvent(ObjectNode sample, String id, String user, String body) {
        ObjectNode event = sample.deepCopy();
        ObjectNode context = (ObjectNode) event.get("requestContext");
        context.put("connectionId", id);
        long now = System.currentTimeMillis();
        context.put("connectedAt", now).put("requestTimeEpoch", now);
        ObjectNode authorizer =
                context.has("authorizer") && context.get("authorizer").isObject()
                        ? (ObjectNode) context.get("authorizer")
                        : context.putObject("authorizer");
        authorizer.put("userId", user).put("principalId", user);
        if (body != null) {
            authorizer.put("roles", "groupcast.joinLeaveGroup groupcast.sendToGroup");
            if (body.contains("resume")) {
                authorizer.put("protocol", "groupcast.reliable.v1");
            }
            event.put("body", body);
        }
        return read(event, APIGatewayV2WebSocketEvent.class);
    }

    private static APIGatewayCustomAuthorizerEvent authorizerEvent(ObjectNode sample, String token) {
        ObjectNode event = sample.deepCopy();
        ((ObjectNode) event.get("queryStringParameters")).put("token", token);
        if (event.has("multiValueQueryStringParameters")
                && event.get("multiValueQueryStringParameters").isObject()) {
            ((ObjectNode) event.get("multiValueQueryStringParameters"))
                    .putArray("token")
                    .add(token);
        }
        return read(event, APIGatewayCustomAuthorizerEvent.class);
    }

    private static APIGatewayV2HTTPEvent httpEvent(String body) {
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setRouteKey("POST /notify");
        event.setBody(body);
        return event;
    }
}
