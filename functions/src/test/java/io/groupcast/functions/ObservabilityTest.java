package io.groupcast.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.groupcast.core.ClientActions;
import io.groupcast.core.Connection;
import io.groupcast.core.ConfigurationException;
import io.groupcast.core.ConnectionId;
import io.groupcast.core.Environment;
import io.groupcast.core.Notifier;
import io.groupcast.core.PostOutcome;
import io.groupcast.core.TokenSettings;
import io.groupcast.core.TokenVerifier;
import io.groupcast.core.UserId;
import io.groupcast.core.testing.InMemoryMembershipStore;
import io.groupcast.core.testing.RecordingConnections;
import io.groupcast.core.testing.TestFanouts;
import io.groupcast.core.testing.TestTokens;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The logs and EMF metrics of real handler runs, parsed as CloudWatch would. */
class ObservabilityTest {
    private final InMemoryMembershipStore store = new InMemoryMembershipStore();
    private final RecordingConnections connections = new RecordingConnections();

    @AfterEach
    void reset() {
        Log.configure(Environment.of(Map.of()));
    }

    @Test
    void shouldEmitNotifyMetricsInEmf_withUnits_andTheCountsOfTheAnswer() {
        Log.configure(Environment.of(Map.of("METRICS_NAMESPACE", "Groupcast/test")));
        Instant now = Instant.now();
        store.connect(Connection.opened(ConnectionId.of("a="), UserId.of("kim"), now));
        store.connect(Connection.opened(ConnectionId.of("b="), UserId.of("kim"), now));
        connections.answer(ConnectionId.of("b="), PostOutcome.GONE);
        NotifyHandler notify = new NotifyHandler(new Notifier(store, TestFanouts.bounded(connections, store, 4),
                Clock.systemUTC()));
        CapturingContext captured = new CapturingContext("NotifyFunction");
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setBody("{\"user\":\"kim\",\"message\":\"hi\"}");

        notify.handleRequest(event, captured.context());

        JsonNode emf = captured.metrics().get(0);
        JsonNode directive = emf.path("_aws").path("CloudWatchMetrics").path(0);
        assertThat(directive.path("Namespace").asText()).isEqualTo("Groupcast/test");
        assertThat(emf.path("_aws").path("Timestamp").asLong()).isCloseTo(System.currentTimeMillis(),
                org.assertj.core.data.Offset.offset(60_000L));
        Map<String, String> units = new java.util.HashMap<>();
        directive.path("Metrics").forEach(m -> units.put(m.path("Name").asText(), m.path("Unit").asText()));
        assertThat(units).containsEntry(Metrics.FANOUT_DURATION, "Milliseconds").containsEntry(Metrics.DELIVERED, "Count")
                .containsKeys(Metrics.RECIPIENTS, Metrics.GONE, Metrics.FAILED, Metrics.SKIPPED, Metrics.NOTIFY_REQUESTS);
        units.keySet().forEach(name -> assertThat(emf.path(name).isNumber()).as(name).isTrue());
        assertThat(emf.path(Metrics.RECIPIENTS).asInt()).isEqualTo(2);
        assertThat(emf.path(Metrics.DELIVERED).asInt()).isEqualTo(1);
        assertThat(emf.path(Metrics.GONE).asInt()).isEqualTo(1);
        JsonNode log = captured.logs().get(0);
        assertThat(log.path("requestId").asText()).isEqualTo("req-NotifyFunction");
        assertThat(log.path("function").asText()).isEqualTo("NotifyFunction");
        assertThat(log.path("route").asText()).isEqualTo("POST /notify");
        assertThat(log.path("target").asText()).isEqualTo("user:kim");
        assertThat(log.path("gone").asInt()).isEqualTo(1);
    }

    @Test
    void shouldCountConnectsDisconnectsDenialsAndClientActions() {
        List<String> metrics = new ArrayList<>();
        APIGatewayV2WebSocketEvent connectEvent = Events.load("connect.json", APIGatewayV2WebSocketEvent.class);
        connectEvent.getRequestContext().setConnectedAt(System.currentTimeMillis());
        APIGatewayV2WebSocketEvent frame = Events.load("message.json", APIGatewayV2WebSocketEvent.class);
        frame.getRequestContext().setConnectionId(connectEvent.getRequestContext().getConnectionId());
        frame.getRequestContext().setConnectedAt(System.currentTimeMillis());
        APIGatewayCustomAuthorizerEvent denied = Events.load("authorize.json", APIGatewayCustomAuthorizerEvent.class);
        denied.getQueryStringParameters().put("token", "not-a-token");
        AuthorizeHandler authorize = new AuthorizeHandler(new TokenVerifier(TokenSettings.from(Environment.of(
                Map.of("JWT_SECRET", TestTokens.SECRET)))));

        CapturingContext a = new CapturingContext("AuthorizeFunction");
        authorize.handleRequest(denied, a.context());
        CapturingContext c = new CapturingContext("ConnectFunction");
        new ConnectHandler(store).handleRequest(connectEvent, c.context());
        CapturingContext m = new CapturingContext("MessageFunction");
        MessageHandler message = new MessageHandler(new ClientActions(store, connections));
        message.handleRequest(frame, m.context());
        frame.setBody("{\"action\":\"dance\"}");
        message.handleRequest(frame, m.context());
        CapturingContext d = new CapturingContext("DisconnectFunction");
        new DisconnectHandler(store).handleRequest(connectEvent, d.context());
        store.down(true);
        new ConnectHandler(store).handleRequest(connectEvent, c.context());

        for (CapturingContext captured : List.of(a, c, m, d)) {
            captured.metrics().forEach(emf -> emf.path("_aws").path("CloudWatchMetrics").path(0).path("Metrics")
                    .forEach(metric -> metrics.add(metric.path("Name").asText() + "=" + emf.path(metric.path("Name")
                            .asText()).asInt())));
        }
        assertThat(metrics).containsExactlyInAnyOrder("AuthorizerDenials=1", "ConnectionsOpened=1", "StoreErrors=1",
                "ClientActions=1", "ClientActionErrors=1", "ConnectionsClosed=1");
        assertThat(c.logs()).extracting(l -> l.path("route").asText()).containsOnly("$connect");
        assertThat(m.logs()).extracting(l -> l.path("connectionId").asText())
                .containsOnly(frame.getRequestContext().getConnectionId());
        assertThat(a.logs().get(0).path("outcome").asText()).isEqualTo("deny");
    }

    @Test
    void shouldHonourTheLogLevel_andRefuseAnUnknownOne() {
        Log.configure(Environment.of(Map.of("LOG_LEVEL", "warn")));
        CapturingContext quiet = new CapturingContext("ConnectFunction");
        APIGatewayV2WebSocketEvent event = Events.load("connect.json", APIGatewayV2WebSocketEvent.class);
        event.getRequestContext().setConnectedAt(System.currentTimeMillis());

        new ConnectHandler(store).handleRequest(event, quiet.context());

        assertThat(quiet.logs()).isEmpty();
        assertThat(quiet.metrics()).hasSize(1);
        assertThatThrownBy(() -> Log.configure(Environment.of(Map.of("LOG_LEVEL", "LOUD"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("LOG_LEVEL");
        assertThatThrownBy(() -> Log.configure(Environment.of(Map.of("METRICS_NAMESPACE", "AWS/Lambda"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("METRICS_NAMESPACE");
    }
}
