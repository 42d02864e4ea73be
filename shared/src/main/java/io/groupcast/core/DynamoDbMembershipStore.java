package io.groupcast.core;

import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The membership store on one DynamoDB table with a string partition key {@code pk} and sort key {@code sk}.
 *
 * <p>Items (every one with the TTL attribute {@code expiresAt}, epoch seconds):
 * <ul>
 *   <li>{@code pk=group#{group}, sk=conn#{id}}: a member of a group; fan-out queries this partition.</li>
 *   <li>{@code pk=conn#{id}, sk=group#{group}}: the same membership seen from the connection, so disconnect
 *       finds its groups with one Query.</li>
 *   <li>{@code pk=conn#{id}, sk=meta}: the connection itself (user, connect time).</li>
 * </ul>
 * No transactions: writes are single-item and idempotent, ordered so a partial failure leaves only items that
 * TTL and read-time filtering cover (the connection side is written first and deleted last).
 */
public final class DynamoDbMembershipStore implements MembershipStore {
    static final String PK = "pk";
    static final String SK = "sk";
    static final String EXPIRES_AT = "expiresAt";
    static final String CONNECTION_ID = "connectionId";
    static final String GROUP = "group";
    static final String USER_ID = "userId";
    static final String CONNECTED_AT = "connectedAt";
    static final String GROUP_PREFIX = "group#";
    static final String CONNECTION_PREFIX = "conn#";
    static final String META = "meta";
    static final String USER_PREFIX = "user#";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbMembershipStore(DynamoDbClient dynamo, String table) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(table, "table");
    }

    @Override
    public void connect(Connection connection) {
        String pk = CONNECTION_PREFIX + connection.id().value();
        put(Map.of(
                PK, s(pk),
                SK, s(META),
                USER_ID, s(connection.user().value()),
                CONNECTED_AT, n(connection.connectedAt().toEpochMilli()),
                EXPIRES_AT, n(connection.expiresAt().getEpochSecond())));
        join(connection.id(), GroupName.ofUser(connection.user()), connection.expiresAt());
    }

    @Override
    public void join(ConnectionId connection, GroupName group, Instant expiresAt) {
        put(Map.of(
                PK, s(CONNECTION_PREFIX + connection.value()),
                SK, s(GROUP_PREFIX + group.value()),
                GROUP, s(group.value()),
                EXPIRES_AT, n(expiresAt.getEpochSecond())));
        put(Map.of(
                PK, s(GROUP_PREFIX + group.value()),
                SK, s(CONNECTION_PREFIX + connection.value()),
                CONNECTION_ID, s(connection.value()),
                EXPIRES_AT, n(expiresAt.getEpochSecond())));
    }

    @Override
    public void leave(ConnectionId connection, GroupName group) {
        delete(GROUP_PREFIX + group.value(), CONNECTION_PREFIX + connection.value());
        delete(CONNECTION_PREFIX + connection.value(), GROUP_PREFIX + group.value());
    }

    @Override
    public int disconnect(ConnectionId connection) {
        String pk = CONNECTION_PREFIX + connection.value();
        QueryRequest query = QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                .expressionAttributeValues(Map.of(":pk", s(pk)))
                .projectionExpression("#sk")
                .consistentRead(true)
                .build();
        int groups = 0;
        boolean hasMeta = false;
        List<String> sortKeys = call(() -> dynamo.queryPaginator(query).items().stream().map(i -> i.get(SK).s()).toList());
        for (String sk : sortKeys) {
            if (sk.startsWith(GROUP_PREFIX)) {
                delete(sk, CONNECTION_PREFIX + connection.value());
                delete(pk, sk);
                groups++;
            } else {
                hasMeta = true;
            }
        }
        if (hasMeta) {
            delete(pk, META);
        }
        return groups;
    }

    @Override
    public Stream<ConnectionId> members(GroupName group, Instant now) {
        QueryRequest query = membersQuery(table, group, now);
        Iterator<Map<String, AttributeValue>> items = call(() -> dynamo.queryPaginator(query).items().iterator());
        Iterator<ConnectionId> ids = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return call(items::hasNext);
            }

            @Override
            public ConnectionId next() {
                return new ConnectionId(call(items::next).get(CONNECTION_ID).s());
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(ids, Spliterator.ORDERED | Spliterator.NONNULL),
                false);
    }

    @Override
    public Set<GroupName> groupsOf(ConnectionId connection, Instant now) {
        QueryRequest query = QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :group)")
                .filterExpression("#exp > :now")
                .projectionExpression("#group")
                .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK, "#exp", EXPIRES_AT, "#group", GROUP))
                .expressionAttributeValues(Map.of(
                        ":pk", s(CONNECTION_PREFIX + connection.value()),
                        ":group", s(GROUP_PREFIX),
                        ":now", n(now.getEpochSecond())))
                .consistentRead(true)
                .build();
        return call(() -> dynamo.queryPaginator(query).items().stream()
                .map(item -> new GroupName(item.get(GROUP).s()))
                .collect(Collectors.toUnmodifiableSet()));
    }

    @Override
    public Optional<Instant> connectionExpiry(ConnectionId connection, Instant now) {
        QueryRequest query = QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("#pk = :pk AND #sk = :meta")
                .filterExpression("#exp > :now")
                .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK, "#exp", EXPIRES_AT))
                .expressionAttributeValues(Map.of(
                        ":pk", s(CONNECTION_PREFIX + connection.value()),
                        ":meta", s(META),
                        ":now", n(now.getEpochSecond())))
                .consistentRead(true)
                .build();
        return call(() -> dynamo.query(query)).items().stream()
                .map(item -> Instant.ofEpochSecond(Long.parseLong(item.get(EXPIRES_AT).n())))
                .findFirst();
    }

    @Override
    public void link(UserId user, GroupName group, Instant expiresAt) {
        put(Map.of(
                PK, s(USER_PREFIX + user.value()),
                SK, s(GROUP_PREFIX + group.value()),
                GROUP, s(group.value()),
                EXPIRES_AT, n(expiresAt.getEpochSecond())));
    }

    @Override
    public void unlink(UserId user, GroupName group) {
        delete(USER_PREFIX + user.value(), GROUP_PREFIX + group.value());
    }

    @Override
    public Map<GroupName, Instant> links(UserId user, Instant now) {
        QueryRequest query = QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :group)")
                .filterExpression("#exp > :now")
                .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK, "#exp", EXPIRES_AT))
                .expressionAttributeValues(Map.of(
                        ":pk", s(USER_PREFIX + user.value()),
                        ":group", s(GROUP_PREFIX),
                        ":now", n(now.getEpochSecond())))
                .consistentRead(true)
                .build();
        Map<GroupName, Instant> links = new java.util.TreeMap<>(java.util.Comparator.comparing(GroupName::value));
        call(() -> dynamo.queryPaginator(query).items().stream().toList()).forEach(item -> links.put(
                new GroupName(item.get(GROUP).s()), Instant.ofEpochSecond(Long.parseLong(item.get(EXPIRES_AT).n()))));
        return links;
    }

    @Override
    public Page members(GroupName group, Instant now, int limit, Optional<String> after) {
        QueryRequest.Builder query = membersQuery(table, group, now).toBuilder().limit(limit);
        after.ifPresent(cursor -> query.exclusiveStartKey(Map.of(
                PK, s(GROUP_PREFIX + group.value()),
                SK, s(CONNECTION_PREFIX + cursor))));
        var response = call(() -> dynamo.query(query.build()));
        List<ConnectionId> ids = response.items().stream()
                .map(item -> new ConnectionId(item.get(CONNECTION_ID).s()))
                .toList();
        Optional<String> next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? Optional.of(response.lastEvaluatedKey().get(SK).s().substring(CONNECTION_PREFIX.length()))
                : Optional.empty();
        return new Page(ids, next);
    }

    /** The Query that {@link #members} pages through: one partition, expired items filtered out. */
    public static QueryRequest membersQuery(String table, GroupName group, Instant now) {
        return QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("#pk = :pk")
                .filterExpression("#exp > :now")
                .projectionExpression("#cid")
                .expressionAttributeNames(Map.of("#pk", PK, "#exp", EXPIRES_AT, "#cid", CONNECTION_ID))
                .expressionAttributeValues(Map.of(
                        ":pk", s(GROUP_PREFIX + group.value()),
                        ":now", n(now.getEpochSecond())))
                .consistentRead(true)
                .build();
    }

    /** Creates the table (on-demand, {@code pk}/{@code sk} strings) unless it exists; for local runs and tests. */
    public static void createTableIfMissing(DynamoDbClient dynamo, String table) {
        try {
            dynamo.describeTable(b -> b.tableName(table));
            return;
        } catch (ResourceNotFoundException missing) {
            // create it below
        }
        try {
            dynamo.createTable(b -> b.tableName(table)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            AttributeDefinition.builder().attributeName(PK).attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName(SK).attributeType(ScalarAttributeType.S).build())
                    .keySchema(
                            KeySchemaElement.builder().attributeName(PK).keyType(KeyType.HASH).build(),
                            KeySchemaElement.builder().attributeName(SK).keyType(KeyType.RANGE).build()));
        } catch (ResourceInUseException raced) {
            // created meanwhile by someone else
        }
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(table));
    }

    private void put(Map<String, AttributeValue> item) {
        call(() -> dynamo.putItem(b -> b.tableName(table).item(item)));
    }

    private void delete(String pk, String sk) {
        call(() -> dynamo.deleteItem(b -> b.tableName(table).key(Map.of(PK, s(pk), SK, s(sk)))));
    }

    private static <T> T call(Supplier<T> operation) {
        try {
            return operation.get();
        } catch (SdkException e) {
            throw new StoreUnavailableException("membership store call failed: " + e.getMessage(), e);
        }
    }

    private static AttributeValue s(String value) {
        return AttributeValue.builder().s(value).build();
    }

    private static AttributeValue n(long value) {
        return AttributeValue.builder().n(Long.toString(value)).build();
    }
}
