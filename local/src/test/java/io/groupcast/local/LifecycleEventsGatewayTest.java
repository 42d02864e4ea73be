package io.groupcast.local;

import static io.groupcast.local.GatewayExtension.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.groupcast.core.model.Json;
import io.groupcast.core.testing.TestTokens;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Lifecycle events through the local gateway with real WebSocket clients: the functions put them with the SDK's
 * EventBridge client to the gateway's local EventBridge, which POSTs each entry to {@code --events-url}.
 */
class LifecycleEventsGatewayTest {
    private static final ScriptedHandler SINK = ScriptedHandler.start();

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.with("--events-url", SINK.url());

    @AfterAll
    static void stopSink() {
        SINK.close();
    }

    /** The details of the entries of {@code user} posted so far, as {@code DetailType detail-without-at}. */
    private static List<String> of(String user) {
        return SINK.received().stream()
                .filter(entry -> Json.parse(entry.path("Detail").asText())
                        .path("userId")
                        .asText()
                        .equals(user))
                .map(entry -> {
                    JsonNode detail = Json.parse(entry.path("Detail").asText());
                    assertThat(entry.path("Source").asText()).isEqualTo("groupcast");
                    assertThat(detail.path("at").asLong()).isPositive();
                    ((com.fasterxml.jackson.databind.node.ObjectNode) detail).remove(List.of("at", "connectionId"));
                    return entry.path("DetailType").asText() + " " + detail;
                })
                .toList();
    }

    @Test
    void shouldPostConnectedJoinedLeftClientEventAndDisconnected_inOrder() {
        TestClient lee = GATEWAY.connect("lee", TestTokens.JOIN_ANY);
        lee.send("{\"action\":\"join\",\"group\":\"room-7\",\"ackId\":1}");
        assertThat(lee.next(WAIT)).contains("\"ack\"");
        lee.send("{\"action\":\"leave\",\"group\":\"room-7\",\"ackId\":2}");
        assertThat(lee.next(WAIT)).contains("\"ack\"");
        lee.send("{\"action\":\"event\",\"event\":\"seen\",\"data\":{\"page\":3},\"ackId\":3}");

        assertThat(Json.parse(lee.next(WAIT)).toString())
                .isEqualTo("{\"type\":\"ack\",\"action\":\"event\",\"ackId\":3,\"data\":null}");
        lee.close();

        Eventually.await("the disconnect is posted", WAIT, () -> of("lee").size() == 5);
        assertThat(of("lee"))
                .containsExactly(
                        "Connected {\"userId\":\"lee\",\"groups\":[]}",
                        "GroupJoined {\"userId\":\"lee\",\"group\":\"room-7\"}",
                        "GroupLeft {\"userId\":\"lee\",\"group\":\"room-7\"}",
                        "ClientEvent {\"userId\":\"lee\",\"event\":\"seen\",\"data\":{\"page\":3}}",
                        "Disconnected {\"userId\":\"lee\",\"reason\":\"disconnect\"}");
    }

    @Test
    void shouldKeepTheTemplatesGrants_forEveryEventPut() {
        TestClient ana = GATEWAY.connect("ana");
        ana.close();
        Eventually.await("ana's disconnect is posted", WAIT, () -> of("ana").size() == 2);

        assertThat(GATEWAY.gateway().calledActions().get("ConnectFunction")).contains("events:PutEvents");
        assertThat(GATEWAY.gateway().calledActions().get("DisconnectFunction")).contains("events:PutEvents");
    }
}
