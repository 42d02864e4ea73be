package io.groupcast.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.groupcast.core.delivery.Connections;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.testing.InMemoryStores;
import io.groupcast.core.testing.RecordingConnections;
import io.groupcast.core.testing.RecordingSliceQueue;
import io.groupcast.core.workers.NotificationStore;
import io.groupcast.core.workers.Slice;
import io.groupcast.core.workers.SliceQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The worker handler's answers to the queue: a slice that failed for a transient reason, or that another worker
 * holds, comes back soon (its visibility changed), not after the 30 minute visibility timeout; a forged one is
 * refused, logged and acknowledged.
 */
class FanoutWorkerHandlerTest {
    private static final Duration VISIBILITY = Duration.ofMinutes(30);

    private final InMemoryStores stores = new InMemoryStores();
    private final RecordingConnections connections = new RecordingConnections();
    private final RecordingSliceQueue queue = new RecordingSliceQueue();
    private final FanoutWorkerHandler handler = new FanoutWorkerHandler(TestWirings.inMemory(Map.of(), stores)
            .with(Connections.class, connections)
            .with(SliceQueue.class, queue)
            .build());
    private final CapturedLogs logs = new CapturedLogs("FanoutWorkerFunction");
    private final String id = "5b0f9a52-7d0e-4c55-9d59-2a0f1d3e8c11";
    private final Slice slice = Slice.whole(id, 0, "room", 0, "");

    FanoutWorkerHandlerTest() {
        stores.memberships()
                .join(ConnectionId.of("a="), GroupName.of("room"), Instant.now().plus(Duration.ofHours(1)));
        stores.notifications()
                .create(
                        new NotificationStore.Message(
                                id,
                                "1".getBytes(),
                                "m",
                                Set.of(),
                                "room",
                                List.of(new NotificationStore.Target("room", 0, ""))),
                        Instant.now());
        stores.notifications().queued(List.of(slice), Instant.now());
    }

    @Test
    void shouldRetryASliceWithinSeconds_whenTheStoreIsDown() {
        stores.down(true);

        SQSBatchResponse answer = handler.handleRequest(sqs(slice.toJson(), "m1", 1), logs.context());

        assertThat(answer.getBatchItemFailures()).hasSize(1);
        assertThat(queue.retries()).containsOnlyKeys("receipt-m1");
        assertThat(queue.retries().get("receipt-m1")).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void shouldRetryLaterEachTime_butWithinTheVisibilityTimeout() {
        stores.down(true);

        handler.handleRequest(sqs(slice.toJson(), "m2", 2), logs.context());

        assertThat(queue.retries().get("receipt-m2")).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(6));
    }

    @Test
    void shouldRetryABusySliceWhenItsLeaseEnds_notAfterTheVisibilityTimeout() {
        Instant now = Instant.now();
        // another worker holds it for five more minutes
        stores.notifications().claim(slice, now.plus(Duration.ofMinutes(5)), now);

        SQSBatchResponse answer = handler.handleRequest(sqs(slice.toJson(), "m3", 1), logs.context());

        assertThat(answer.getBatchItemFailures()).hasSize(1);
        assertThat(queue.retries().get("receipt-m3"))
                .isBetween(Duration.ofMinutes(4), Duration.ofMinutes(5).plusSeconds(3))
                .isLessThan(VISIBILITY);
        assertThat(connections.receivers()).isEmpty();
    }

    @Test
    void shouldRefuseLogAndAcknowledgeAForgedSlice_andPostNothing() {
        stores.memberships()
                .join(
                        ConnectionId.of("b="),
                        GroupName.of("user:kim"),
                        Instant.now().plus(Duration.ofHours(1)));

        SQSBatchResponse answer =
                handler.handleRequest(sqs(Slice.whole(id, 0, "user:kim", 0, "").toJson(), "m4", 1), logs.context());

        assertThat(answer.getBatchItemFailures()).isEmpty();
        assertThat(connections.receivers()).isEmpty();
        JsonNode log = logs.logs().get(0);
        assertThat(log.path("level").asText()).isEqualTo("WARN");
        assertThat(log.path("outcome").asText()).isEqualTo("refused");
        assertThat(log.path("reason").asText()).contains("user:kim");
        assertThat(queue.retries()).isEmpty();
    }

    private static SQSEvent sqs(String body, String messageId, int receives) {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setBody(body);
        message.setMessageId(messageId);
        message.setReceiptHandle("receipt-" + messageId);
        message.setAttributes(Map.of("ApproximateReceiveCount", Integer.toString(receives)));
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(message));
        return event;
    }
}
