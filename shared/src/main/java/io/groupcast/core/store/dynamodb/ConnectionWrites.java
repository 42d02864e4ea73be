package io.groupcast.core.store.dynamodb;

import static io.groupcast.core.store.MembershipStore.NO_SLOT;
import static io.groupcast.core.store.dynamodb.DynamoDbMembershipStore.CONNECTED_AT;
import static io.groupcast.core.store.dynamodb.DynamoDbMembershipStore.CONNECTION_ID;
import static io.groupcast.core.store.dynamodb.DynamoDbMembershipStore.CONNECTION_PREFIX;
import static io.groupcast.core.store.dynamodb.DynamoDbMembershipStore.GROUP;
import static io.groupcast.core.store.dynamodb.DynamoDbMembershipStore.GROUPS;
import static io.groupcast.core.store.dynamodb.DynamoDbMembershipStore.GROUP_PREFIX;
import static io.groupcast.core.store.dynamodb.DynamoDbMembershipStore.META;
import static io.groupcast.core.store.dynamodb.DynamoDbMembershipStore.PROTOCOL;
import static io.groupcast.core.store.dynamodb.DynamoDbMembershipStore.ROLES;
import static io.groupcast.core.store.dynamodb.DynamoDbMembershipStore.SHARD;
import static io.groupcast.core.store.dynamodb.DynamoDbMembershipStore.SLOT;
import static io.groupcast.core.store.dynamodb.DynamoDbMembershipStore.SLOT_PREFIX;
import static io.groupcast.core.store.dynamodb.DynamoDbMembershipStore.USER_ID;
import static io.groupcast.core.store.dynamodb.DynamoDbTable.BEGINS_WITH;
import static io.groupcast.core.store.dynamodb.DynamoDbTable.EQUALS;
import static io.groupcast.core.store.dynamodb.DynamoDbTable.EXPIRES_AT;
import static io.groupcast.core.store.dynamodb.DynamoDbTable.PK;
import static io.groupcast.core.store.dynamodb.DynamoDbTable.SK;
import static io.groupcast.core.store.dynamodb.DynamoDbTable.n;
import static io.groupcast.core.store.dynamodb.DynamoDbTable.s;

import io.groupcast.core.model.Broadcast;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Protocol;
import io.groupcast.core.model.Recipient;
import io.groupcast.core.model.UserId;
import io.groupcast.core.store.MembershipStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The writes of a connection's life in the table, for {@link DynamoDbMembershipStore}: its items at connect (in one
 * batch), its user's numbered slots, the named groups it joins and leaves (counted on its record, so that
 * {@code MaxGroupsPerConnection} holds under racing frames), and its removal at disconnect or prune. The items are
 * those {@link DynamoDbMembershipStore} describes.
 */
record ConnectionWrites(DynamoDbTable table) {
    void connect(MembershipStore.Opening opening) {
        Connection connection = opening.connection();
        Map<String, AttributeValue> record = new HashMap<>(Map.of(
                PK, s(CONNECTION_PREFIX + connection.id().value()),
                SK, s(META),
                USER_ID, s(connection.user().value()),
                CONNECTED_AT, n(connection.connectedAt().toEpochMilli()),
                EXPIRES_AT, n(connection.expiresAt().getEpochSecond()),
                GROUPS, n(opening.joins().size())));
        if (!connection.roles().grants().isEmpty()) {
            record.put(ROLES, s(connection.roles().roles()));
        }
        if (connection.protocol() != Protocol.PLAIN) {
            record.put(PROTOCOL, s(connection.protocol().wire()));
        }
        if (opening.slot() != NO_SLOT) {
            record.put(SLOT, n(opening.slot()));
        }
        record.put(SHARD, AttributeValue.fromBool(opening.broadcast())); // disconnect removes the shard's item then
        // the record is also the connection side of its user group: disconnect finds the group from its userId
        List<Map<String, AttributeValue>> items = new ArrayList<>(List.of(
                record, member(connection.recipient(), GroupName.ofUser(connection.user()), connection.expiresAt())));
        if (opening.broadcast()) {
            // the broadcast shard: group side only, disconnect knows it from the id
            items.add(member(connection.recipient(), Broadcast.shardOf(connection.id()), connection.expiresAt()));
        }
        opening.joins().forEach((group, until) -> {
            items.add(connectionSide(connection.id(), group, until));
            items.add(member(connection.recipient(), group, until));
        });
        table.putAll(items);
    }

    Set<Integer> slots(UserId user, Instant now) {
        QueryRequest query =
                table.query(DynamoDbLinkStore.USER_PREFIX + user.value(), BEGINS_WITH, SLOT_PREFIX, now, SK);
        return table.items(query).stream()
                .map(item -> Integer.parseInt(item.get(SK).s().substring(SLOT_PREFIX.length())))
                .collect(Collectors.toUnmodifiableSet());
    }

    boolean takeSlot(UserId user, int slot, ConnectionId connection, Instant expiresAt, Instant now) {
        return table.conditionally(() -> table.client()
                .putItem(b -> b.tableName(table.name())
                        .item(Map.of(
                                PK, s(DynamoDbLinkStore.USER_PREFIX + user.value()),
                                SK, s(SLOT_PREFIX + slot),
                                CONNECTION_ID, s(connection.value()),
                                EXPIRES_AT, n(expiresAt.getEpochSecond())))
                        .conditionExpression("attribute_not_exists(#exp) OR #exp <= :now OR #id = :id")
                        .expressionAttributeNames(Map.of("#exp", EXPIRES_AT, "#id", CONNECTION_ID))
                        .expressionAttributeValues(
                                Map.of(":now", n(now.getEpochSecond()), ":id", s(connection.value())))));
    }

    void abandon(MembershipStore.Opening opening) {
        table.regardless(() -> {
            abandonNow(opening);
            return null;
        });
    }

    private void abandonNow(MembershipStore.Opening opening) {
        Connection connection = opening.connection();
        String pk = CONNECTION_PREFIX + connection.id().value();
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        keys.add(DynamoDbTable.key(
                GROUP_PREFIX + GroupName.ofUser(connection.user()).value(), pk));
        keys.add(DynamoDbTable.key(
                GROUP_PREFIX + Broadcast.shardOf(connection.id()).value(), pk));
        opening.joins().keySet().forEach(group -> {
            keys.add(DynamoDbTable.key(GROUP_PREFIX + group.value(), pk));
            keys.add(DynamoDbTable.key(pk, GROUP_PREFIX + group.value()));
        });
        keys.add(DynamoDbTable.key(pk, META));
        table.deleteAll(keys);
        if (opening.slot() != NO_SLOT) {
            freeSlot(connection.user().value(), opening.slot(), connection.id().value());
        }
    }

    /** Frees a user's slot if this connection still holds it (another may have taken it since it expired). */
    private void freeSlot(String user, int slot, String connection) {
        table.conditionally(() -> table.client()
                .deleteItem(b -> b.tableName(table.name())
                        .key(DynamoDbTable.key(DynamoDbLinkStore.USER_PREFIX + user, SLOT_PREFIX + slot))
                        .conditionExpression("#id = :id")
                        .expressionAttributeNames(Map.of("#id", CONNECTION_ID))
                        .expressionAttributeValues(Map.of(":id", s(connection)))));
    }

    boolean join(Recipient connection, GroupName group, Instant expiresAt, int maxGroups) {
        String pk = CONNECTION_PREFIX + connection.id().value();
        boolean added = table.conditionally(() -> table.client()
                .putItem(b -> b.tableName(table.name())
                        .item(connectionSide(connection.id(), group, expiresAt))
                        .conditionExpression("attribute_not_exists(#sk)")
                        .expressionAttributeNames(Map.of("#sk", SK))));
        if (added && !count(pk, maxGroups)) {
            table.delete(pk, GROUP_PREFIX + group.value()); // over the limit: the join did not happen
            return false;
        }
        if (!added) {
            // a member already (or again): push its end back
            table.put(connectionSide(connection.id(), group, expiresAt));
        }
        table.put(member(connection, group, expiresAt));
        return true;
    }

    /**
     * Counts one more named group on a connection's record unless it counts {@code max} already (one conditional
     * update, so that racing frames cannot pass together); answers whether it did. A connection without a record (gone,
     * or made by a test without one) counts nothing and may join.
     */
    private boolean count(String pk, int max) {
        String limit = max == Integer.MAX_VALUE ? "" : " AND (attribute_not_exists(#g) OR #g < :max)";
        Map<String, AttributeValue> values =
                max == Integer.MAX_VALUE ? Map.of(":d", n(1)) : Map.of(":d", n(1), ":max", n(max));
        boolean counted = table.conditionally(
                () -> table.client().updateItem(groupsUpdate(pk, "attribute_exists(#sk)" + limit, values)));
        return counted
                || max == Integer.MAX_VALUE
                || table.items(table.query(pk, EQUALS, META, null, SK)).isEmpty()
                || recount(pk, max);
    }

    /**
     * At the limit by the count: counts the live memberships themselves (this join's included) and, when they are
     * within it, sets the count to them. The count drifts up when a membership expires instead of being left (a
     * link's end) or a write is retried; this heals it the first time it would refuse a join wrongly.
     */
    private boolean recount(String pk, int max) {
        int live = table.items(table.query(pk, BEGINS_WITH, GROUP_PREFIX, Instant.now(), SK))
                .size();
        if (live > max) {
            return false;
        }
        return table.conditionally(() -> table.client()
                .updateItem(b -> b.tableName(table.name())
                        .key(DynamoDbTable.key(pk, META))
                        .updateExpression("SET #g = :live")
                        .conditionExpression("attribute_exists(#sk)")
                        .expressionAttributeNames(Map.of("#g", GROUPS, "#sk", SK))
                        .expressionAttributeValues(Map.of(":live", n(live)))));
    }

    /** Counts one named group less on a connection's record (a leave), never below zero. */
    private void uncount(String pk) {
        table.conditionally(() -> table.client()
                .updateItem(
                        groupsUpdate(pk, "attribute_exists(#sk) AND #g > :zero", Map.of(":d", n(-1), ":zero", n(0)))));
    }

    private UpdateItemRequest groupsUpdate(String pk, String condition, Map<String, AttributeValue> values) {
        return UpdateItemRequest.builder()
                .tableName(table.name())
                .key(DynamoDbTable.key(pk, META))
                .updateExpression("ADD #g :d")
                .conditionExpression(condition)
                .expressionAttributeNames(Map.of("#g", GROUPS, "#sk", SK))
                .expressionAttributeValues(values)
                .build();
    }

    /** The connection side of a membership. */
    private static Map<String, AttributeValue> connectionSide(ConnectionId connection, GroupName group, Instant until) {
        return Map.of(
                PK, s(CONNECTION_PREFIX + connection.value()),
                SK, s(GROUP_PREFIX + group.value()),
                GROUP, s(group.value()),
                EXPIRES_AT, n(until.getEpochSecond()));
    }

    /** The group side of a membership. */
    private static Map<String, AttributeValue> member(Recipient connection, GroupName group, Instant expiresAt) {
        String id = connection.id().value();
        Map<String, AttributeValue> member = new HashMap<>(Map.of(
                PK, s(GROUP_PREFIX + group.value()),
                SK, s(CONNECTION_PREFIX + id),
                CONNECTION_ID, s(id),
                EXPIRES_AT, n(expiresAt.getEpochSecond())));
        if (connection.protocol() != Protocol.PLAIN) {
            member.put(PROTOCOL, s(connection.protocol().wire()));
        }
        return member;
    }

    void leave(ConnectionId connection, GroupName group) {
        String pk = CONNECTION_PREFIX + connection.value();
        table.delete(GROUP_PREFIX + group.value(), pk);
        boolean was = !table.call(() -> table.client()
                        .deleteItem(b -> b.tableName(table.name())
                                .key(DynamoDbTable.key(pk, GROUP_PREFIX + group.value()))
                                .returnValues(ReturnValue.ALL_OLD)))
                .attributes()
                .isEmpty();
        if (was) {
            uncount(pk);
        }
    }

    int disconnect(ConnectionId connection) {
        return table.regardless(() -> remove(connection, items(connection)));
    }

    boolean prune(ConnectionId connection, Instant openedBefore) {
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
        QueryRequest query = table.query(
                CONNECTION_PREFIX + connection.value(), null, null, null, SK, CONNECTED_AT, USER_ID, SLOT, SHARD);
        return table.items(query);
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
                table.delete(sk, pk);
                table.delete(pk, sk);
                groups++;
            } else if (sk.equals(META)) {
                meta = item;
            } else {
                table.delete(pk, sk);
            }
        }
        if (meta != null) {
            if (meta.containsKey(USER_ID)) {
                String userGroup = GROUP_PREFIX
                        + GroupName.ofUser(UserId.of(meta.get(USER_ID).s())).value();
                boolean listed =
                        items.stream().anyMatch(item -> item.get(SK).s().equals(userGroup));
                if (!listed) {
                    table.delete(userGroup, pk);
                    groups++;
                }
            }
            if (!meta.containsKey(SHARD) || meta.get(SHARD).bool()) { // records before the choice have a shard
                table.delete(GROUP_PREFIX + Broadcast.shardOf(connection).value(), pk);
            }
            if (meta.containsKey(SLOT) && meta.containsKey(USER_ID)) {
                freeSlot(meta.get(USER_ID).s(), Integer.parseInt(meta.get(SLOT).n()), connection.value());
            }
            table.delete(pk, META);
        }
        return groups;
    }
}
