package io.groupcast.core.store.dynamodb;

import static io.groupcast.core.store.dynamodb.DynamoDbMembershipStore.CONNECTION_PREFIX;
import static io.groupcast.core.store.dynamodb.DynamoDbTable.EXPIRES_AT;
import static io.groupcast.core.store.dynamodb.DynamoDbTable.n;

import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.UserId;
import io.groupcast.core.store.Counters;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Rate counters in the table: {@code pk=conn#{id}, sk={kind}} ({@code rate}: publishes, {@code frames}: joins,
 * leaves and resumes) holds a connection's count in the current window ({@code window}, {@code count}), in its
 * partition, so that it expires and is removed with it; {@code pk=user#{u}, sk=rate} a user's publishes. Three
 * conflicting writes in a row (a burst racing the start of a window) answer {@link Counters#UNCOUNTED}: the limit
 * fails closed.
 */
public record DynamoDbCounters(DynamoDbTable table) implements Counters {
    static final String WINDOW = "window";
    static final String COUNT = "count";

    @Override
    public long count(ConnectionId connection, String kind, long window, Instant expiresAt) {
        return count(CONNECTION_PREFIX + connection.value(), kind, window, expiresAt);
    }

    @Override
    public long count(UserId user, String kind, long window, Instant expiresAt) {
        return count(DynamoDbLinkStore.USER_PREFIX + user.value(), kind, window, expiresAt);
    }

    private long count(String partition, String kind, long window, Instant expiresAt) {
        var key = DynamoDbTable.key(partition, kind);
        UpdateItemRequest add = UpdateItemRequest.builder()
                .tableName(table.name())
                .key(key)
                .updateExpression("ADD #c :one")
                .conditionExpression("#w = :w")
                .expressionAttributeNames(Map.of("#w", WINDOW, "#c", COUNT))
                .expressionAttributeValues(Map.of(":one", n(1), ":w", n(window)))
                .returnValues(ReturnValue.UPDATED_NEW)
                .build();
        UpdateItemRequest start = UpdateItemRequest.builder()
                .tableName(table.name())
                .key(key)
                .updateExpression("SET #w = :w, #c = :one, #exp = :exp")
                .conditionExpression("attribute_not_exists(#w) OR #w < :w")
                .expressionAttributeNames(Map.of("#w", WINDOW, "#c", COUNT, "#exp", EXPIRES_AT))
                .expressionAttributeValues(Map.of(":one", n(1), ":w", n(window), ":exp", n(expiresAt.getEpochSecond())))
                .build();
        return table.call(() -> {
            for (int attempt = 0; attempt < 3; attempt++) {
                try {
                    return Long.parseLong(table.client()
                            .updateItem(add)
                            .attributes()
                            .get(COUNT)
                            .n());
                } catch (ConditionalCheckFailedException anotherWindow) {
                    // the counter is for an earlier window (or missing): start this one below
                }
                try {
                    table.client().updateItem(start);
                    return 1L;
                } catch (ConditionalCheckFailedException raced) {
                    // another publish started this window (or a later one) first: count in it
                }
            }
            return UNCOUNTED;
        });
    }
}
