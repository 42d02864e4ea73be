package io.groupcast.core.store.dynamodb;

import static io.groupcast.core.store.dynamodb.DynamoDbTable.BEGINS_WITH;
import static io.groupcast.core.store.dynamodb.DynamoDbTable.EQUALS;
import static io.groupcast.core.store.dynamodb.DynamoDbTable.EXPIRES_AT;
import static io.groupcast.core.store.dynamodb.DynamoDbTable.PK;
import static io.groupcast.core.store.dynamodb.DynamoDbTable.SK;
import static io.groupcast.core.store.dynamodb.DynamoDbTable.millis;
import static io.groupcast.core.store.dynamodb.DynamoDbTable.n;
import static io.groupcast.core.store.dynamodb.DynamoDbTable.s;

import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.UserId;
import io.groupcast.core.store.StreamLog;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Streams in the table. {@code pk=stream#{group}, sk=head}: the last number ({@code seq}), when it and the one before
 * it were taken ({@code takenAt}, {@code prevTakenAt}), the {@code epoch}, and the request
 * that took it ({@code request}, so that a retried update takes no second number). {@code sk=msg#{seq, 20 digits}}: a
 * kept message ({@code frame}, {@code previousTakenAt}, the connections it is not for in {@code except}), or a lost
 * one ({@code lost}). {@code pk=user#{userId}, sk=since#{group}}: the number a user may read the stream after.
 */
public record DynamoDbStreamLog(DynamoDbTable table) implements StreamLog {
    /** A stream's partition key. */
    private static final String STREAM_PREFIX = "stream#";

    private static final String HEAD = "head";

    /** A kept message's sort key prefix; its number follows in 20 digits, so that keys sort as numbers do. */
    private static final String MESSAGE_PREFIX = "msg#";

    private static final String SINCE_PREFIX = "since#";

    @Override
    public Head head(GroupName stream, Instant now) {
        QueryRequest query = table.query(STREAM_PREFIX + stream.value(), EQUALS, HEAD, null, "seq", "takenAt", "epoch");
        return table.call(() -> table.client().query(query)).items().stream()
                .map(item -> new Head(
                        number(item, "seq"),
                        millis(item.get("takenAt")),
                        item.containsKey("epoch") ? item.get("epoch").s() : ""))
                .findFirst()
                .orElse(Head.NONE);
    }

    @Override
    public Taken nextSeq(GroupName stream, String request, Instant takenAt, Instant headExpiresAt) {
        AtomicReference<Map<String, AttributeValue>> taken = new AtomicReference<>();
        boolean first = table.conditionally(() -> taken.getAndSet(table.client()
                .updateItem(b -> b.tableName(table.name())
                        .key(DynamoDbTable.key(STREAM_PREFIX + stream.value(), HEAD))
                        .updateExpression("ADD #seq :one SET prevTakenAt = if_not_exists(#at, :zero), #at = :at,"
                                + " #exp = :exp, epoch = if_not_exists(epoch, :epoch), #req = :req")
                        .conditionExpression("attribute_not_exists(#req) OR #req <> :req")
                        .expressionAttributeNames(
                                Map.of("#seq", "seq", "#at", "takenAt", "#exp", EXPIRES_AT, "#req", "request"))
                        .expressionAttributeValues(Map.of(
                                ":one", n(1),
                                ":zero", n(0),
                                ":at", n(takenAt.toEpochMilli()),
                                ":exp", n(headExpiresAt.getEpochSecond()),
                                ":epoch", s(UUID.randomUUID().toString().substring(0, 8)),
                                ":req", s(request)))
                        .returnValues(ReturnValue.ALL_NEW))
                .attributes()));
        Map<String, AttributeValue> item = first
                ? taken.get()
                : table.items(table.query(
                                STREAM_PREFIX + stream.value(), EQUALS, HEAD, null, "seq", "prevTakenAt", "epoch"))
                        .get(0); // this request's number was taken by an attempt whose answer was lost
        return new Taken(
                number(item, "seq"),
                millis(item.get("prevTakenAt")),
                item.get("epoch").s());
    }

    @Override
    public void keep(GroupName stream, Kept message, Instant expiresAt) {
        table.put(item(stream, message, expiresAt));
    }

    private static Map<String, AttributeValue> item(GroupName stream, Kept message, Instant expiresAt) {
        Map<String, AttributeValue> item = new HashMap<>(Map.of(
                PK,
                s(STREAM_PREFIX + stream.value()),
                SK,
                s(messageKey(message.seq())),
                "previousTakenAt",
                n(message.previousTakenAt().toEpochMilli()),
                EXPIRES_AT,
                n(expiresAt.getEpochSecond())));
        if (message.lost()) {
            item.put("lost", AttributeValue.fromBool(true));
        } else {
            item.put("frame", AttributeValue.fromB(SdkBytes.fromByteArray(message.frame())));
        }
        if (!message.except().isEmpty()) {
            item.put(
                    "except",
                    AttributeValue.fromSs(
                            message.except().stream().map(ConnectionId::value).toList()));
        }
        return item;
    }

    /**
     * Writes a long stream at once, for benchmarks and tests: its kept messages in batches of 25, then a head at the
     * last of them, in {@code epoch}.
     */
    public void seed(GroupName stream, List<Kept> messages, String epoch) {
        table.putAll(messages.stream()
                .map(kept -> item(stream, kept, kept.expiresAt()))
                .toList());
        Kept last = messages.get(messages.size() - 1);
        table.put(Map.of(
                PK,
                s(STREAM_PREFIX + stream.value()),
                SK,
                s(HEAD),
                "seq",
                n(last.seq()),
                "takenAt",
                n(last.previousTakenAt().toEpochMilli()), // near enough for a seeded stream
                "prevTakenAt",
                n(last.previousTakenAt().toEpochMilli()),
                "epoch",
                s(epoch),
                EXPIRES_AT,
                n(last.expiresAt().plus(Duration.ofDays(30)).getEpochSecond())));
    }

    @Override
    public List<Kept> kept(GroupName stream, long after, int limit, Instant now) {
        if (after == Long.MAX_VALUE) {
            return List.of();
        }
        QueryRequest query = QueryRequest.builder()
                .tableName(table.name())
                .consistentRead(true)
                .keyConditionExpression("#pk = :pk AND #sk BETWEEN :from AND :last")
                .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                .expressionAttributeValues(Map.of(
                        ":pk", s(STREAM_PREFIX + stream.value()),
                        ":from", s(messageKey(after + 1)),
                        ":last", s(messageKey(Long.MAX_VALUE))))
                .limit(limit)
                .build();
        return table.call(() -> table.client().query(query)).items().stream()
                .map(DynamoDbStreamLog::kept)
                .toList();
    }

    @Override
    public Optional<Kept> first(GroupName stream, long from) {
        List<Kept> found = kept(stream, from - 1, 1, Instant.EPOCH);
        return found.stream().findFirst();
    }

    private static Kept kept(Map<String, AttributeValue> item) {
        Set<ConnectionId> except = item.containsKey("except")
                ? item.get("except").ss().stream().map(ConnectionId::new).collect(Collectors.toSet())
                : Set.of();
        return new Kept(
                Long.parseLong(item.get(SK).s().substring(MESSAGE_PREFIX.length())),
                item.containsKey("frame") ? item.get("frame").b().asByteArray() : new byte[0],
                millis(item.get("previousTakenAt")),
                except,
                Instant.ofEpochSecond(number(item, EXPIRES_AT)));
    }

    @Override
    public List<Since> since(UserId user, GroupName stream, Instant now) {
        QueryRequest query = table
                .query(
                        DynamoDbLinkStore.USER_PREFIX + user.value(),
                        BEGINS_WITH,
                        sinceKey(stream, ""),
                        now,
                        "seq",
                        "epoch")
                .toBuilder()
                .limit(MAX_SINCE)
                .build();
        return table.call(() -> table.client().query(query)).items().stream()
                .map(item -> new Since(number(item, "seq"), item.get("epoch").s()))
                .toList();
    }

    @Override
    public void since(
            UserId user, GroupName stream, ConnectionId connection, Since since, Instant now, Instant expiresAt) {
        String pk = DynamoDbLinkStore.USER_PREFIX + user.value();
        String sk = sinceKey(stream, connection.value());
        // a new record unless a live one of this epoch reads further back already; then only its life is extended
        boolean written = table.conditionally(() -> table.client()
                .putItem(b -> b.tableName(table.name())
                        .item(Map.of(
                                PK,
                                s(pk),
                                SK,
                                s(sk),
                                "seq",
                                n(since.seq()),
                                "epoch",
                                s(since.epoch()),
                                EXPIRES_AT,
                                n(expiresAt.getEpochSecond())))
                        // a live record of an earlier epoch reads further back than any of this one
                        .conditionExpression(
                                "attribute_not_exists(#seq) OR #exp <= :now OR (epoch = :epoch AND #seq > :seq)")
                        .expressionAttributeNames(Map.of("#seq", "seq", "#exp", EXPIRES_AT))
                        .expressionAttributeValues(Map.of(
                                ":now", n(now.getEpochSecond()),
                                ":epoch", s(since.epoch()),
                                ":seq", n(since.seq())))));
        if (!written) {
            table.conditionally(() -> table.client()
                    .updateItem(b -> b.tableName(table.name())
                            .key(DynamoDbTable.key(pk, sk))
                            .updateExpression("SET #exp = :exp")
                            .conditionExpression("#exp < :exp")
                            .expressionAttributeNames(Map.of("#exp", EXPIRES_AT))
                            .expressionAttributeValues(Map.of(":exp", n(expiresAt.getEpochSecond())))));
        }
    }

    @Override
    public void forget(UserId user, GroupName stream, ConnectionId connection) {
        table.delete(DynamoDbLinkStore.USER_PREFIX + user.value(), sinceKey(stream, connection.value()));
    }

    @Override
    public void forget(UserId user, GroupName stream) {
        String pk = DynamoDbLinkStore.USER_PREFIX + user.value();
        for (Map<String, AttributeValue> item :
                table.items(table.query(pk, BEGINS_WITH, sinceKey(stream, ""), null, SK))) {
            table.delete(pk, item.get(SK).s());
        }
    }

    /** A join record's sort key: group names and connection ids hold no {@code #}, so the prefix is the stream's. */
    private static String sinceKey(GroupName stream, String connection) {
        return SINCE_PREFIX + stream.value() + "#" + connection;
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        return item.containsKey(name) ? Long.parseLong(item.get(name).n()) : 0;
    }

    /** A message's sort key: its sequence number in 20 digits, so that keys sort as numbers do. */
    private static String messageKey(long seq) {
        return MESSAGE_PREFIX + String.format("%020d", seq);
    }
}
