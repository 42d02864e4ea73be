package io.groupcast.local;

import io.groupcast.core.store.dynamodb.DynamoDbTable;
import io.groupcast.local.apigateway.GatewayLog;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * The local gateway's table, kept as the template keeps it on AWS: when its DynamoDB comes back without it (dynalite
 * restarted, a LocalStack reset, a fresh endpoint), the first call that misses it creates it again and is retried,
 * and the connections that opened before the loss, which it left in no group, are told to reconnect. Never on AWS,
 * where the template owns the table.
 */
final class TableKeeper implements DynamoDbTable.MissingTable {
    private final DynamoDbClient dynamo;
    private final String table;
    private final GatewayLog log;
    private volatile Consumer<Instant> lost = at -> {};
    private Instant created;

    /** Creates {@code table} when missing and remembers which table it is (its creation time). */
    TableKeeper(DynamoDbClient dynamo, String table, GatewayLog log) {
        this.dynamo = dynamo;
        this.table = table;
        this.log = log;
        DynamoDbTable.createIfMissing(dynamo, table);
        this.created = creationTime().orElse(Instant.EPOCH);
    }

    /** What to do when the table was lost: {@code lost} gets the new table's creation time. */
    void onLost(Consumer<Instant> lost) {
        this.lost = lost;
    }

    /** A function's call missed the table: make it again (unless someone did) and let the call retry once. */
    @Override
    public synchronized boolean recreate(String missing) {
        try {
            if (creationTime().isEmpty()) {
                DynamoDbTable.createIfMissing(dynamo, table);
                log.info("table " + table + " was missing (its DynamoDB lost its data): created it again");
            }
            check();
            return true;
        } catch (SdkException e) {
            log.error("table " + table + " is missing and cannot be created again", e);
            return false;
        }
    }

    /**
     * Looks at the table: missing, it is made again; made again by anyone since last seen, the connections opened
     * before are reported lost. Cheap (one DescribeTable); the gateway runs it every second.
     */
    synchronized void check() {
        Optional<Instant> now = creationTime();
        if (now.isEmpty()) {
            recreate(table);
            return;
        }
        if (!now.get().equals(created)) {
            created = now.get();
            lost.accept(now.get());
        }
    }

    private Optional<Instant> creationTime() {
        try {
            return Optional.of(
                    dynamo.describeTable(b -> b.tableName(table)).table().creationDateTime());
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }
}
