package io.groupcast.core.store.dynamodb;

import static io.groupcast.core.store.dynamodb.DynamoDbTable.n;

import io.groupcast.core.workers.PostBudget;
import java.util.Map;

/**
 * The post budget in the table: one counter item per second, {@code pk=groupcast#rate}, {@code sk=} the epoch
 * second, {@code used} posts, taken with a conditional {@code ADD}; it lives a minute.
 */
public record DynamoDbPostBudget(DynamoDbTable table) implements PostBudget {
    @Override
    public boolean take(long second, int chunk, long allowed) {
        return table.conditionally(() -> table.client()
                .updateItem(b -> b.tableName(table.name())
                        .key(DynamoDbTable.key("groupcast#rate", Long.toString(second)))
                        .updateExpression("ADD #used :chunk SET expiresAt = :exp")
                        .conditionExpression("attribute_not_exists(#used) OR #used <= :max")
                        .expressionAttributeNames(Map.of("#used", "used"))
                        .expressionAttributeValues(
                                Map.of(":chunk", n(chunk), ":max", n(allowed - chunk), ":exp", n(second + 60)))));
    }
}
