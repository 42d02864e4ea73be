package io.groupcast.core.store.dynamodb;

import static io.groupcast.core.store.dynamodb.DynamoDbTable.n;

import io.groupcast.core.store.StoreUnavailableException;
import io.groupcast.core.workers.PostBudget;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * The post budget in the table: one item, {@code pk=groupcast#rate}, {@code sk=schedule}, whose {@code bookedUntil}
 * (epoch microseconds) is the time the posts reserved so far run to. A reservation adds its cost with a conditional
 * {@code UpdateItem} while the schedule is busy ({@code bookedUntil >= now}), or sets it to now plus its cost when it
 * has fallen behind (idle); the failed condition answers the item as it is, so the next try picks the right one. One
 * write per reservation, none for waiting.
 */
public record DynamoDbPostBudget(DynamoDbTable table) implements PostBudget {
    private static final Map<String, AttributeValue> KEY = DynamoDbTable.key("groupcast#rate", "schedule");
    private static final String BOOKED = "bookedUntil";

    @Override
    public long reserve(long costMicros, long nowMicros, long latestMicros) {
        // the workers' budget is tried even in the seconds after a timed-out call, when others fail at once
        return table.regardless(() -> reserveNow(costMicros, nowMicros, latestMicros));
    }

    private long reserveNow(long costMicros, long nowMicros, long latestMicros) {
        long expires = nowMicros / 1_000_000 + 86_400;
        boolean busy = true;
        for (int attempt = 0; attempt < 8; attempt++) {
            try {
                if (busy) {
                    Map<String, AttributeValue> after = table.call(() -> table.client()
                                    .updateItem(b -> b.tableName(table.name())
                                            .key(KEY)
                                            .updateExpression("SET #booked = #booked + :cost, expiresAt = :exp")
                                            .conditionExpression("#booked >= :now AND #booked <= :latest")
                                            .expressionAttributeNames(Map.of("#booked", BOOKED))
                                            .expressionAttributeValues(Map.of(
                                                    ":cost", n(costMicros),
                                                    ":now", n(nowMicros),
                                                    ":latest", n(latestMicros),
                                                    ":exp", n(expires)))
                                            .returnValues(ReturnValue.UPDATED_NEW)
                                            .returnValuesOnConditionCheckFailure(
                                                    ReturnValuesOnConditionCheckFailure.ALL_OLD)))
                            .attributes();
                    return Long.parseLong(after.get(BOOKED).n()) - costMicros;
                }
                if (nowMicros > latestMicros) {
                    return -1;
                }
                table.call(() -> table.client()
                        .updateItem(b -> b.tableName(table.name())
                                .key(KEY)
                                .updateExpression("SET #booked = :booked, expiresAt = :exp")
                                .conditionExpression("attribute_not_exists(#booked) OR #booked < :now")
                                .expressionAttributeNames(Map.of("#booked", BOOKED))
                                .expressionAttributeValues(Map.of(
                                        ":booked", n(nowMicros + costMicros),
                                        ":now", n(nowMicros),
                                        ":exp", n(expires)))
                                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
                return nowMicros;
            } catch (StoreUnavailableException e) {
                if (!(e.getCause() instanceof ConditionalCheckFailedException failed)) {
                    throw e;
                }
                // a store that does not answer the item with the failure (dynalite) is asked for it
                Map<String, AttributeValue> item = failed.hasItem()
                        ? failed.item()
                        : table.call(() -> table.client()
                                        .getItem(b -> b.tableName(table.name())
                                                .key(KEY)
                                                .consistentRead(true)))
                                .item();
                AttributeValue booked = item == null ? null : item.get(BOOKED);
                long until = booked == null ? Long.MIN_VALUE : Long.parseLong(booked.n());
                if (until > latestMicros) {
                    return -1;
                }
                busy = until >= nowMicros;
            }
        }
        throw new StoreUnavailableException("the post budget kept changing under 8 reservations in a row", null);
    }
}
