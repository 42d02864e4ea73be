package io.groupcast.core.store.dynamodb;

import static io.groupcast.core.store.dynamodb.DynamoDbTable.n;
import static io.groupcast.core.store.dynamodb.DynamoDbTable.s;

import io.groupcast.core.store.IdempotencyStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Idempotency records in the table: {@code pk=idem#{key}, sk=idem} with the request's {@code state}
 * ({@code in_progress}, {@code completed}, {@code failed}), {@code hash}, {@code messageId}, {@code lockedUntil}
 * (epoch milliseconds) and, once completed, the {@code answer}. A partition of their own, so that a connection's
 * disconnect does not delete them one by one: TTL does, for free.
 */
public record DynamoDbIdempotencyStore(DynamoDbTable table) implements IdempotencyStore {
    private static final String PREFIX = "idem#";
    private static final String SORT = "idem";
    private static final String IN_PROGRESS = "in_progress";
    private static final String COMPLETED = "completed";
    private static final String FAILED = "failed";

    @Override
    public Claim claim(String key, String hash, String messageId, Instant now, Instant lockedUntil, Instant expiresAt) {
        Map<String, AttributeValue> values = Map.of(
                ":progress", s(IN_PROGRESS),
                ":hash", s(hash),
                ":message", s(messageId),
                ":lock", n(lockedUntil.toEpochMilli()),
                ":exp", n(expiresAt.getEpochSecond()),
                ":now", n(now.getEpochSecond()));
        // a new key, or one whose record outlived its window: everything afresh
        Optional<Map<String, AttributeValue>> fresh = update(
                key,
                "SET #state = :progress, #hash = :hash, messageId = :message, lockedUntil = :lock, expiresAt = :exp"
                        + " REMOVE answer",
                "attribute_not_exists(pk) OR expiresAt < :now",
                values);
        if (fresh.isPresent()) {
            return claim(State.GRANTED, fresh.get());
        }
        // a retry of a request that failed, or whose lock ran out: the same message id
        Optional<Map<String, AttributeValue>> retried = update(
                key,
                "SET #state = :progress, lockedUntil = :lock",
                "#hash = :hash AND (#state = :failed OR (#state = :progress AND lockedUntil < :nowMillis))",
                Map.of(
                        ":progress", s(IN_PROGRESS),
                        ":failed", s(FAILED),
                        ":hash", s(hash),
                        ":lock", n(lockedUntil.toEpochMilli()),
                        ":nowMillis", n(now.toEpochMilli())));
        if (retried.isPresent()) {
            return claim(State.GRANTED, retried.get());
        }
        // a consistent Query of the one item: the functions that use keys may Query, not GetItem
        List<Map<String, AttributeValue>> found =
                table.items(table.query(PREFIX + key, null, null, null, "state", "hash", "messageId", "answer"));
        if (found.isEmpty()) {
            // deleted (by TTL) since the writes were refused: claim it afresh
            return claim(key, hash, messageId, now, lockedUntil, expiresAt);
        }
        Map<String, AttributeValue> held = found.get(0);
        String state = held.get("state").s();
        return claim(state.equals(COMPLETED) ? State.COMPLETED : State.IN_PROGRESS, held);
    }

    private Optional<Map<String, AttributeValue>> update(
            String key, String update, String condition, Map<String, AttributeValue> values) {
        AtomicReference<Map<String, AttributeValue>> attributes = new AtomicReference<>();
        boolean done = table.conditionally(() -> attributes.getAndSet(table.client()
                .updateItem(b -> b.tableName(table.name())
                        .key(key(key))
                        .updateExpression(update)
                        .conditionExpression(condition)
                        .expressionAttributeNames(Map.of("#state", "state", "#hash", "hash"))
                        .expressionAttributeValues(values)
                        .returnValues(ReturnValue.ALL_NEW))
                .attributes()));
        return done ? Optional.of(attributes.get()) : Optional.empty();
    }

    private static Claim claim(State state, Map<String, AttributeValue> item) {
        return new Claim(
                state,
                item.get("hash").s(),
                item.get("messageId").s(),
                Optional.ofNullable(item.get("answer")).map(answer -> answer.b().asByteArray()));
    }

    @Override
    public void complete(String key, byte[] answer) {
        table.call(() -> table.client()
                .updateItem(b -> b.tableName(table.name())
                        .key(key(key))
                        .updateExpression("SET #state = :done, answer = :answer")
                        .expressionAttributeNames(Map.of("#state", "state"))
                        .expressionAttributeValues(Map.of(
                                ":done", s(COMPLETED),
                                ":answer", AttributeValue.fromB(SdkBytes.fromByteArray(answer))))));
    }

    @Override
    public void fail(String key) {
        table.call(() -> table.client()
                .updateItem(b -> b.tableName(table.name())
                        .key(key(key))
                        .updateExpression("SET #state = :failed")
                        .expressionAttributeNames(Map.of("#state", "state"))
                        .expressionAttributeValues(Map.of(":failed", s(FAILED)))));
    }

    private static Map<String, AttributeValue> key(String key) {
        return DynamoDbTable.key(PREFIX + key, SORT);
    }
}
