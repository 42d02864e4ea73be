package io.groupcast.core.store.dynamodb;

import io.groupcast.core.store.StoreUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The one DynamoDB table every store adapter shares: string partition key {@code pk}, string sort key {@code sk},
 * and the TTL attribute {@code expiresAt} (epoch seconds) on every item. Each call's SDK failure becomes a
 * {@link StoreUnavailableException} with its cause kept; a missing table is made again where {@link MissingTable}
 * says (locally) and the call tried once more. See docs/data-model.md for the items of each adapter.
 */
public final class DynamoDbTable {
    static final String PK = "pk";
    static final String SK = "sk";
    static final String EXPIRES_AT = "expiresAt";

    /** Sort-key conditions of {@link #query}. */
    static final String EQUALS = "#sk = :sk";

    static final String BEGINS_WITH = "begins_with(#sk, :sk)";

    /**
     * How long after a call that got no answer within its time limit ({@code AwsClients.STORE_CALL_TIMEOUT}) every
     * call fails at once instead of waiting the limit again: a connection's frames run one after another, and each
     * would otherwise wait its own 6 s.
     */
    static final Duration SILENT_FOR = Duration.ofSeconds(5);

    private final DynamoDbClient dynamo;
    private final String name;
    private final MissingTable missingTable;
    /** {@link System#nanoTime} until which calls fail at once; 0: none. */
    private volatile long silentUntil;

    /** What the store does when its table does not exist. */
    @FunctionalInterface
    public interface MissingTable {
        /** On AWS: nothing, the template owns the table; the call fails as the store being unavailable. */
        MissingTable FAIL = table -> false;

        /** Makes {@code table} exist again (locally); answers whether to retry the call once. */
        boolean recreate(String table);
    }

    public DynamoDbTable(DynamoDbClient dynamo, String name, MissingTable missingTable) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.name = Objects.requireNonNull(name, "name");
        this.missingTable = Objects.requireNonNull(missingTable, "missingTable");
    }

    /** The table {@code name}, failing when it is missing (as on AWS). */
    public DynamoDbTable(DynamoDbClient dynamo, String name) {
        this(dynamo, name, MissingTable.FAIL);
    }

    /** The client (benchmarks and tests read the table with it). */
    public DynamoDbClient client() {
        return dynamo;
    }

    /** The table's name. */
    public String name() {
        return name;
    }

    /** One call to DynamoDB; a missing table is made again and the call retried once where {@link #missingTable} says. */
    <T> T call(Supplier<T> operation) {
        long until = silentUntil;
        if (until != 0 && System.nanoTime() - until < 0) {
            throw new StoreUnavailableException(
                    "the store did not answer a call within its time limit moments ago; not asking again for "
                            + SILENT_FOR.toSeconds() + " s",
                    null);
        }
        try {
            return operation.get();
        } catch (ResourceNotFoundException missing) {
            if (!missingTable.recreate(name)) {
                throw unavailable(missing);
            }
        } catch (SdkException e) {
            throw unavailable(e);
        }
        try {
            return operation.get();
        } catch (SdkException e) {
            throw unavailable(e);
        }
    }

    /** A conditional write: whether its condition held (and it was written). */
    boolean conditionally(Supplier<?> write) {
        try {
            call(write);
            return true;
        } catch (StoreUnavailableException e) {
            if (e.getCause() instanceof ConditionalCheckFailedException) {
                return false;
            }
            throw e;
        }
    }

    private StoreUnavailableException unavailable(SdkException e) {
        if (e instanceof ApiCallTimeoutException) {
            silentUntil = System.nanoTime() + SILENT_FOR.toNanos() | 1;
        }
        return new StoreUnavailableException("store call failed: " + e.getMessage(), e);
    }

    /** Writes an item whole. */
    void put(Map<String, AttributeValue> item) {
        call(() -> dynamo.putItem(b -> b.tableName(name).item(item)));
    }

    /** An item that names one thing besides its keys (a group, a connection), with its TTL. */
    void put(String pk, String sk, Instant expiresAt, String attribute, String value) {
        put(Map.of(PK, s(pk), SK, s(sk), attribute, s(value), EXPIRES_AT, n(expiresAt.getEpochSecond())));
    }

    /**
     * Writes items whole in batches of 25 (one call each, not atomic), retrying what DynamoDB leaves unprocessed
     * (throttling) a few times with a growing pause; what is still left fails the call.
     */
    void putAll(List<Map<String, AttributeValue>> items) {
        batch(items.stream()
                .map(item ->
                        WriteRequest.builder().putRequest(b -> b.item(item)).build())
                .toList());
    }

    /** Deletes items by key in batches of 25, as {@link #putAll}; a key not there is a no-op. */
    void deleteAll(List<Map<String, AttributeValue>> keys) {
        batch(keys.stream()
                .map(key ->
                        WriteRequest.builder().deleteRequest(b -> b.key(key)).build())
                .toList());
    }

    private void batch(List<WriteRequest> requests) {
        for (int from = 0; from < requests.size(); from += 25) {
            List<WriteRequest> left = requests.subList(from, Math.min(requests.size(), from + 25));
            for (int attempt = 0; !left.isEmpty(); attempt++) {
                if (attempt == 4) {
                    throw new StoreUnavailableException(
                            "store call failed: " + left.size() + " writes left unprocessed after 4 attempts", null);
                }
                if (attempt > 0) {
                    pause(25L << attempt);
                }
                List<WriteRequest> these = left;
                left = call(() -> dynamo.batchWriteItem(b -> b.requestItems(Map.of(name, these))))
                        .unprocessedItems()
                        .getOrDefault(name, List.of());
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while retrying a batch", e);
        }
    }

    /** Deletes an item; a no-op when it is not there. */
    void delete(String pk, String sk) {
        call(() -> dynamo.deleteItem(b -> b.tableName(name).key(key(pk, sk))));
    }

    /** Every item a Query answers, page after page. */
    List<Map<String, AttributeValue>> items(QueryRequest query) {
        return call(() -> dynamo.queryPaginator(query).items().stream().toList());
    }

    static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(PK, s(pk), SK, s(sk));
    }

    /**
     * A consistent Query of partition {@code pk}: sort keys matching {@code skCondition} ({@link #EQUALS} or
     * {@link #BEGINS_WITH} {@code sk}) when given, items whose {@code expiresAt} has passed at {@code liveAt}
     * filtered out when given, only {@code attributes} read.
     */
    QueryRequest query(String pk, String skCondition, String sk, Instant liveAt, String... attributes) {
        return query(name, pk, skCondition, sk, liveAt, attributes);
    }

    static QueryRequest query(
            String table, String pk, String skCondition, String sk, Instant liveAt, String... attributes) {
        Map<String, String> names = new HashMap<>(Map.of("#pk", PK));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", s(pk)));
        String key = "#pk = :pk";
        if (skCondition != null) {
            names.put("#sk", SK);
            values.put(":sk", s(sk));
            key += " AND " + skCondition;
        }
        QueryRequest.Builder query = QueryRequest.builder().tableName(table).consistentRead(true);
        if (liveAt != null) {
            names.put("#exp", EXPIRES_AT);
            values.put(":now", n(liveAt.getEpochSecond()));
            query.filterExpression("#exp > :now");
        }
        List<String> projected = new ArrayList<>();
        for (int i = 0; i < attributes.length; i++) {
            names.put("#a" + i, attributes[i]);
            projected.add("#a" + i);
        }
        return query.keyConditionExpression(key)
                .projectionExpression(String.join(", ", projected))
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build();
    }

    static AttributeValue s(String value) {
        return AttributeValue.builder().s(value).build();
    }

    static AttributeValue n(long value) {
        return AttributeValue.builder().n(Long.toString(value)).build();
    }

    static Instant millis(AttributeValue millis) {
        return millis == null ? Instant.EPOCH : Instant.ofEpochMilli(Long.parseLong(millis.n()));
    }

    /** Creates the table (on-demand, {@code pk}/{@code sk} strings) unless it exists; for local runs and tests. */
    public static void createIfMissing(DynamoDbClient dynamo, String table) {
        try {
            dynamo.describeTable(b -> b.tableName(table));
            return;
        } catch (ResourceNotFoundException missing) {
            // create it below
        }
        try {
            dynamo.createTable(b -> b.tableName(table)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(attribute(PK), attribute(SK))
                    .keySchema(keyElement(PK, KeyType.HASH), keyElement(SK, KeyType.RANGE)));
        } catch (ResourceInUseException raced) {
            // created meanwhile by someone else
        }
        // The SDK's waiter polls every 20 s; a local DynamoDB makes a table in milliseconds.
        dynamo.waiter()
                .waitUntilTableExists(
                        b -> b.tableName(table),
                        w -> w.backoffStrategyV2(BackoffStrategy.fixedDelayWithoutJitter(Duration.ofMillis(50)))
                                .maxAttempts(600));
    }

    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder()
                .attributeName(name)
                .attributeType(ScalarAttributeType.S)
                .build();
    }

    private static KeySchemaElement keyElement(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
