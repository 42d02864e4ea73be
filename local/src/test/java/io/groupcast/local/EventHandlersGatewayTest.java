package io.groupcast.local;

import static io.groupcast.local.GatewayExtension.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.groupcast.core.model.Json;
import io.groupcast.core.testing.TestTokens;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Client events through the local gateway with real WebSocket clients, the handler an HTTP endpoint given by
 * {@code --event-handler-url}: its reply in the ack, its refusal with its own code, and each failure rule (a handler
 * that hangs, fails or answers garbage gives a clear error frame; a handler outage does not stop group traffic).
 */
class EventHandlersGatewayTest {
    private static final ScriptedHandler HANDLER = ScriptedHandler.start()
            .on(
                    "refuse",
                    in -> new ScriptedHandler.Answer(
                            200, "{\"error\":{\"code\":\"banned_word\",\"message\":\"not in this room\"}}"))
            .on("hang", in -> new ScriptedHandler.Answer(-200, "{\"data\":\"too late\"}"))
            .on("throw", in -> new ScriptedHandler.Answer(500, "{\"errorMessage\":\"NullPointerException at X.java\"}"))
            .on("garbage", in -> new ScriptedHandler.Answer(200, "<html>oops</html>"));

    @RegisterExtension
    static final GatewayExtension GATEWAY =
            GatewayExtension.with("--event-handler-url", HANDLER.url(), "--parameter", "EventHandlerTimeoutSeconds=2");

    @AfterAll
    static void stopHandler() {
        HANDLER.close();
    }

    private static JsonNode ask(TestClient client, String frame) {
        client.send(frame);
        return Json.parse(client.next(WAIT));
    }

    @Test
    void shouldAnswerTheHandlersReplyInTheAck_withWhoSentIt() {
        TestClient kevin = GATEWAY.connect("kevin", TestTokens.SEND_ANY);

        JsonNode ack = ask(kevin, "{\"action\":\"event\",\"event\":\"hello\",\"data\":{\"n\":1},\"ackId\":5}");

        assertThat(ack.path("type").asText()).isEqualTo("ack");
        assertThat(ack.path("action").asText()).isEqualTo("event");
        assertThat(ack.path("ackId").asLong()).isEqualTo(5);
        JsonNode input = ack.path("data").path("echo");
        assertThat(input.path("type").asText()).isEqualTo("event");
        assertThat(input.path("event").asText()).isEqualTo("hello");
        assertThat(input.path("userId").asText()).isEqualTo("kevin");
        assertThat(input.path("connectionId").asText()).isNotEmpty();
        assertThat(input.path("roles").toString()).isEqualTo("[\"" + TestTokens.SEND_ANY + "\"]");
        assertThat(input.path("data").toString()).isEqualTo("{\"n\":1}");
    }

    @Test
    void shouldAnswerTheHandlersRefusal_withItsOwnCode() {
        TestClient kevin = GATEWAY.connect("kevin");

        JsonNode error = ask(kevin, "{\"action\":\"event\",\"event\":\"refuse\",\"ackId\":6}");

        assertThat(error.toString())
                .isEqualTo(
                        "{\"type\":\"error\",\"error\":\"banned_word\",\"message\":\"not in this room\",\"ackId\":6}");
    }

    @Test
    void shouldAnswerHandlerFailed_withNoInternals_whenTheHandlerFailsOrAnswersGarbage() {
        TestClient kevin = GATEWAY.connect("kevin");

        JsonNode thrown = ask(kevin, "{\"action\":\"event\",\"event\":\"throw\",\"ackId\":7}");
        JsonNode garbage = ask(kevin, "{\"action\":\"event\",\"event\":\"garbage\",\"ackId\":8}");

        assertThat(thrown.path("error").asText()).isEqualTo("handler_failed");
        assertThat(thrown.path("ackId").asLong()).isEqualTo(7);
        assertThat(garbage.path("error").asText()).isEqualTo("handler_failed");
        assertThat(thrown + " " + garbage).doesNotContain("NullPointer").doesNotContain("html");
    }

    @Test
    void shouldAnswerHandlerTimeout_andKeepGroupTrafficFlowing_whileTheHandlerHangs() {
        TestClient kevin = GATEWAY.connect("kevin", TestTokens.JOIN_ANY, TestTokens.SEND_ANY);
        TestClient dee = GATEWAY.connect("dee", TestTokens.JOIN_ANY, TestTokens.SEND_ANY);
        for (TestClient client : new TestClient[] {kevin, dee}) {
            assertThat(ask(client, "{\"action\":\"join\",\"group\":\"room-ev\"}")
                            .path("type")
                            .asText())
                    .isEqualTo("ack");
        }
        long started = System.nanoTime();

        kevin.send("{\"action\":\"event\",\"event\":\"hang\",\"ackId\":9}");
        dee.send("{\"action\":\"send\",\"group\":\"room-ev\",\"data\":\"still here\",\"noEcho\":true}");

        assertThat(dee.next(WAIT)).contains("\"ack\"");
        assertThat(Json.parse(kevin.next(WAIT)).path("data").asText()).isEqualTo("still here");
        JsonNode timeout = Json.parse(kevin.next(WAIT));
        assertThat(timeout.path("error").asText()).isEqualTo("handler_timeout");
        assertThat(timeout.path("ackId").asLong()).isEqualTo(9);
        assertThat(timeout.path("message").asText()).isEqualTo("the event handler did not answer within 2000 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void shouldRefuseMalformedEvents_withoutCallingTheHandler() {
        TestClient kevin = GATEWAY.connect("kevin");
        int before = HANDLER.received().size();

        JsonNode error = ask(kevin, "{\"action\":\"event\",\"event\":\"no spaces please\",\"ackId\":10}");

        assertThat(error.path("error").asText()).isEqualTo("invalid_event");
        assertThat(error.path("ackId").asLong()).isEqualTo(10);
        assertThat(HANDLER.received()).hasSize(before);
    }
}
