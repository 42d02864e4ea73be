package io.groupcast.core.store;

import io.groupcast.core.model.Broadcast;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.Grant;
import io.groupcast.core.model.Grants;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Protocol;
import io.groupcast.core.model.Recipient;
import io.groupcast.core.model.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import software.amazon.awssdk.core.SdkBytes;
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
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The membership store on one DynamoDB table with a string partition key {@code pk} and sort key {@code sk}.
 *
 * <p>Items (every one with the TTL attribute {@code expiresAt}, epoch seconds):
 * <ul>
 *   <li>{@code pk=group#{group}, sk=conn#{id}}: a member of a group (with its {@code protocol} when it has one);
 *       fan-out queries this partition.</li>
 *   <li>{@code pk=conn#{id}, sk=group#{group}}: the same membership seen from the connection, so disconnect
 *       finds its groups with one Query.</li>
 *   <li>{@code pk=conn#{id}, sk=meta}: the connection itself (user, connect time, its token's roles, its
 *       protocol).</li>
 *   <li>{@code pk=conn#{id}, sk=perm#{role}}: a permission the server granted the connection.</li>
 *   <li>{@code pk=conn#{id}, sk=rate}: the connection's publishes in the current second ({@code window},
 *       {@code count}), for its publish rate limit.</li>
 *   <li>{@code pk=user#{userId}, sk=group#{group}}: a user linked to a group.</li>
 *   <li>{@code pk=stream#{group}, sk=head}: a stream's last sequence number ({@code seq}).</li>
 *   <li>{@code pk=stream#{group}, sk=msg#{seq, 20 digits}}: a message the stream keeps for resumes ({@code frame}),
 *       for the resume window.</li>
 * </ul>
 * No transactions: writes are single-item and idempotent, ordered so a partial failure leaves only items that
 * TTL and read-time filtering cover (the connection side is written first and deleted last).
 */
public record DynamoDbMembershipStore(DynamoDbClient dynamo, String table, MissingTable missingTable)
        implements MembershipStore {
    /** What the store does when its table does not exist. */
    @FunctionalInterface
    public interface MissingTable {
        /** On AWS: nothing, the template owns the table; the call fails as the store being unavailable. */
        MissingTable FAIL = table -> false;

        /** Makes {@code table} exist again (locally); answers whether to retry the call once. */
        boolean recreate(String table);
    }

    /** The store on {@code table}, failing when it is missing (as on AWS). */
    public DynamoDbMembershipStore(DynamoDbClient dynamo, String table) {
        this(dynamo, table, MissingTable.FAIL);
    }

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
    static final String PERMISSION_PREFIX = "perm#";
    static final String ROLES = "roles";
    static final String ROLE = "role";
    static final String PROTOCOL = "protocol";
    static final String STREAM_PREFIX = "stream#";
    static final String HEAD = "head";
    static final String SEQ = "seq";
    static final String MESSAGE_PREFIX = "msg#";
    static final String FRAME = "frame";
    static final String TAKEN_AT = "takenAt";
    static final String PREVIOUS_TAKEN_AT = "previousTakenAt";
    static final String RATE = "rate";
    static final String WINDOW = "window";
    static final String COUNT = "count";

    private static final String EQUALS = "#sk = :sk";
    private static final String BEGINS_WITH = "begins_with(#sk, :sk)";

    @Override
    public void connect(Connection connection) {
        Map<String, AttributeValue> item = new HashMap<>(Map.of(
                PK, s(CONNECTION_PREFIX + connection.id().value()),
                SK, s(META),
                USER_ID, s(connection.user().value()),
                CONNECTED_AT, n(connection.connectedAt().toEpochMilli()),
                EXPIRES_AT, n(connection.expiresAt().getEpochSecond())));
        if (!connection.roles().grants().isEmpty()) {
            item.put(ROLES, s(connection.roles().roles()));
        }
        if (connection.protocol() != Protocol.PLAIN) {
            item.put(PROTOCOL, s(connection.protocol().wire()));
        }
        // the record is also the connection side of its user group: disconnect finds the group from its userId
        put(item);
        putMember(connection.recipient(), GroupName.ofUser(connection.user()), connection.expiresAt());
        // the broadcast shard: group side only, disconnect knows it from the id
        putMember(connection.recipient(), Broadcast.shardOf(connection.id()), connection.expiresAt());
    }

    @Override
    public void join(Recipient connection, GroupName group, Instant expiresAt) {
        String id = connection.id().value();
        put(CONNECTION_PREFIX + id, GROUP_PREFIX + group.value(), expiresAt, GROUP, group.value());
        putMember(connection, group, expiresAt);
    }

    /** The group side of a membership. */
    private void putMember(Recipient connection, GroupName group, Instant expiresAt) {
        String id = connection.id().value();
        Map<String, AttributeValue> member = new HashMap<>(Map.of(
                PK, s(GROUP_PREFIX + group.value()),
                SK, s(CONNECTION_PREFIX + id),
                CONNECTION_ID, s(id),
                EXPIRES_AT, n(expiresAt.getEpochSecond())));
        if (connection.protocol() != Protocol.PLAIN) {
            member.put(PROTOCOL, s(connection.protocol().wire()));
        }
        put(member);
    }

    @Override
    public void leave(ConnectionId connection, GroupName group) {
        delete(GROUP_PREFIX + group.value(), CONNECTION_PREFIX + connection.value());
        delete(CONNECTION_PREFIX + connection.value(), GROUP_PREFIX + group.value());
    }

    @Override
    public int disconnect(ConnectionId connection) {
        return remove(connection, items(connection));
    }

    @Override
    public boolean prune(ConnectionId connection, Instant openedBefore) {
        List<Map<String, AttributeValue>> items = items(connection);
        boolean opening = items.stream()
                .filter(item -> META.equals(item.get(SK).s()) && item.containsKey(CONNECTED_AT))
                .anyMatch(item -> !Instant.ofEpochMilli(
                                Long.parseLong(item.get(CONNECTED_AT).n()))
                        .isBefore(openedBefore));
        if (opening) {
            return false;
        }
        remove(connection, items);
        return true;
    }

    /** Every item of a connection's partition: its record, its memberships, anything else it owns. */
    private List<Map<String, AttributeValue>> items(ConnectionId connection) {
        QueryRequest query = query(CONNECTION_PREFIX + connection.value(), null, null, null, SK, CONNECTED_AT, USER_ID);
        return call(() -> dynamo.queryPaginator(query).items().stream().toList());
    }

    /**
     * Deletes a connection's items, each membership's group side before its connection side and the record last, so
     * that a partial failure leaves what a later disconnect finds again. Answers how many groups it left.
     */
    private int remove(ConnectionId connection, List<Map<String, AttributeValue>> items) {
        String pk = CONNECTION_PREFIX + connection.value();
        int groups = 0;
        Map<String, AttributeValue> meta = null;
        for (Map<String, AttributeValue> item : items) {
            String sk = item.get(SK).s();
            if (sk.startsWith(GROUP_PREFIX)) {
                delete(sk, pk);
                delete(pk, sk);
                groups++;
            } else if (sk.equals(META)) {
                meta = item;
            } else {
                delete(pk, sk);
            }
        }
        if (meta != null) {
            if (meta.containsKey(USER_ID)) {
                String userGroup = GROUP_PREFIX
                        + GroupName.ofUser(UserId.of(meta.get(USER_ID).s())).value();
                boolean listed =
                        items.stream().anyMatch(item -> item.get(SK).s().equals(userGroup));
                if (!listed) {
                    delete(userGroup, pk);
                    groups++;
                }
            }
            delete(GROUP_PREFIX + Broadcast.shardOf(connection).value(), pk);
            delete(pk, META);
        }
        return groups;
    }

    @Override
    public List<Recipient> recipientsBetween(GroupName group, String after, String before, int limit, Instant now) {
        String low = CONNECTION_PREFIX + after;
        QueryRequest query = QueryRequest.builder()
                .tableName(table)
                .consistentRead(true)
                .keyConditionExpression("#pk = :pk AND #sk BETWEEN :low AND :high")
                .filterExpression("#exp > :now")
                .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK, "#exp", EXPIRES_AT))
                .expressionAttributeValues(Map.of(
                        ":pk", s(GROUP_PREFIX + group.value()),
                        ":low", s(low),
                        ":high", s(CONNECTION_PREFIX + (before.isEmpty() ? "\uffff" : before)),
                        ":now", n(now.getEpochSecond())))
                .projectionExpression("#sk, " + CONNECTION_ID + ", " + PROTOCOL)
                .limit((int) Math.min(limit + 1L, 1000))
                .build();
        return call(() -> dynamo.queryPaginator(query).items().stream()
                .filter(item -> !item.get(SK).s().equals(low))
                .limit(limit)
                .map(DynamoDbMembershipStore::recipient)
                .toList());
    }

    private static Recipient recipient(Map<String, AttributeValue> item) {
        return new Recipient(
                new ConnectionId(item.get(CONNECTION_ID).s()),
                item.containsKey(PROTOCOL) ? Protocol.of(item.get(PROTOCOL).s()) : Protocol.PLAIN);
    }

    @Override
    public Stream<Recipient> recipients(GroupName group, Instant now) {
        QueryRequest query = membersQuery(table, group, now);
        Iterator<Recipient> ids = new Iterator<>() {
            private Iterator<Map<String, AttributeValue>> items;

            @Override
            public boolean hasNext() {
                return call(() -> {
                    if (items == null) {
                        items = dynamo.queryPaginator(query).items().iterator();
                    }
                    try {
                        return items.hasNext();
                    } catch (RuntimeException e) {
                        items = null; // a retry (the table made again) starts over
                        throw e;
                    }
                });
            }

            @Override
            public Recipient next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return recipient(call(items::next));
            }
        };
        return StreamSupport.stream(
                Spliterators.spliteratorUnknownSize(ids, Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    @Override
    public Set<GroupName> groupsOf(ConnectionId connection, Instant now) {
        // the named groups' connection sides, and the record (the user group's connection side)
        QueryRequest query = query(CONNECTION_PREFIX + connection.value(), null, null, now, SK, GROUP, USER_ID);
        return call(() -> dynamo.queryPaginator(query).items().stream()
                .filter(item -> item.containsKey(GROUP) || (item.get(SK).s().equals(META) && item.containsKey(USER_ID)))
                .map(item -> item.containsKey(GROUP)
                        ? new GroupName(item.get(GROUP).s())
                        : GroupName.ofUser(UserId.of(item.get(USER_ID).s())))
                .collect(Collectors.toUnmodifiableSet()));
    }

    @Override
    public Optional<Connection> connection(ConnectionId connection, Instant now) {
        QueryRequest query = query(
                CONNECTION_PREFIX + connection.value(),
                EQUALS,
                META,
                now,
                USER_ID,
                CONNECTED_AT,
                EXPIRES_AT,
                ROLES,
                PROTOCOL);
        return call(() -> dynamo.query(query)).items().stream()
                .map(item -> new Connection(
                        connection,
                        new UserId(item.get(USER_ID).s()),
                        Instant.ofEpochMilli(
                                Long.parseLong(item.get(CONNECTED_AT).n())),
                        Instant.ofEpochSecond(
                                Long.parseLong(item.get(EXPIRES_AT).n())),
                        item.containsKey(ROLES) ? Grants.ofRoles(item.get(ROLES).s()) : Grants.NONE,
                        item.containsKey(PROTOCOL)
                                ? Protocol.of(item.get(PROTOCOL).s())
                                : Protocol.PLAIN))
                .findFirst();
    }

    @Override
    public void grant(ConnectionId connection, Grant grant, Instant expiresAt) {
        put(CONNECTION_PREFIX + connection.value(), PERMISSION_PREFIX + grant.role(), expiresAt, ROLE, grant.role());
    }

    @Override
    public void revoke(ConnectionId connection, Grant grant) {
        delete(CONNECTION_PREFIX + connection.value(), PERMISSION_PREFIX + grant.role());
    }

    @Override
    public Grants grants(ConnectionId connection, Instant now) {
        QueryRequest query = query(CONNECTION_PREFIX + connection.value(), BEGINS_WITH, PERMISSION_PREFIX, now, ROLE);
        return Grants.ofRoles(call(() -> dynamo.queryPaginator(query).items().stream()
                .map(item -> item.get(ROLE).s())
                .toList()));
    }

    @Override
    public long countPublish(ConnectionId connection, long window, Instant expiresAt) {
        Map<String, AttributeValue> key = Map.of(PK, s(CONNECTION_PREFIX + connection.value()), SK, s(RATE));
        Map<String, String> names = Map.of("#w", WINDOW, "#c", COUNT, "#exp", EXPIRES_AT);
        UpdateItemRequest add = UpdateItemRequest.builder()
                .tableName(table)
                .key(key)
                .updateExpression("ADD #c :one")
                .conditionExpression("#w = :w")
                .expressionAttributeNames(Map.of("#w", WINDOW, "#c", COUNT))
                .expressionAttributeValues(Map.of(":one", n(1), ":w", n(window)))
                .returnValues(ReturnValue.UPDATED_NEW)
                .build();
        UpdateItemRequest start = UpdateItemRequest.builder()
                .tableName(table)
                .key(key)
                .updateExpression("SET #w = :w, #c = :one, #exp = :exp")
                .conditionExpression("attribute_not_exists(#w) OR #w < :w")
                .expressionAttributeNames(names)
                .expressionAttributeValues(Map.of(":one", n(1), ":w", n(window), ":exp", n(expiresAt.getEpochSecond())))
                .build();
        return call(() -> {
            for (int attempt = 0; attempt < 3; attempt++) {
                try {
                    return Long.parseLong(
                            dynamo.updateItem(add).attributes().get(COUNT).n());
                } catch (ConditionalCheckFailedException anotherWindow) {
                    // the counter is for an earlier window (or missing): start this one below
                }
                try {
                    dynamo.updateItem(start);
                    return 1L;
                } catch (ConditionalCheckFailedException raced) {
                    // another publish started this window (or a later one) first: count in it
                }
            }
            return 1L;
        });
    }

    @Override
    public Taken nextSeq(GroupName stream, Instant takenAt, Instant headExpiresAt) {
        Map<String, AttributeValue> old = call(() -> dynamo.updateItem(b -> b.tableName(table)
                        .key(Map.of(PK, s(STREAM_PREFIX + stream.value()), SK, s(HEAD)))
                        .updateExpression("ADD #seq :one SET #exp = :exp, #at = :at")
                        .expressionAttributeNames(Map.of("#seq", SEQ, "#exp", EXPIRES_AT, "#at", TAKEN_AT))
                        .expressionAttributeValues(Map.of(
                                ":one",
                                n(1),
                                ":exp",
                                n(headExpiresAt.getEpochSecond()),
                                ":at",
                                n(takenAt.toEpochMilli())))
                        .returnValues(ReturnValue.ALL_OLD))
                .attributes());
        if (old == null || !old.containsKey(SEQ)) {
            return new Taken(1, Instant.EPOCH);
        }
        return new Taken(Long.parseLong(old.get(SEQ).n()) + 1, instant(old.get(TAKEN_AT)));
    }

    @Override
    public Head head(GroupName stream, Instant now) {
        QueryRequest query = query(STREAM_PREFIX + stream.value(), EQUALS, HEAD, now, SEQ, TAKEN_AT);
        return call(() -> dynamo.query(query)).items().stream()
                .map(item -> new Head(Long.parseLong(item.get(SEQ).n()), instant(item.get(TAKEN_AT))))
                .findFirst()
                .orElse(Head.NONE);
    }

    private static Instant instant(AttributeValue millis) {
        return millis == null ? Instant.EPOCH : Instant.ofEpochMilli(Long.parseLong(millis.n()));
    }

    @Override
    public void keep(GroupName stream, long seq, byte[] frame, Instant previousTakenAt, Instant expiresAt) {
        put(Map.of(
                PK, s(STREAM_PREFIX + stream.value()),
                SK, s(messageKey(seq)),
                FRAME, AttributeValue.builder().b(SdkBytes.fromByteArray(frame)).build(),
                PREVIOUS_TAKEN_AT, n(previousTakenAt.toEpochMilli()),
                EXPIRES_AT, n(expiresAt.getEpochSecond())));
    }

    @Override
    public List<Kept> kept(GroupName stream, long after, int limit, Instant now) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":pk", s(STREAM_PREFIX + stream.value()),
                ":after", s(messageKey(after)),
                ":last", s(messageKey(Long.MAX_VALUE)),
                ":now", n(now.getEpochSecond())));
        QueryRequest query = QueryRequest.builder()
                .tableName(table)
                .consistentRead(true)
                .keyConditionExpression("#pk = :pk AND #sk BETWEEN :after AND :last")
                .filterExpression("#exp > :now")
                .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK, "#exp", EXPIRES_AT))
                .expressionAttributeValues(values)
                .build();
        return call(() -> dynamo.queryPaginator(query).items().stream()
                .map(item -> new Kept(
                        Long.parseLong(item.get(SK).s().substring(MESSAGE_PREFIX.length())),
                        item.get(FRAME).b().asByteArray(),
                        instant(item.get(PREVIOUS_TAKEN_AT))))
                .filter(kept -> kept.seq() > after)
                .limit(limit)
                .toList());
    }

    /** A message's sort key: its sequence number in 20 digits, so that keys sort as numbers do. */
    private static String messageKey(long seq) {
        return MESSAGE_PREFIX + String.format("%020d", seq);
    }

    @Override
    public void link(UserId user, GroupName group, Instant expiresAt) {
        put(USER_PREFIX + user.value(), GROUP_PREFIX + group.value(), expiresAt, GROUP, group.value());
    }

    @Override
    public void unlink(UserId user, GroupName group) {
        delete(USER_PREFIX + user.value(), GROUP_PREFIX + group.value());
    }

    @Override
    public Map<GroupName, Instant> links(UserId user, Instant now) {
        QueryRequest query = query(USER_PREFIX + user.value(), BEGINS_WITH, GROUP_PREFIX, now, GROUP, EXPIRES_AT);
        Map<GroupName, Instant> links = new TreeMap<>(Comparator.comparing(GroupName::value));
        call(() -> dynamo.queryPaginator(query).items().stream().toList())
                .forEach(item -> links.put(
                        new GroupName(item.get(GROUP).s()),
                        Instant.ofEpochSecond(
                                Long.parseLong(item.get(EXPIRES_AT).n()))));
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
        Optional<String> next =
                response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                        ? Optional.of(response.lastEvaluatedKey().get(SK).s().substring(CONNECTION_PREFIX.length()))
                        : Optional.empty();
        return new Page(ids, next);
    }

    /** The Query that {@link #members} pages through: one partition, expired items filtered out. */
    public static QueryRequest membersQuery(String table, GroupName group, Instant now) {
        return query(table, GROUP_PREFIX + group.value(), null, null, now, CONNECTION_ID, PROTOCOL);
    }

    private QueryRequest query(String pk, String skCondition, String sk, Instant liveAt, String... attributes) {
        return query(table, pk, skCondition, sk, liveAt, attributes);
    }

    /**
     * A consistent Query of partition {@code pk}: sort keys matching {@code skCondition} ({@link #EQUALS} or
     * {@link #BEGINS_WITH} {@code sk}) when given, items whose {@code expiresAt} has passed at {@code liveAt}
     * filtered out when given, only {@code attributes} read.
     */
    private static QueryRequest query(
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
                            AttributeDefinition.builder()
                                    .attributeName(PK)
                                    .attributeType(ScalarAttributeType.S)
                                    .build(),
                            AttributeDefinition.builder()
                                    .attributeName(SK)
                                    .attributeType(ScalarAttributeType.S)
                                    .build())
                    .keySchema(
                            KeySchemaElement.builder()
                                    .attributeName(PK)
                                    .keyType(KeyType.HASH)
                                    .build(),
                            KeySchemaElement.builder()
                                    .attributeName(SK)
                                    .keyType(KeyType.RANGE)
                                    .build()));
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

    /** An item that names one thing besides its keys (a group, a connection), with its TTL. */
    private void put(String pk, String sk, Instant expiresAt, String attribute, String value) {
        put(Map.of(PK, s(pk), SK, s(sk), attribute, s(value), EXPIRES_AT, n(expiresAt.getEpochSecond())));
    }

    private void put(Map<String, AttributeValue> item) {
        call(() -> dynamo.putItem(b -> b.tableName(table).item(item)));
    }

    private void delete(String pk, String sk) {
        call(() -> dynamo.deleteItem(b -> b.tableName(table).key(Map.of(PK, s(pk), SK, s(sk)))));
    }

    /** One call to DynamoDB; a missing table is made again and the call retried once where {@link #missingTable} says. */
    private <T> T call(Supplier<T> operation) {
        try {
            return operation.get();
        } catch (ResourceNotFoundException missing) {
            if (!missingTable.recreate(table)) {
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

    private static StoreUnavailableException unavailable(SdkException e) {
        return new StoreUnavailableException("membership store call failed: " + e.getMessage(), e);
    }

    private static AttributeValue s(String value) {
        return AttributeValue.builder().s(value).build();
    }

    private static AttributeValue n(long value) {
        return AttributeValue.builder().n(Long.toString(value)).build();
    }
}
