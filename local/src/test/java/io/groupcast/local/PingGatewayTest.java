package io.groupcast.local;

import static io.groupcast.local.GatewayExtension.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.groupcast.core.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The keep-alive {@code {"action":"ping"}} answered {@code {"type":"pong"}} by the template's MOCK route, as API
 * Gateway answers it, without invoking a function (a gateway of its own, so no other test's metrics arrive late).
 */
class PingGatewayTest {
    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.standard();

    @Test
    void shouldAnswerPingWithPong_fromTheMockRoute_onEitherKind() {
        TestClient modern = TestClient.offering(
                GATEWAY.gateway().webSocketUrl(), TestTokens.hs256("dee", TestTokens.JOIN_ANY), "groupcast.json.v1");
        TestClient plain = GATEWAY.connect("dee");
        modern.send("{\"action\":\"join\",\"group\":\"dee-room\"}");
        assertThat(modern.next(WAIT)).contains("\"ack\"");
        Eventually.await("the join is counted", WAIT, () -> clientActions() == 1);

        modern.send("{\"action\":\"ping\"}");
        plain.send("{\"action\":\"ping\"}");

        assertThat(modern.next(WAIT)).isEqualTo("{\"type\":\"pong\"}");
        assertThat(plain.next(WAIT)).isEqualTo("{\"type\":\"pong\"}");
        modern.send("{\"action\":\"leave\",\"group\":\"dee-room\"}");
        assertThat(modern.next(WAIT)).contains("\"ack\"");
        Eventually.await("the leave is counted", WAIT, () -> clientActions() >= 2);
        assertThat(clientActions())
                .as("the join and the leave ran the message function; the pings did not")
                .isEqualTo(2);
    }

    private static long clientActions() {
        return GATEWAY.call("GET", "/metrics", null)
                .path("metrics")
                .path("ClientActions")
                .path("sum")
                .asLong();
    }
}
