package io.groupcast.core.scale;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.core.delivery.FanoutResult;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.Json;
import io.groupcast.core.store.StoreUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * What the workers share about a notification, in the membership table's partition {@code notif#{id}}: its message
 * ({@code sk=meta}, written once) and one item per slice ({@code slice#{sliceId}}: queued, running with a lease,
 * done with its counts, or dead after its last delivery failed). {@code GET /notifications/{id}} adds them up.
 * Every item lives {@link #LIFETIME}.
 */
public final class Notifications {
    /** How long a notification's status can be read. */
    public static final Duration LIFETIME = Duration.ofDays(1);

    private static final String PREFIX = "notif#";
    private static final String META = "meta";
    private static final String SLICE = "slice#";
    private static final String STATE = "state";
    private static final String LEASE = "leaseUntil";
    private static final List<String> COUNTS = List.of("recipients", "delivered", "gone", "failed", "skipped");

    private final DynamoDbClient dynamo;
    private final String table;

    public Notifications(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** A notification's message, as the workers render it. */
    public record Message(String id, byte[] payload, String messageId, Set<ConnectionId> except, String target) {}

    /** What a worker may do with a slice it received. */
    public enum Claim {
        /** Deliver it: the lease is this worker's. */
        CLAIMED,
        /** Done (or dead) already: a redelivery; acknowledge it. */
        FINISHED,
        /** Another worker holds its lease: let the queue deliver it again later. */
        BUSY
    }

    /** Writes a notification's message, before any of its slices is queued. */
    public void create(Message message, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(key(message.id(), META));
        item.put("payload", AttributeValue.fromB(SdkBytes.fromByteArray(message.payload())));
        item.put("messageId", AttributeValue.fromS(message.messageId()));
        item.put("target", AttributeValue.fromS(message.target()));
        item.put("createdAt", n(now.toEpochMilli()));
        item.put("expiresAt", n(now.plus(LIFETIME).getEpochSecond()));
        if (!message.except().isEmpty()) {
            item.put(
                    "except",
                    AttributeValue.fromSs(
                            message.except().stream().map(ConnectionId::value).toList()));
        }
        call(() -> dynamo.putItem(b -> b.tableName(table).item(item)));
    }

    /** A notification's message; empty once expired or never written. */
    public Optional<Message> message(String id) {
        Map<String, AttributeValue> item = call(() -> dynamo.getItem(
                        b -> b.tableName(table).key(key(id, META)).consistentRead(true)))
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
                item.get("target").s()));
    }

    /** Records slices as queued, before they are sent; a slice already recorded is left as it is. */
    public void queued(List<Slice> slices, Instant now) {
        for (Slice slice : slices) {
            Map<String, AttributeValue> item = new HashMap<>(key(slice.notificationId(), SLICE + slice.id()));
            item.put(STATE, AttributeValue.fromS("queued"));
            item.put("expiresAt", n(now.plus(LIFETIME).getEpochSecond()));
            try {
                call(() -> dynamo.putItem(
                        b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)")));
            } catch (StoreUnavailableException e) {
                if (!(e.getCause() instanceof ConditionalCheckFailedException)) {
                    throw e;
                }
            }
        }
    }

    /** Takes a slice's lease until {@code until}, unless it is finished or another worker's lease still runs. */
    public Claim claim(Slice slice, Instant until, Instant now) {
        try {
            call(() -> dynamo.updateItem(b -> b.tableName(table)
                    .key(key(slice.notificationId(), SLICE + slice.id()))
                    .updateExpression("SET #state = :running, #lease = :until, expiresAt = :exp")
                    .conditionExpression("attribute_not_exists(#state) OR #state = :queued"
                            + " OR (#state = :running AND #lease < :now)")
                    .expressionAttributeNames(Map.of("#state", STATE, "#lease", LEASE))
                    .expressionAttributeValues(Map.of(
                            ":running", AttributeValue.fromS("running"),
                            ":queued", AttributeValue.fromS("queued"),
                            ":until", n(until.toEpochMilli()),
                            ":now", n(now.toEpochMilli()),
                            ":exp", n(now.plus(LIFETIME).getEpochSecond())))));
            return Claim.CLAIMED;
        } catch (StoreUnavailableException e) {
            if (!(e.getCause() instanceof ConditionalCheckFailedException)) {
                throw e;
            }
        }
        Map<String, AttributeValue> item = call(() -> dynamo.getItem(b -> b.tableName(table)
                        .key(key(slice.notificationId(), SLICE + slice.id()))
                        .consistentRead(true)))
                .item();
        String state =
                item == null || !item.containsKey(STATE) ? "" : item.get(STATE).s();
        return state.equals("done") || state.equals("dead") ? Claim.FINISHED : Claim.BUSY;
    }

    /** Records a slice as done, with its counts (a slice's id names what it covered: done twice counts once). */
    public void done(String notificationId, String sliceId, FanoutResult result, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(key(notificationId, SLICE + sliceId));
        item.put(STATE, AttributeValue.fromS("done"));
        item.put("recipients", n(result.recipients()));
        item.put("delivered", n(result.delivered()));
        item.put("gone", n(result.gone()));
        item.put("failed", n(result.failed()));
        item.put("skipped", n(result.skipped()));
        item.put("expiresAt", n(now.plus(LIFETIME).getEpochSecond()));
        call(() -> dynamo.putItem(b -> b.tableName(table).item(item)));
    }

    /** Records a slice as dead: its last delivery failed, and the queue moves it to the dead-letter queue. */
    public void dead(Slice slice, String error, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(key(slice.notificationId(), SLICE + slice.id()));
        item.put(STATE, AttributeValue.fromS("dead"));
        item.put("error", AttributeValue.fromS(error.length() > 500 ? error.substring(0, 500) : error));
        item.put("expiresAt", n(now.plus(LIFETIME).getEpochSecond()));
        call(() -> dynamo.putItem(b -> b.tableName(table).item(item)));
    }

    /**
     * A notification's progress: {@code accepted} (no slice started), {@code running}, or {@code completed} (every
     * slice done or dead), with the counts of the done slices and how many slices died; empty for an unknown id.
     */
    public Optional<ObjectNode> status(String id, Instant now) {
        QueryRequest query = QueryRequest.builder()
                .tableName(table)
                .consistentRead(true)
                .keyConditionExpression("pk = :pk")
                .filterExpression("expiresAt > :now")
                .expressionAttributeValues(
                        Map.of(":pk", AttributeValue.fromS(PREFIX + id), ":now", n(now.getEpochSecond())))
                .projectionExpression("sk, #state, recipients, delivered, gone, failed, skipped, #target")
                .expressionAttributeNames(Map.of("#state", STATE, "#target", "target"))
                .build();
        List<Map<String, AttributeValue>> items =
                call(() -> dynamo.queryPaginator(query).items().stream().toList());
        Optional<Map<String, AttributeValue>> meta =
                items.stream().filter(i -> i.get("sk").s().equals(META)).findFirst();
        if (meta.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Long> sums = new HashMap<>();
        int slices = 0;
        int started = 0;
        int finished = 0;
        int dead = 0;
        for (Map<String, AttributeValue> item : items) {
            if (!item.get("sk").s().startsWith(SLICE)) {
                continue;
            }
            slices++;
            String state = item.containsKey(STATE) ? item.get(STATE).s() : "queued";
            if (!state.equals("queued")) {
                started++;
            }
            if (state.equals("done")) {
                finished++;
                for (String count : COUNTS) {
                    sums.merge(
                            count,
                            item.containsKey(count)
                                    ? Long.parseLong(item.get(count).n())
                                    : 0,
                            Long::sum);
                }
            } else if (state.equals("dead")) {
                finished++;
                dead++;
            }
        }
        String status = slices > 0 && finished == slices ? "completed" : started == 0 ? "accepted" : "running";
        ObjectNode answer = Json.object()
                .put("notificationId", id)
                .put("status", status)
                .put("target", meta.get().get("target").s());
        for (String count : COUNTS) {
            answer.put(count, sums.getOrDefault(count, 0L));
        }
        answer.putObject("slices")
                .put("total", slices)
                .put("finished", finished)
                .put("deadLettered", dead);
        return Optional.of(answer);
    }

    private static Map<String, AttributeValue> key(String id, String sk) {
        return Map.of("pk", AttributeValue.fromS(PREFIX + id), "sk", AttributeValue.fromS(sk));
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static <T> T call(Supplier<T> operation) {
        try {
            return operation.get();
        } catch (SdkException e) {
            throw new StoreUnavailableException("notification store call failed: " + e.getMessage(), e);
        }
    }
}
