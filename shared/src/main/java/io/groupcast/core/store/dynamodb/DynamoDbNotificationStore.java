package io.groupcast.core.store.dynamodb;

import static io.groupcast.core.store.dynamodb.DynamoDbTable.EXPIRES_AT;
import static io.groupcast.core.store.dynamodb.DynamoDbTable.SK;
import static io.groupcast.core.store.dynamodb.DynamoDbTable.n;
import static io.groupcast.core.store.dynamodb.DynamoDbTable.s;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.groupcast.core.delivery.FanoutResult;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.Json;
import io.groupcast.core.workers.NotificationStore;
import io.groupcast.core.workers.Slice;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Notifications in the table, partition {@code notif#{id}}: the message ({@code sk=meta}: {@code payload},
 * {@code messageId}, {@code target}, {@code except}, {@code groups} with their numbers, {@code handedOver}) and one
 * item per slice ({@code sk=slice#{sliceId}}: its {@code state}, {@code leaseUntil} while running, its cut
 * ({@code end} and the {@code rest} handed on), its counts once done, its {@code error} once dead).
 */
public record DynamoDbNotificationStore(DynamoDbTable table) implements NotificationStore {
    private static final String PREFIX = "notif#";
    private static final String META = "meta";
    private static final String SLICE = "slice#";
    private static final String STATE = "state";
    private static final String LEASE = "leaseUntil";
    private static final String TARGET = "target";
    private static final String GROUPS = "groups";
    private static final String HANDED_OVER = "handedOver";
    private static final String END = "end";
    private static final String REST = "rest";
    private static final List<String> COUNTS = List.of("recipients", "delivered", "gone", "failed", "skipped");

    @Override
    public void create(Message message, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(key(message.id(), META));
        item.put("payload", AttributeValue.fromB(SdkBytes.fromByteArray(message.payload())));
        item.put("messageId", s(message.messageId()));
        item.put(TARGET, s(message.target()));
        item.put(GROUPS, s(json(message.groups())));
        item.put(HANDED_OVER, AttributeValue.fromBool(false));
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
    public void handedOver(String id, Instant now) {
        table.call(() -> table.client()
                .updateItem(b -> b.tableName(table.name())
                        .key(key(id, META))
                        .updateExpression("SET #handed = :true")
                        .expressionAttributeNames(Map.of("#handed", HANDED_OVER))
                        .expressionAttributeValues(Map.of(":true", AttributeValue.fromBool(true)))));
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
        List<Target> groups = item.containsKey(GROUPS)
                ? parse(item.get(GROUPS).s(), new TypeReference<List<Target>>() {})
                : List.of();
        return Optional.of(new Message(
                id,
                item.get("payload").b().asByteArray(),
                item.get("messageId").s(),
                except,
                item.get(TARGET).s(),
                groups));
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
    public Claimed claim(Slice slice, Instant until, Instant now) {
        Map<String, AttributeValue> key = key(slice.notificationId(), SLICE + slice.id());
        AtomicReference<Map<String, AttributeValue>> claimed = new AtomicReference<>();
        boolean won = table.conditionally(() -> claimed.getAndSet(table.client()
                .updateItem(b -> b.tableName(table.name())
                        .key(key)
                        .updateExpression("SET #state = :running, #lease = :until")
                        // a recorded slice only: queued, dead (moved back from the dead-letter queue: a redrive),
                        // or running under a lease that ended (its worker died)
                        .conditionExpression("attribute_exists(#state) AND (#state = :queued OR #state = :dead"
                                + " OR (#state = :running AND #lease < :now))")
                        .expressionAttributeNames(Map.of("#state", STATE, "#lease", LEASE))
                        .expressionAttributeValues(Map.of(
                                ":running", state(SliceState.RUNNING),
                                ":queued", state(SliceState.QUEUED),
                                ":dead", state(SliceState.DEAD),
                                ":until", n(until.toEpochMilli()),
                                ":now", n(now.toEpochMilli())))
                        .returnValues(ReturnValue.ALL_NEW))
                .attributes()));
        if (won) {
            return new Claimed(Claim.CLAIMED, cutOf(claimed.get()), until);
        }
        Map<String, AttributeValue> item = table.call(() -> table.client()
                        .getItem(b -> b.tableName(table.name()).key(key).consistentRead(true)))
                .item();
        if (item == null || !item.containsKey(STATE)) {
            return new Claimed(Claim.UNKNOWN, Optional.empty(), now);
        }
        SliceState state = stateOf(item);
        Instant lease = DynamoDbTable.millis(item.get(LEASE));
        // a slice that was done, or died, since this worker's update failed: done is finished, dead is claimable
        return state == SliceState.DONE
                ? new Claimed(Claim.FINISHED, Optional.empty(), now)
                : state == SliceState.RUNNING
                        ? new Claimed(Claim.BUSY, Optional.empty(), lease)
                        : claim(slice, until, now);
    }

    @Override
    public Optional<Cut> cut(Slice slice, Cut cut, Instant lease, boolean replace, Instant now) {
        AtomicReference<Map<String, AttributeValue>> answer = new AtomicReference<>();
        String update = replace
                ? "SET #end = :end, #rest = :rest"
                : "SET #end = if_not_exists(#end, :end), #rest = if_not_exists(#rest, :rest)";
        boolean held = table.conditionally(() -> answer.getAndSet(table.client()
                .updateItem(b -> b.tableName(table.name())
                        .key(key(slice.notificationId(), SLICE + slice.id()))
                        .updateExpression(update)
                        .conditionExpression("#state = :running AND #lease = :lease")
                        .expressionAttributeNames(Map.of("#end", END, "#rest", REST, "#state", STATE, "#lease", LEASE))
                        .expressionAttributeValues(Map.of(
                                ":end", s(cut.end()),
                                ":rest", s(json(cut.rest())),
                                ":running", state(SliceState.RUNNING),
                                ":lease", n(lease.toEpochMilli())))
                        .returnValues(ReturnValue.ALL_NEW))
                .attributes()));
        return held ? cutOf(answer.get()) : Optional.empty();
    }

    @Override
    public void release(Slice slice, Instant lease, Instant now) {
        // a worker's bookkeeping is tried even in the seconds after a timed-out call, when others fail at once
        table.regardless(() -> table.conditionally(() -> table.client()
                .updateItem(b -> b.tableName(table.name())
                        .key(key(slice.notificationId(), SLICE + slice.id()))
                        .updateExpression("SET #state = :queued REMOVE #lease")
                        .conditionExpression("#state = :running AND #lease = :lease")
                        .expressionAttributeNames(Map.of("#state", STATE, "#lease", LEASE))
                        .expressionAttributeValues(Map.of(
                                ":queued", state(SliceState.QUEUED),
                                ":running", state(SliceState.RUNNING),
                                ":lease", n(lease.toEpochMilli()))))));
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
        table.regardless(() -> {
            table.put(item);
            return null;
        });
    }

    @Override
    public void dead(Slice slice, String error, Instant now) {
        // the cut stays: a redrive re-runs exactly the range the slice had; a slice done already stays done
        table.regardless(() -> table.conditionally(() -> table.client()
                .updateItem(b -> b.tableName(table.name())
                        .key(key(slice.notificationId(), SLICE + slice.id()))
                        .updateExpression("SET #state = :dead, #error = :error, expiresAt = :exp REMOVE #lease")
                        .conditionExpression("attribute_not_exists(#state) OR #state <> :done")
                        .expressionAttributeNames(Map.of("#state", STATE, "#error", "error", "#lease", LEASE))
                        .expressionAttributeValues(Map.of(
                                ":dead", state(SliceState.DEAD),
                                ":done", state(SliceState.DONE),
                                ":error",
                                        s(
                                                error.isEmpty()
                                                        ? "-"
                                                        : error.length() > 500 ? error.substring(0, 500) : error),
                                ":exp", expiry(now))))));
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
                HANDED_OVER,
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
                                .toList(),
                        // a record written before the flag existed was handed over when it was written
                        !meta.containsKey(HANDED_OVER) || meta.get(HANDED_OVER).bool()));
    }

    private static Optional<Cut> cutOf(Map<String, AttributeValue> item) {
        if (item == null || !item.containsKey(END)) {
            return Optional.empty();
        }
        List<Slice> rest =
                item.containsKey(REST) ? parse(item.get(REST).s(), new TypeReference<List<Slice>>() {}) : List.of();
        return Optional.of(new Cut(item.get(END).s(), rest));
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

    private static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T parse(String json, TypeReference<T> type) {
        try {
            return Json.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a notification record that is not as written: " + e.getMessage(), e);
        }
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
