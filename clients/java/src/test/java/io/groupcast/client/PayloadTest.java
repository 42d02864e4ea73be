package io.groupcast.client;

import static io.groupcast.client.GroupcastClientRetryTest.body;
import static io.groupcast.client.GroupcastClientRetryTest.clientFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import io.groupcast.client.ScriptedServer.Answer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a send puts in {@code "message"}: the caller says whether a string is text or JSON. */
class PayloadTest {
    private final ScriptedServer server = ScriptedServer.start();

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private String sentMessage(int request) {
        return body(server.requests().get(request)).get("message").toString();
    }

    @Test
    void shouldSendAJsonString_whenGivenAPlainString() {
        try (GroupcastClient client = clientFor(server.uri())) {
            client.sendToGroup("room-42", "hi");
        }

        assertThat(body(server.requests().get(0)).get("message")).isEqualTo(new TextNode("hi"));
    }

    @Test
    void shouldSendJsonTextAsItsValue_orAsAString_asTheContentTypeSays() {
        try (GroupcastClient client = clientFor(server.uri())) {
            client.sendToGroup("room-42", "{\"n\":1}", ContentType.APPLICATION_JSON);
            client.sendToUser("kim", "{\"n\":1}", ContentType.TEXT_PLAIN);
            client.sendToAll("[1,2]", ContentType.APPLICATION_JSON);
        }

        assertThat(List.of(sentMessage(0), sentMessage(1), sentMessage(2)))
                .containsExactly("{\"n\":1}", "\"{\\\"n\\\":1}\"", "[1,2]");
    }

    @Test
    void shouldRefuseJsonTextThatIsNotJson_beforeSendingIt() {
        try (GroupcastClient client = clientFor(server.uri())) {
            assertThatThrownBy(() -> client.sendToUser("kim", "{not json", ContentType.APPLICATION_JSON))
                    .isInstanceOfSatisfying(GroupcastException.class, e -> {
                        assertThat(e.code()).isEqualTo("malformed_json");
                        assertThat(e.category()).isEqualTo(GroupcastException.Category.INVALID_REQUEST);
                    });
        }
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void shouldSendEveryPartOfARequest_withTheCallersKeyOnEveryAttempt() {
        server.then(Answer.of(502, "{\"message\":\"Bad Gateway\"}"));
        try (GroupcastClient client = clientFor(server.uri())) {
            client.send(SendRequest.toGroups(List.of("a", "b"))
                    .message(List.of(1, 2))
                    .except(List.of("abc="))
                    .idempotencyKey("order-17-shipped"));
        }

        assertThat(server.requests())
                .hasSize(2)
                .allSatisfy(request -> assertThat(body(request))
                        .hasToString("{\"groups\":[\"a\",\"b\"],\"message\":[1,2],\"exceptConnectionIds\":[\"abc=\"],"
                                + "\"idempotencyKey\":\"order-17-shipped\"}"));
    }

    @Test
    void shouldAskForTheStartedSend_andTellADuplicate() {
        server.then(
                Answer.of(202, "{\"notificationId\":\"n-1\",\"status\":\"accepted\"}"),
                Answer.of(200, ScriptedServer.SENT.replace("}", ",\"duplicate\":true}")));
        try (GroupcastClient client = clientFor(server.uri())) {
            assertThat(client.startSendToGroup("room-42", 1)).isEqualTo("n-1");
            assertThat(client.sendToUser("kim", 1).duplicate()).isTrue();
        }

        assertThat(body(server.requests().get(0)).get("async").asBoolean()).isTrue();
    }

    @Test
    void shouldRefuseARequestWithoutAMessage_orWithABadKey() {
        try (GroupcastClient client = clientFor(server.uri())) {
            assertThatThrownBy(() -> client.send(SendRequest.toGroup("room-42")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("this send to group \"room-42\" has no message: give one with message(...)");
        }
        assertThatThrownBy(() -> SendRequest.toAll().idempotencyKey("a b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an idempotencyKey must be 1 to 128 letters, digits or _ - . @ + = | :, not a b");
    }
}
