package io.groupcast.bench.cost;

import com.sun.management.OperatingSystemMXBean;
import io.groupcast.bench.Progress;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.UserId;
import io.groupcast.core.store.dynamodb.DynamoDbMembershipStore;
import io.groupcast.core.store.dynamodb.DynamoDbStreamLog;
import io.groupcast.local.DevTokens;
import io.groupcast.standins.CapacityMeter;
import io.groupcast.standins.LoopbackManagementApi;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * The operations {@code cost} measures, in this order, each on its real handler: authorize, connect, join, leave, a
 * client's send to 100, a resume of 10 missed messages, disconnect, and notifies to groups of 1 to 10,000.
 */
final class CostOperations {
    /** How many times each operation runs; the sends, the resumes and the large notifies run fewer times. */
    private static final int REPS = 200;

    private final FunctionCalls functions;
    private final DynamoDbMembershipStore store;
    private final LoopbackManagementApi api;
    private final CapacityMeter meter;
    private final List<String> ids =
            IntStream.range(0, REPS).mapToObj(i -> "cost" + i + "=").toList();
    private final Instant expires = Instant.now().plus(Duration.ofHours(2));
    private final List<Measured> measured = new ArrayList<>();

    /** Operations through {@code functions} on {@code store}, metered by {@code meter} (its DynamoDB client's). */
    CostOperations(
            FunctionCalls functions, DynamoDbMembershipStore store, LoopbackManagementApi api, CapacityMeter meter) {
        this.functions = functions;
        this.store = store;
        this.api = api;
        this.meter = meter;
    }

    /** Measures every operation, in order. */
    List<Measured> measureAll() {
        ids.forEach(api::open);
        Progress.say("cost: measuring each operation " + REPS + " times (fewer for large notifies)");
        warmUp();
        connectAndJoin();
        sendAndResume();
        measure("disconnect", "DisconnectFunction", 512, REPS, 0, 0, i -> functions.disconnect(ids.get(i), "u" + i));
        notifies();
        return measured;
    }

    /** Runs every path once, unmetered. */
    private void warmUp() {
        functions.connect("warm=", "warm");
        functions.message("warm=", "warm", "{\"action\":\"join\",\"group\":\"room-1\"}");
        functions.disconnect("warm=", "warm");
        meter.take();
    }

    private void connectAndJoin() {
        DevTokens tokens = DevTokens.dev();
        measure(
                "authorize",
                "AuthorizeFunction",
                512,
                REPS,
                0,
                0,
                i -> functions.authorize(tokens.issue(UserId.of("u" + i), Duration.ofHours(1))));
        measure("connect", "ConnectFunction", 512, REPS, 0, 0, i -> functions.connect(ids.get(i), "u" + i));
        for (String action : List.of("join", "leave")) {
            String frame = "{\"action\":\"" + action + "\",\"group\":\"room-1\"}";
            measure(action, "MessageFunction", 512, REPS, 2, 0, i -> functions.message(ids.get(i), "u" + i, frame));
        }
    }

    /** A client's send to a room of 100, then a resume that replays the last 10 of the room's messages. */
    private void sendAndResume() {
        members("room-100", 100);
        measure(
                "client send to 100",
                "MessageFunction",
                512,
                50,
                102,
                0,
                i -> functions.message(
                        ids.get(i),
                        "u" + i,
                        "{\"action\":\"send\",\"group\":\"room-100\",\"data\":{\"text\":\"" + "x".repeat(200)
                                + "\"}}"));
        long head = new DynamoDbStreamLog(store.table())
                .head(GroupName.of("room-100"), Instant.now())
                .seq();
        functions.message(ids.get(0), "u0", "{\"action\":\"join\",\"group\":\"room-100\"}");
        meter.take();
        measure(
                "resume (10 missed)",
                "MessageFunction",
                512,
                50,
                12,
                0,
                i -> functions.message(
                        ids.get(0),
                        "u0",
                        "{\"action\":\"resume\",\"streams\":{\"room-100\":" + Math.max(0, head - 10) + "}}"));
    }

    private void notifies() {
        for (int size : List.of(1, 100, 1000, 10000)) {
            String group = "notify-" + size;
            members(group, size);
            meter.take();
            int times = size >= 10000 ? 2 : size >= 1000 ? 5 : 20;
            String body = "{\"group\":\"" + group + "\",\"message\":{\"text\":\"" + "x".repeat(200) + "\"}}";
            measure(
                    "notify to " + String.format("%,d", size),
                    "NotifyFunction",
                    1769,
                    times,
                    size,
                    1,
                    i -> functions.postNotify(body));
        }
    }

    private void members(String group, int n) {
        IntStream.range(0, n).parallel().forEach(i -> {
            String id = group + "-" + i + "=";
            store.join(ConnectionId.of(id), GroupName.of(group), expires);
            api.open(id);
        });
    }

    /** Runs {@code op} {@code reps} times and records its measurements per operation. */
    private void measure(
            String name,
            String function,
            int memoryMb,
            int reps,
            double platformMessages,
            double httpRequests,
            IntConsumer op) {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        meter.take();
        long logsBefore = functions.loggedBytes();
        long cpuBefore = os.getProcessCpuTime();
        long started = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            op.accept(i);
        }
        long wall = System.nanoTime() - started;
        long cpu = os.getProcessCpuTime() - cpuBefore;
        CapacityMeter.Usage usage = meter.take();
        measured.add(new Measured(
                name,
                function,
                memoryMb,
                usage.readUnits() / reps,
                usage.writeUnits() / reps,
                cpu / 1e6 / reps,
                wall / 1e6 / reps,
                (functions.loggedBytes() - logsBefore) / (double) reps,
                platformMessages,
                httpRequests));
    }
}
