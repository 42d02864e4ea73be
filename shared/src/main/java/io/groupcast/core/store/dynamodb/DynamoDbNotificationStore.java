package io.groupcast.core.store.dynamodb;

import static io.groupcast.core.store.dynamodb.DynamoDbTable.EXPIRES_AT;
import static io.groupcast.core.store.dynamodb.DynamoDbTable.SK;
import static io.groupcast.core.store.dynamodb.DynamoDbTable.n;
import static io.groupcast.core.store.dynamodb.DynamoDbTable.s;

import io.groupcast.core.delivery.FanoutResult;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.workers.NotificationStore;
import io.groupcast.core.workers.Slice;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Notifications in the table, partition {@code notif#{id}}: the message ({@code sk=meta}: {@code payload},
 * {@code messageId}, {@code target}, {@code except}) and one item per slice ({@code sk=slice#{sliceId}}: its
 * {@code state}, {@code leaseUntil} while running, its counts once done, its {@code error} once dead).
 */
public record DynamoDbNotificationStore(DynamoDbTable table) implements NotificationStore {
    private static final String PREFIX = "notif#";
    private static final String META = "meta";
    private static final String SLICE = "slice#";
    private static final String STATE = "state";
    private static final String LEASE = "leaseUntil";
    private static final String TARGET = "target";
    private static final List<String> COUNTS = List.of("recipients", "delivered", "gone", "failed", "skipped");

    @Override
    public void create(Message message, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(key(message.id(), META));
        item.put("payload", AttributeValue.fromB(SdkBytes.fromByteArray(message.payload())));
        item.put("messageId", s(message.messageId()));
        item.put(TARGET, s(message.target()));
        item.put("createdAt", n(now.toEpochMilli()));
        item.put(EXPIRES_AT, expiry(now));
        if (!message.except().isEmpty()) {
            item.put(
                    "except",
                    AttributeValue.fromSs(
                            message.except().stream().map(ConnectionId::value).toList()));
        }
        table.put(item);
    }

    @Override
    public Optional<Message> message(String id) {
        Map<String, AttributeValue> item = table.call(() -> table.client()
                        .getItem(b ->
                                b.tableName(table.name()).key(key(id, META)).consistentRead(true)))
                .item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        Set<ConnectionId> except = item.containsKey("except")
                ? item.get("except").ss().stream().map(ConnectionId::new).collect(Collectors.toSet())
                : Set.of();
        return Optional.of(new Message(
                id,
                item.get("payload").b().asByteArray(),
                item.get("messageId").s(),
                except,
                item.get(TARGET).s()));
    }

    @Override
    public void queued(List<Slice> slices, Instant now) {
        for (Slice slice : slices) {
            Map<String, AttributeValue> item = new HashMap<>(key(slice.notificationId(), SLICE + slice.id()));
            item.put(STATE, state(SliceState.QUEUED));
            item.put(EXPIRES_AT, expiry(now));
            table.conditionally(() -> table.client()
                    .putItem(
                            b -> b.tableName(table.name()).item(item).conditionExpression("attribute_not_exists(pk)")));
        }
    }

    @Override
    public Claim claim(Slice slice, Instant until, Instant now) {
        Map<String, AttributeValue> key = key(slice.notificationId(), SLICE + slice.id());
        boolean claimed = table.conditionally(() -> table.client()
                .updateItem(b -> b.tableName(table.name())
                        .key(key)
                        .updateExpression("SET #state = :running, #lease = :until, expiresAt = :exp")
                        .conditionExpression("attribute_not_exists(#state) OR #state = :queued"
                                + " OR (#state = :running AND #lease < :now)")
                        .expressionAttributeNames(Map.of("#state", STATE, "#lease", LEASE))
                        .expressionAttributeValues(Map.of(
                                ":running", state(SliceState.RUNNING),
                                ":queued", state(SliceState.QUEUED),
                                ":until", n(until.toEpochMilli()),
                                ":now", n(now.toEpochMilli()),
                                ":exp", expiry(now)))));
        if (claimed) {
            return Claim.CLAIMED;
        }
        Map<String, AttributeValue> item = table.call(() -> table.client()
                        .getItem(b -> b.tableName(table.name()).key(key).consistentRead(true)))
                .item();
        SliceState state = stateOf(item);
        return state == SliceState.DONE || state == SliceState.DEAD ? Claim.FINISHED : Claim.BUSY;
    }

    @Override
    public void done(String notificationId, String sliceId, FanoutResult result, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(key(notificationId, SLICE + sliceId));
        item.put(STATE, state(SliceState.DONE));
        item.put("recipients", n(result.recipients()));
        item.put("delivered", n(result.delivered()));
        item.put("gone", n(result.gone()));
        item.put("failed", n(result.failed()));
        item.put("skipped", n(result.skipped()));
        item.put(EXPIRES_AT, expiry(now));
        table.put(item);
    }

    @Override
    public void dead(Slice slice, String error, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(key(slice.notificationId(), SLICE + slice.id()));
        item.put(STATE, state(SliceState.DEAD));
        item.put("error", s(error.length() > 500 ? error.substring(0, 500) : error));
        item.put(EXPIRES_AT, expiry(now));
        table.put(item);
    }

    @Override
    public Optional<Progress> progress(String id, Instant now) {
        var query = table.query(
                PREFIX + id,
                null,
                null,
                now,
                SK,
                STATE,
                TARGET,
                "recipients",
                "delivered",
                "gone",
                "failed",
                "skipped");
        List<Map<String, AttributeValue>> items = table.items(query);
        return items.stream()
                .filter(item -> item.get(SK).s().equals(META))
                .findFirst()
                .map(meta -> new Progress(
                        meta.get(TARGET).s(),
                        items.stream()
                                .filter(item -> item.get(SK).s().startsWith(SLICE))
                                .map(DynamoDbNotificationStore::slice)
                                .toList()));
    }

    private static SliceProgress slice(Map<String, AttributeValue> item) {
        SliceState state = stateOf(item);
        if (state != SliceState.DONE) {
            return new SliceProgress(state, Optional.empty());
        }
        long[] counts = COUNTS.stream()
                .mapToLong(count ->
                        item.containsKey(count) ? Long.parseLong(item.get(count).n()) : 0)
                .toArray();
        return new SliceProgress(
                state,
                Optional.of(new FanoutResult(
                        (int) counts[0],
                        (int) counts[1],
                        (int) counts[2],
                        (int) counts[3],
                        (int) counts[4],
                        Map.of())));
    }

    private static SliceState stateOf(Map<String, AttributeValue> item) {
        return item == null || !item.containsKey(STATE)
                ? SliceState.QUEUED
                : SliceState.valueOf(item.get(STATE).s().toUpperCase(Locale.ROOT));
    }

    private static AttributeValue state(SliceState state) {
        return s(state.name().toLowerCase(Locale.ROOT));
    }

    private static AttributeValue expiry(Instant now) {
        return n(now.plus(LIFETIME).getEpochSecond());
    }

    private static Map<String, AttributeValue> key(String id, String sk) {
        return DynamoDbTable.key(PREFIX + id, sk);
    }
}
