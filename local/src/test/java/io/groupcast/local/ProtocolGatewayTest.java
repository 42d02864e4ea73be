package io.groupcast.local;

import static io.groupcast.local.GatewayExtension.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.groupcast.core.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code groupcast.json.v1} subprotocol through the local gateway: chosen at connect as API Gateway lets
 * {@code $connect} choose it, every message to such a connection enveloped whichever way it got into the group, and
 * plain connections unchanged.
 */
class ProtocolGatewayTest {
    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.standard();

    private static TestClient enveloped(String user, String... roles) {
        return TestClient.offering(
                GATEWAY.gateway().webSocketUrl(), TestTokens.hs256(user, roles), "chat.v2", "groupcast.json.v1");
    }

    @Test
    void shouldEnvelopeEveryServerMessage_forAConnectionThatChoseJsonV1_andLeavePlainOnesAsTheyAre() {
        TestClient modern = enveloped("ada", TestTokens.JOIN_ANY);
        TestClient plain = GATEWAY.connect("ada", TestTokens.JOIN_ANY);
        GATEWAY.members("user:ada", 2);

        assertThat(modern.subprotocol()).isEqualTo("groupcast.json.v1");
        assertThat(plain.subprotocol()).isEmpty();
        GATEWAY.call("POST", "/notify", "{\"user\":\"ada\",\"message\":{\"type\":\"ack\"}}");
        assertThat(modern.next(WAIT))
                .isEqualTo("{\"type\":\"message\",\"from\":\"server\",\"data\":{\"type\":\"ack\"}}");
        assertThat(plain.next(WAIT)).isEqualTo("{\"type\":\"ack\"}");

        modern.send("{\"action\":\"join\",\"group\":\"lab\"}");
        assertThat(modern.next(WAIT)).isEqualTo("{\"type\":\"ack\",\"action\":\"join\",\"group\":\"lab\"}");
        GATEWAY.call("PUT", "/groups/lab2/users/ada", null);
        GATEWAY.call("POST", "/notify", "{\"groups\":[\"lab\",\"lab2\"],\"message\":\"x\"}");
        assertThat(modern.next(WAIT)).isEqualTo("{\"type\":\"message\",\"from\":\"server\",\"data\":\"x\"}");
        assertThat(plain.next(WAIT)).isEqualTo("\"x\"");
        for (String id : GATEWAY.members("user:ada", 2)) {
            GATEWAY.call("POST", "/notify", "{\"connectionId\":\"" + id + "\",\"message\":1}");
        }
        assertThat(modern.next(WAIT)).isEqualTo("{\"type\":\"message\",\"from\":\"server\",\"data\":1}");
        assertThat(plain.next(WAIT)).isEqualTo("1");
    }

    @Test
    void shouldDeliverClientPublishesInTheSameShape_toBothKinds() {
        TestClient modern = enveloped("bea", TestTokens.JOIN_ANY, TestTokens.SEND_ANY);
        TestClient plain = GATEWAY.connect("cal", TestTokens.JOIN_ANY);
        for (TestClient client : new TestClient[] {modern, plain}) {
            client.send("{\"action\":\"join\",\"group\":\"hall\"}");
            assertThat(client.next(WAIT)).contains("\"ack\"");
        }

        modern.send("{\"action\":\"send\",\"group\":\"hall\",\"data\":\"hi\",\"noEcho\":true}");

        String published =
                "{\"type\":\"message\",\"from\":\"group\",\"group\":\"hall\",\"fromUserId\":\"bea\",\"data\":\"hi\"}";
        assertThat(plain.next(WAIT)).isEqualTo(published);
        assertThat(modern.next(WAIT)).isEqualTo("{\"type\":\"ack\",\"action\":\"send\",\"group\":\"hall\"}");
    }

    @Test
    void shouldConnectPlain_whenTheClientOffersOnlyProtocolsGroupcastDoesNotSpeak() {
        TestClient other =
                TestClient.offering(GATEWAY.gateway().webSocketUrl(), TestTokens.hs256("eve"), "mqtt", "graphql-ws");
        GATEWAY.members("user:eve", 1);

        assertThat(other.subprotocol()).isEmpty();
        GATEWAY.call("POST", "/notify", "{\"user\":\"eve\",\"message\":[1]}");
        assertThat(other.next(WAIT)).isEqualTo("[1]");
    }

    @Test
    void shouldEchoAckIds_publishARepeatedSendOnce_andSayWhoAConnectionIs() {
        TestClient sender = enveloped("dot", TestTokens.JOIN_ANY, TestTokens.SEND_ANY);
        TestClient listener = GATEWAY.connect("eli", TestTokens.JOIN_ANY);
        sender.send("{\"action\":\"join\",\"group\":\"den\",\"ackId\":1}");
        listener.send("{\"action\":\"join\",\"group\":\"den\"}");
        assertThat(sender.next(WAIT)).isEqualTo("{\"type\":\"ack\",\"action\":\"join\",\"group\":\"den\",\"ackId\":1}");
        assertThat(listener.next(WAIT)).isEqualTo("{\"type\":\"ack\",\"action\":\"join\",\"group\":\"den\"}");

        String send = "{\"action\":\"send\",\"group\":\"den\",\"data\":\"once\",\"noEcho\":true,\"ackId\":2}";
        sender.send(send);
        assertThat(sender.next(WAIT)).isEqualTo("{\"type\":\"ack\",\"action\":\"send\",\"group\":\"den\",\"ackId\":2}");
        sender.send(send);
        assertThat(sender.next(WAIT))
                .isEqualTo("{\"type\":\"ack\",\"action\":\"send\",\"group\":\"den\",\"ackId\":2,\"duplicate\":true}");
        sender.send("{\"action\":\"whoami\",\"ackId\":3}");
        String whoami = sender.next(WAIT);
        GATEWAY.call("POST", "/notify", "{\"user\":\"eli\",\"message\":\"after\"}");

        assertThat(whoami)
                .startsWith("{\"type\":\"whoami\",\"connectionId\":\"")
                .endsWith("\"userId\":\"dot\",\"groups\":[\"den\",\"user:dot\"],\"ackId\":3}");
        assertThat(listener.next(WAIT)).contains("\"data\":\"once\"");
        assertThat(listener.next(WAIT)).as("the repeat published nothing").isEqualTo("\"after\"");
    }
}
