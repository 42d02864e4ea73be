package io.groupcast.core.store.dynamodb;

import static io.groupcast.core.store.dynamodb.DynamoDbTable.EQUALS;
import static io.groupcast.core.store.dynamodb.DynamoDbTable.EXPIRES_AT;
import static io.groupcast.core.store.dynamodb.DynamoDbTable.PK;
import static io.groupcast.core.store.dynamodb.DynamoDbTable.SK;
import static io.groupcast.core.store.dynamodb.DynamoDbTable.millis;
import static io.groupcast.core.store.dynamodb.DynamoDbTable.n;
import static io.groupcast.core.store.dynamodb.DynamoDbTable.s;

import io.groupcast.core.model.GroupName;
import io.groupcast.core.store.StreamLog;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Streams in the table: {@code pk=stream#{group}, sk=head} holds a stream's last sequence number ({@code seq}) and
 * when it was taken ({@code takenAt}); {@code sk=msg#{seq, 20 digits}} a message the stream keeps for resumes
 * ({@code frame}, and {@code previousTakenAt}), for the resume window.
 */
public record DynamoDbStreamLog(DynamoDbTable table) implements StreamLog {
    /** A stream's partition key. */
    private static final String STREAM_PREFIX = "stream#";

    /** The head: the last number taken ({@code seq}) and when ({@code takenAt}, epoch milliseconds). */
    private static final String HEAD = "head";

    private static final String SEQ = "seq";
    private static final String TAKEN_AT = "takenAt";

    /** A kept message: its frame, and when the number before it was taken. */
    private static final String MESSAGE_PREFIX = "msg#";

    private static final String FRAME = "frame";
    private static final String PREVIOUS_TAKEN_AT = "previousTakenAt";

    @Override
    public Taken nextSeq(GroupName stream, Instant takenAt, Instant headExpiresAt) {
        Map<String, AttributeValue> old = table.call(() -> table.client()
                        .updateItem(b -> b.tableName(table.name())
                                .key(DynamoDbTable.key(STREAM_PREFIX + stream.value(), HEAD))
                                .updateExpression("ADD #seq :one SET #exp = :exp, #at = :at")
                                .expressionAttributeNames(Map.of("#seq", SEQ, "#exp", EXPIRES_AT, "#at", TAKEN_AT))
                                .expressionAttributeValues(Map.of(
                                        ":one", n(1),
                                        ":exp", n(headExpiresAt.getEpochSecond()),
                                        ":at", n(takenAt.toEpochMilli())))
                                .returnValues(ReturnValue.ALL_OLD)))
                .attributes();
        if (old == null || !old.containsKey(SEQ)) {
            return new Taken(1, Instant.EPOCH);
        }
        return new Taken(Long.parseLong(old.get(SEQ).n()) + 1, millis(old.get(TAKEN_AT)));
    }

    @Override
    public Head head(GroupName stream, Instant now) {
        QueryRequest query = table.query(STREAM_PREFIX + stream.value(), EQUALS, HEAD, now, SEQ, TAKEN_AT);
        return table.call(() -> table.client().query(query)).items().stream()
                .map(item -> new Head(Long.parseLong(item.get(SEQ).n()), millis(item.get(TAKEN_AT))))
                .findFirst()
                .orElse(Head.NONE);
    }

    @Override
    public void keep(GroupName stream, long seq, byte[] frame, Instant previousTakenAt, Instant expiresAt) {
        table.put(Map.of(
                PK, s(STREAM_PREFIX + stream.value()),
                SK, s(messageKey(seq)),
                FRAME, AttributeValue.builder().b(SdkBytes.fromByteArray(frame)).build(),
                PREVIOUS_TAKEN_AT, n(previousTakenAt.toEpochMilli()),
                EXPIRES_AT, n(expiresAt.getEpochSecond())));
    }

    @Override
    public List<Kept> kept(GroupName stream, long after, int limit, Instant now) {
        QueryRequest query = QueryRequest.builder()
                .tableName(table.name())
                .consistentRead(true)
                .keyConditionExpression("#pk = :pk AND #sk BETWEEN :after AND :last")
                .filterExpression("#exp > :now")
                .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK, "#exp", EXPIRES_AT))
                .expressionAttributeValues(Map.of(
                        ":pk", s(STREAM_PREFIX + stream.value()),
                        ":after", s(messageKey(after)),
                        ":last", s(messageKey(Long.MAX_VALUE)),
                        ":now", n(now.getEpochSecond())))
                .build();
        return table.call(() -> table.client().queryPaginator(query).items().stream()
                .map(item -> new Kept(
                        Long.parseLong(item.get(SK).s().substring(MESSAGE_PREFIX.length())),
                        item.get(FRAME).b().asByteArray(),
                        millis(item.get(PREVIOUS_TAKEN_AT))))
                .filter(kept -> kept.seq() > after)
                .limit(limit)
                .toList());
    }

    /** A message's sort key: its sequence number in 20 digits, so that keys sort as numbers do. */
    private static String messageKey(long seq) {
        return MESSAGE_PREFIX + String.format("%020d", seq);
    }
}
