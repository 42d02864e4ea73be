package io.groupcast.core.store.dynamodb;

import static io.groupcast.core.store.dynamodb.DynamoDbTable.BEGINS_WITH;
import static io.groupcast.core.store.dynamodb.DynamoDbTable.EQUALS;
import static io.groupcast.core.store.dynamodb.DynamoDbTable.EXPIRES_AT;
import static io.groupcast.core.store.dynamodb.DynamoDbTable.PK;
import static io.groupcast.core.store.dynamodb.DynamoDbTable.SK;
import static io.groupcast.core.store.dynamodb.DynamoDbTable.n;
import static io.groupcast.core.store.dynamodb.DynamoDbTable.s;

import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.Grants;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Protocol;
import io.groupcast.core.model.Recipient;
import io.groupcast.core.model.UserId;
import io.groupcast.core.store.MembershipStore;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Connections and their memberships in the table. Items (every one with the TTL attribute {@code expiresAt}):
 * <ul>
 *   <li>{@code pk=group#{group}, sk=conn#{id}}: a member of a group (with its {@code protocol} when it has one);
 *       fan-out queries this partition.</li>
 *   <li>{@code pk=conn#{id}, sk=group#{group}}: the same membership seen from the connection, so disconnect
 *       finds its groups with one Query.</li>
 *   <li>{@code pk=conn#{id}, sk=meta}: the connection itself (user, connect time, its token's roles, its
 *       protocol); it is also the connection side of its user group.</li>
 * </ul>
 * Other adapters keep more items in a connection's partition (grants, counters); disconnect removes them all. No
 * transactions: writes are single-item and idempotent, ordered so a partial failure leaves only items that TTL and
 * read-time filtering cover (the connection side is written first and deleted last).
 */
public record DynamoDbMembershipStore(DynamoDbTable table) implements MembershipStore {
    /** Partition keys: a group's members, a connection's own items. */
    static final String GROUP_PREFIX = "group#";

    static final String CONNECTION_PREFIX = "conn#";

    /** Sort key of the connection's record. */
    static final String META = "meta";

    /** The record's count of named groups, its slot among its user's, and whether it has a broadcast shard item. */
    static final String GROUPS = "groups";

    static final String SLOT = "slot";
    static final String SHARD = "shard";

    /** A user's connection slot: {@code pk=user#{userId}, sk=slot#{n}}, naming the connection that holds it. */
    static final String SLOT_PREFIX = "slot#";

    /** A group's resumable mark: its sort key sorts before every member's ({@code conn#...}). */
    static final String RESUMABLE = "!resumable";

    /** A member's connection id and the subprotocol its frames take. */
    static final String CONNECTION_ID = "connectionId";

    static final String PROTOCOL = "protocol";

    /** The group a connection-side membership names. */
    static final String GROUP = "group";

    /** The record's user, connect time (epoch milliseconds) and its token's roles (space-separated). */
    static final String USER_ID = "userId";

    static final String CONNECTED_AT = "connectedAt";
    static final String ROLES = "roles";

    private ConnectionWrites writes() {
        return new ConnectionWrites(table);
    }

    @Override
    public void connect(Opening opening) {
        writes().connect(opening);
    }

    @Override
    public Set<Integer> slots(UserId user, Instant now) {
        return writes().slots(user, now);
    }

    @Override
    public boolean takeSlot(UserId user, int slot, ConnectionId connection, Instant expiresAt, Instant now) {
        return writes().takeSlot(user, slot, connection, expiresAt, now);
    }

    @Override
    public void abandon(Opening opening) {
        writes().abandon(opening);
    }

    @Override
    public boolean join(Recipient connection, GroupName group, Instant expiresAt, int maxGroups) {
        return writes().join(connection, group, expiresAt, maxGroups);
    }

    @Override
    public void leave(ConnectionId connection, GroupName group) {
        writes().leave(connection, group);
    }

    @Override
    public int disconnect(ConnectionId connection) {
        return writes().disconnect(connection);
    }

    @Override
    public boolean prune(ConnectionId connection, Instant openedBefore) {
        return writes().prune(connection, openedBefore);
    }

    @Override
    public List<Recipient> recipientsBetween(GroupName group, String after, String before, int limit, Instant now) {
        String low = CONNECTION_PREFIX + after;
        QueryRequest query = QueryRequest.builder()
                .tableName(table.name())
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
        return table.call(() -> table.client().queryPaginator(query).items().stream()
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
    public Stream<Recipient> recipients(GroupName group, Instant now, Consumer<Instant> resumableUntil) {
        // the whole partition: the resumable mark sorts before every member (its sort key starts with "!")
        QueryRequest query = DynamoDbTable.query(
                table.name(), GROUP_PREFIX + group.value(), null, null, now, CONNECTION_ID, PROTOCOL, EXPIRES_AT);
        Iterator<Recipient> ids = new Iterator<>() {
            private Iterator<Map<String, AttributeValue>> items;
            private Map<String, AttributeValue> peeked;

            @Override
            public boolean hasNext() {
                return table.call(() -> {
                    if (items == null) {
                        items = table.client().queryPaginator(query).items().iterator();
                        try {
                            peeked = items.hasNext() ? items.next() : null;
                        } catch (RuntimeException e) {
                            items = null; // a retry (the table made again) starts over
                            throw e;
                        }
                        boolean mark = peeked != null && !peeked.containsKey(CONNECTION_ID);
                        resumableUntil.accept(
                                mark
                                        ? Instant.ofEpochSecond(Long.parseLong(
                                                peeked.get(EXPIRES_AT).n()))
                                        : Instant.EPOCH);
                        if (mark) {
                            peeked = null;
                        }
                    }
                    return peeked != null || items.hasNext();
                });
            }

            @Override
            public Recipient next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                if (peeked != null) {
                    Map<String, AttributeValue> first = peeked;
                    peeked = null;
                    return recipient(first);
                }
                return recipient(table.call(items::next));
            }
        };
        return StreamSupport.stream(
                Spliterators.spliteratorUnknownSize(ids, Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    @Override
    public void resumable(GroupName group, Instant until) {
        table.conditionally(() -> table.client()
                .updateItem(b -> b.tableName(table.name())
                        .key(DynamoDbTable.key(GROUP_PREFIX + group.value(), RESUMABLE))
                        .updateExpression("SET #exp = :until")
                        .conditionExpression("attribute_not_exists(#exp) OR #exp < :until")
                        .expressionAttributeNames(Map.of("#exp", EXPIRES_AT))
                        .expressionAttributeValues(Map.of(":until", n(until.getEpochSecond())))));
    }

    @Override
    public Instant resumableUntil(GroupName group, Instant now) {
        QueryRequest query = table.query(GROUP_PREFIX + group.value(), EQUALS, RESUMABLE, now, EXPIRES_AT);
        return table.call(() -> table.client().query(query)).items().stream()
                .map(item -> Instant.ofEpochSecond(
                        Long.parseLong(item.get(EXPIRES_AT).n())))
                .findFirst()
                .orElse(Instant.EPOCH);
    }

    @Override
    public Set<GroupName> groupsOf(ConnectionId connection, Instant now) {
        // the named groups' connection sides, and the record (the user group's connection side)
        QueryRequest query = table.query(CONNECTION_PREFIX + connection.value(), null, null, now, SK, GROUP, USER_ID);
        return table.call(() -> table.client().queryPaginator(query).items().stream()
                .filter(item -> item.containsKey(GROUP) || (item.get(SK).s().equals(META) && item.containsKey(USER_ID)))
                .map(item -> item.containsKey(GROUP)
                        ? new GroupName(item.get(GROUP).s())
                        : GroupName.ofUser(UserId.of(item.get(USER_ID).s())))
                .collect(Collectors.toUnmodifiableSet()));
    }

    @Override
    public Optional<Connection> connection(ConnectionId connection, Instant now) {
        QueryRequest query = table.query(
                CONNECTION_PREFIX + connection.value(),
                EQUALS,
                META,
                now,
                USER_ID,
                CONNECTED_AT,
                EXPIRES_AT,
                ROLES,
                PROTOCOL);
        return table.call(() -> table.client().query(query)).items().stream()
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
    public Page members(GroupName group, Instant now, int limit, Optional<String> after) {
        QueryRequest.Builder query =
                membersQuery(table.name(), group, now).toBuilder().limit(limit);
        after.ifPresent(cursor -> query.exclusiveStartKey(Map.of(
                PK, s(GROUP_PREFIX + group.value()),
                SK, s(CONNECTION_PREFIX + cursor))));
        var response = table.call(() -> table.client().query(query.build()));
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
        return DynamoDbTable.query(
                table, GROUP_PREFIX + group.value(), BEGINS_WITH, CONNECTION_PREFIX, now, CONNECTION_ID, PROTOCOL);
    }
}
