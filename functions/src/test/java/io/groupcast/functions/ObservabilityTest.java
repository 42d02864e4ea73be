package io.groupcast.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import io.groupcast.core.config.ConfigurationException;
import io.groupcast.core.config.Environment;
import io.groupcast.core.delivery.Connections;
import io.groupcast.core.delivery.PostOutcome;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.UserId;
import io.groupcast.core.testing.InMemoryMembershipStore;
import io.groupcast.core.testing.InMemoryStores;
import io.groupcast.core.testing.RecordingConnections;
import io.groupcast.core.testing.RecordingSliceQueue;
import io.groupcast.core.testing.TestTokens;
import io.groupcast.core.workers.NotificationStore;
import io.groupcast.core.workers.Slice;
import io.groupcast.core.workers.SliceQueue;
import io.groupcast.functions.edge.Log;
import io.groupcast.functions.edge.Metrics;
import io.groupcast.standins.ProjectRoot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The logs and EMF metrics of real handler runs, parsed as CloudWatch would. */
class ObservabilityTest {
    private final InMemoryStores stores = new InMemoryStores();
    private final InMemoryMembershipStore store = stores.memberships();
    private final RecordingConnections connections = new RecordingConnections();

    private Wiring wiring() {
        return wiring(Map.of());
    }

    private Wiring wiring(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("JWT_SECRET", TestTokens.SECRET);
        return TestWirings.inMemory(all, stores)
                .with(Connections.class, connections)
                .build();
    }

    @AfterEach
    void reset() {
        Log.configure(Environment.of(Map.of()));
    }

    @Test
    void shouldEmitNotifyMetricsInEmf_withUnits_andTheCountsOfTheAnswer() {
        Instant now = Instant.now().minusSeconds(60);
        store.connect(Connection.opened(ConnectionId.of("a="), UserId.of("kim"), now));
        store.connect(Connection.opened(ConnectionId.of("b="), UserId.of("kim"), now));
        connections.answer(ConnectionId.of("b="), PostOutcome.GONE);
        ServerApiHandler notify = new ServerApiHandler(wiring(Map.of("METRICS_NAMESPACE", "Groupcast/test")));
        CapturedLogs captured = new CapturedLogs("NotifyFunction");
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setRouteKey("POST /notify");
        event.setBody("{\"user\":\"kim\",\"message\":\"hi\"}");

        notify.handleRequest(event, captured.context());

        JsonNode emf = captured.metrics().get(0);
        JsonNode directive = emf.path("_aws").path("CloudWatchMetrics").path(0);
        assertThat(directive.path("Namespace").asText()).isEqualTo("Groupcast/test");
        assertThat(emf.path("_aws").path("Timestamp").asLong())
                .isCloseTo(System.currentTimeMillis(), Offset.offset(60_000L));
        Map<String, String> units = new HashMap<>();
        directive
                .path("Metrics")
                .forEach(m -> units.put(m.path("Name").asText(), m.path("Unit").asText()));
        assertThat(units)
                .containsEntry(Metrics.FANOUT_DURATION, "Milliseconds")
                .containsEntry(Metrics.DELIVERED, "Count")
                .containsKeys(
                        Metrics.RECIPIENTS, Metrics.GONE, Metrics.FAILED, Metrics.SKIPPED, Metrics.NOTIFY_REQUESTS);
        units.keySet()
                .forEach(name -> assertThat(emf.path(name).isNumber()).as(name).isTrue());
        assertThat(emf.path(Metrics.RECIPIENTS).asInt()).isEqualTo(2);
        assertThat(emf.path(Metrics.DELIVERED).asInt()).isEqualTo(1);
        assertThat(emf.path(Metrics.GONE).asInt()).isEqualTo(1);
        JsonNode log = captured.logs().get(0);
        assertThat(log.path("requestId").asText()).isEqualTo(captured.context().getAwsRequestId());
        assertThat(log.path("function").asText()).isEqualTo("NotifyFunction");
        assertThat(log.path("route").asText()).isEqualTo("POST /notify");
        assertThat(log.path("target").asText()).isEqualTo("user:kim");
        assertThat(log.path("gone").asInt()).isEqualTo(1);
    }

    @Test
    void shouldEmitTheWorkersDeliveriesAsANotifyDoes_andLogTheirFailuresWithTheirAttempt() {
        Instant now = Instant.now().minusSeconds(60);
        store.connect(Connection.opened(ConnectionId.of("a="), UserId.of("kim"), now));
        store.connect(Connection.opened(ConnectionId.of("b="), UserId.of("kim"), now));
        String id = "0d6a3d3b-5f6c-4a43-9c07-7a3f9f1d2e4b";
        stores.notifications()
                .create(
                        new NotificationStore.Message(
                                id,
                                "1".getBytes(),
                                "m",
                                Set.of(),
                                "user:kim",
                                List.of(new NotificationStore.Target("user:kim", 0, ""))),
                        Instant.now());
        stores.notifications().queued(List.of(Slice.whole(id, 0, "user:kim", 0, "")), Instant.now());
        FanoutWorkerHandler worker = new FanoutWorkerHandler(TestWirings.inMemory(Map.of(), stores)
                .with(Connections.class, connections)
                .with(SliceQueue.class, new RecordingSliceQueue())
                .build());
        CapturedLogs captured = new CapturedLogs("FanoutWorkerFunction");

        SQSBatchResponse answer =
                worker.handleRequest(sqs(Slice.whole(id, 0, "user:kim", 0, "").toJson(), "m1"), captured.context());
        SQSBatchResponse failed = worker.handleRequest(sqs("not a slice", "m2"), captured.context());

        assertThat(answer.getBatchItemFailures()).isEmpty();
        JsonNode emf = captured.metrics().get(0);
        assertThat(emf.path(Metrics.DELIVERED).asInt()).isEqualTo(2);
        assertThat(emf.path(Metrics.RECIPIENTS).asInt()).isEqualTo(2);
        assertThat(captured.logs().get(0).path("route").asText()).isEqualTo("fanout-worker");
        assertThat(captured.logs().get(0).path("outcome").asText()).isEqualTo("delivered");
        assertThat(failed.getBatchItemFailures()).hasSize(1);
        JsonNode error = captured.logs().get(1);
        assertThat(error.path("level").asText()).isEqualTo("ERROR");
        assertThat(error.path("messageId").asText()).isEqualTo("m2");
        assertThat(error.path("lastAttempt").asBoolean()).isFalse();
    }

    private static SQSEvent sqs(String body, String messageId) {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setBody(body);
        message.setMessageId(messageId);
        message.setAttributes(Map.of("ApproximateReceiveCount", "1"));
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(message));
        return event;
    }

    @Test
    void shouldCountConnectsDisconnectsDenialsAndClientActions() {
        List<String> metrics = new ArrayList<>();
        APIGatewayV2WebSocketEvent connectEvent =
                EventLoader.loadEvent(ProjectRoot.event("connect.json"), APIGatewayV2WebSocketEvent.class);
        connectEvent.getRequestContext().setConnectedAt(System.currentTimeMillis());
        APIGatewayV2WebSocketEvent frame =
                EventLoader.loadEvent(ProjectRoot.event("message.json"), APIGatewayV2WebSocketEvent.class);
        frame.getRequestContext()
                .setConnectionId(connectEvent.getRequestContext().getConnectionId());
        frame.getRequestContext().setConnectedAt(System.currentTimeMillis());
        APIGatewayCustomAuthorizerEvent denied =
                EventLoader.loadEvent(ProjectRoot.event("authorize.json"), APIGatewayCustomAuthorizerEvent.class);
        denied.getQueryStringParameters().put("token", "not-a-token");
        AuthorizeHandler authorize = new AuthorizeHandler(wiring());

        CapturedLogs a = new CapturedLogs("AuthorizeFunction");
        authorize.handleRequest(denied, a.context());
        CapturedLogs c = new CapturedLogs("ConnectFunction");
        new WebSocketHandler(wiring()).handleRequest(connectEvent, c.context());
        CapturedLogs m = new CapturedLogs("MessageFunction");
        WebSocketHandler message = new WebSocketHandler(wiring());
        message.handleRequest(frame, m.context());
        frame.setBody("{\"action\":\"dance\"}");
        message.handleRequest(frame, m.context());
        CapturedLogs d = new CapturedLogs("DisconnectFunction");
        APIGatewayV2WebSocketEvent disconnectEvent =
                EventLoader.loadEvent(ProjectRoot.event("disconnect.json"), APIGatewayV2WebSocketEvent.class);
        disconnectEvent
                .getRequestContext()
                .setConnectionId(connectEvent.getRequestContext().getConnectionId());
        new WebSocketHandler(wiring()).handleRequest(disconnectEvent, d.context());
        stores.down(true);
        new WebSocketHandler(wiring()).handleRequest(connectEvent, c.context());

        for (CapturedLogs captured : List.of(a, c, m, d)) {
            captured.metrics()
                    .forEach(emf -> emf.path("_aws")
                            .path("CloudWatchMetrics")
                            .path(0)
                            .path("Metrics")
                            .forEach(metric -> metrics.add(metric.path("Name").asText() + "="
                                    + emf.path(metric.path("Name").asText()).asInt())));
        }
        assertThat(metrics)
                .containsExactlyInAnyOrder(
                        "AuthorizerDenials=1",
                        "ConnectionsOpened=1",
                        "StoreErrors=1",
                        "ClientActions=1",
                        "ClientActionErrors=1",
                        "ConnectionsClosed=1");
        assertThat(c.logs()).extracting(l -> l.path("route").asText()).containsOnly("$connect");
        assertThat(m.logs())
                .extracting(l -> l.path("connectionId").asText())
                .containsOnly(frame.getRequestContext().getConnectionId());
        assertThat(a.logs().get(0).path("outcome").asText()).isEqualTo("deny");
    }

    @Test
    void shouldHonourTheLogLevel_andRefuseAnUnknownOne() {
        CapturedLogs quiet = new CapturedLogs("ConnectFunction");
        APIGatewayV2WebSocketEvent event =
                EventLoader.loadEvent(ProjectRoot.event("connect.json"), APIGatewayV2WebSocketEvent.class);
        event.getRequestContext().setConnectedAt(System.currentTimeMillis());

        new WebSocketHandler(wiring(Map.of("LOG_LEVEL", "warn"))).handleRequest(event, quiet.context());

        assertThat(quiet.logs()).isEmpty();
        assertThat(quiet.metrics()).hasSize(1);
        assertThatThrownBy(() -> Log.configure(Environment.of(Map.of("LOG_LEVEL", "LOUD"))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("LOG_LEVEL");
        assertThatThrownBy(() -> Log.configure(Environment.of(Map.of("METRICS_NAMESPACE", "AWS/Lambda"))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("METRICS_NAMESPACE");
    }
}
