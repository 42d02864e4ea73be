package io.groupcast.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Json;
import io.groupcast.core.model.UserId;
import io.groupcast.core.store.dynamodb.DynamoDbMembershipStore;
import io.groupcast.core.store.dynamodb.DynamoDbTable;
import io.groupcast.local.LocalGateway;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

/**
 * C clients connecting at once through the local gateway (authorizer, $connect, DynamoDB): time until all are
 * connected members, then the time until the gateway has cleaned all of them up after they drop without a close.
 */
final class ConnectStormScenario {
    private ConnectStormScenario() {}

    static ObjectNode run(BenchSetup setup, int clients) throws Exception {
        String table = "bench-connect-" + clients + "-" + System.nanoTime();
        try (LocalGateway gateway = BenchGateway.start(setup, table)) {
            Progress.say("connect: " + clients + " clients connecting at once");
            long started = System.nanoTime();
            List<CompletableFuture<WebSocket>> pending = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                pending.add(BenchGateway.connect(gateway, "storm" + i, List.of(), new WebSocket.Listener() {}));
            }
            List<WebSocket> sockets = new ArrayList<>();
            int refused = 0;
            for (CompletableFuture<WebSocket> future : pending) {
                try {
                    sockets.add(future.get(120, TimeUnit.SECONDS));
                } catch (Exception e) {
                    refused++;
                }
            }
            // A client's upgrade completes only after the authorizer and $connect answered: it is a member now.
            long connectMs = (System.nanoTime() - started) / 1_000_000;
            DynamoDbMembershipStore store = new DynamoDbMembershipStore(new DynamoDbTable(setup.dynamo, table));
            long members = countMembers(store, clients);

            Progress.say("connect: all " + sockets.size() + " drop without a close frame");
            long dropped = System.nanoTime();
            sockets.forEach(WebSocket::abort);
            boolean cleaned = await(
                    () -> gateway.openConnections() == 0 && gateway.pendingIntegrations() == 0,
                    Duration.ofSeconds(120));
            long cleanupMs = (System.nanoTime() - dropped) / 1_000_000;
            long left = countMembers(store, clients);
            ObjectNode line = Json.object()
                    .put("scenario", "connect")
                    .put("connections", clients)
                    .put("connected", sockets.size())
                    .put("refused", refused)
                    .put("members", members)
                    .put("connectMs", connectMs)
                    .put("cleanupMs", cleanupMs)
                    .put("membersLeft", left)
                    .put("ok", refused == 0 && members == clients && cleaned && left == 0);
            line.set("machine", Machine.describe());
            return line;
        }
    }

    /** How many of the storm's users have a live connection in their user group, read from the table. */
    private static long countMembers(DynamoDbMembershipStore store, int clients) {
        Instant now = Instant.now();
        return IntStream.range(0, clients)
                .mapToLong(i -> store.members(GroupName.ofUser(UserId.of("storm" + i)), now)
                        .count())
                .sum();
    }

    private static boolean await(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
        return true;
    }
}
