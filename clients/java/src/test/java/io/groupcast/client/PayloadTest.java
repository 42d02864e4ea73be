package io.groupcast.client;

import static io.groupcast.client.GroupcastClientRetryTest.body;
import static io.groupcast.client.GroupcastClientRetryTest.clientFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a send puts in {@code "message"}: the caller says whether a string is text or JSON. */
class PayloadTest {
    private final ScriptedServer server = ScriptedServer.start();

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void shouldSendAJsonString_whenGivenAPlainString() {
        try (GroupcastClient client = clientFor(server.uri())) {
            client.sendToGroup("room-42", "hi");
        }

        assertThat(body(server.requests().get(0)).get("message")).isEqualTo(new TextNode("hi"));
    }
}
