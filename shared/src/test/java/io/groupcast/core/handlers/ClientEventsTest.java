package io.groupcast.core.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.groupcast.core.connections.ClientActions;
import io.groupcast.core.delivery.Budget;
import io.groupcast.core.events.LifecycleEvents;
import io.groupcast.core.groups.Permissions;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.Grants;
import io.groupcast.core.model.Json;
import io.groupcast.core.model.UserId;
import io.groupcast.core.notify.Idempotency;
import io.groupcast.core.notify.Publisher;
import io.groupcast.core.streams.Streams;
import io.groupcast.core.testing.InMemoryStores;
import io.groupcast.core.testing.RecordingConnections;
import io.groupcast.core.testing.RecordingLifecycleEvents;
import io.groupcast.core.testing.TestFanouts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Client events through the client actions, with a handler that answers what each test scripts. */
class ClientEventsTest {
    private final InMemoryStores stores = new InMemoryStores();
    private final RecordingConnections connections = new RecordingConnections();
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-02T18:00:00Z"), ZoneOffset.UTC);
    private final List<JsonNode> inputs = new ArrayList<>();
    private final List<Duration> timeouts = new ArrayList<>();
    private EventHandler answer = (input, timeout) -> "{\"data\":{\"echo\":true}}";
    private final Connection kevin = Connection.opened(
            ConnectionId.of("k1"), UserId.of("kevin"), clock.instant(), Grants.ofRoles("groupcast.sendToGroup.room-*"));

    private final RecordingLifecycleEvents bus = new RecordingLifecycleEvents();

    private ClientActions actions(Optional<EventHandler> handler, HandlerSettings settings) {
        return actions(handler, settings, LifecycleEvents.NONE);
    }

    private ClientActions actions(Optional<EventHandler> handler, HandlerSettings settings, LifecycleEvents events) {
        Streams streams = TestFanouts.noStreams(stores.streams(), stores.memberships(), connections);
        Publisher publisher = new Publisher(
                stores.memberships(),
                stores.counters(),
                TestFanouts.bounded(connections, stores.memberships(), 4),
                streams,
                new Idempotency(stores.idempotency(), clock),
                new Publisher.Limits(3, 5),
                clock);
        Optional<EventHandler> recording = handler.map(h -> (input, timeout) -> {
            inputs.add(Json.parse(new String(input, java.nio.charset.StandardCharsets.UTF_8)));
            timeouts.add(timeout);
            return h.call(input, timeout);
        });
        return new ClientActions(
                stores.memberships(),
                stores.counters(),
                connections,
                new Permissions(stores.memberships(), stores.grants(), Grants.NONE, clock),
                publisher,
                streams,
                10,
                clock,
                new ClientEvents(recording, stores.counters(), settings, clock, events));
    }

    private ClientActions actions() {
        return actions(Optional.of((input, timeout) -> answer.call(input, timeout)), HandlerSettings.DEFAULTS);
    }

    private JsonNode send(ClientActions actions, String frame) {
        actions.handle(kevin, frame, Budget.unlimited());
        List<String> frames = connections.frames(kevin.id());
        return Json.parse(frames.get(frames.size() - 1));
    }

    @Test
    void shouldGiveTheHandlerWhoSentWhat_andTheClientItsReplyInTheAck() {
        JsonNode ack = send(
                actions(), "{\"action\":\"event\",\"event\":\"chat.send\",\"data\":{\"text\":\"hi\"},\"ackId\":7}");

        assertThat(ack.toString())
                .isEqualTo("{\"type\":\"ack\",\"action\":\"event\",\"ackId\":7,\"data\":{\"echo\":true}}");
        assertThat(inputs).hasSize(1);
        assertThat(inputs.get(0).toString())
                .isEqualTo("{\"type\":\"event\",\"event\":\"chat.send\",\"connectionId\":\"k1\",\"userId\":\"kevin\","
                        + "\"roles\":[\"groupcast.sendToGroup.room-*\"],\"data\":{\"text\":\"hi\"}}");
        assertThat(timeouts).containsExactly(HandlerSettings.DEFAULT_TIMEOUT);
    }

    @Test
    void shouldPassNullData_whenTheFrameHasNone() {
        answer = (input, timeout) -> "{\"data\":null}";

        JsonNode ack = send(actions(), "{\"action\":\"event\",\"event\":\"history\"}");

        assertThat(ack.toString()).isEqualTo("{\"type\":\"ack\",\"action\":\"event\",\"data\":null}");
        assertThat(inputs.get(0).get("data").isNull()).isTrue();
        assertThat(inputs.get(0).get("roles").toString()).isEqualTo("[\"groupcast.sendToGroup.room-*\"]");
    }

    @Test
    void shouldAnswerTheHandlersOwnCodeAndMessage_whenItRefuses() {
        answer = (input, timeout) -> "{\"error\":{\"code\":\"banned_word\",\"message\":\"mind your language\"}}";

        JsonNode error =
                send(actions(), "{\"action\":\"event\",\"event\":\"chat.send\",\"data\":\"darn\",\"ackId\":3}");

        assertThat(error.toString())
                .isEqualTo(
                        "{\"type\":\"error\",\"error\":\"banned_word\",\"message\":\"mind your language\",\"ackId\":3}");
    }

    @Test
    void shouldAnswerHandlerTimeout_whenTheHandlerDoesNotAnswerInTime() {
        answer = (input, timeout) -> {
            throw new HandlerTimeoutException("secret internals", null);
        };

        ClientActions.Answer handled =
                actions().handle(kevin, "{\"action\":\"event\",\"event\":\"slow\",\"ackId\":1}", Budget.unlimited());

        JsonNode error = Json.parse(connections.frames(kevin.id()).get(0));
        assertThat(error.path("error").asText()).isEqualTo("handler_timeout");
        assertThat(error.path("ackId").asLong()).isEqualTo(1);
        assertThat(error.toString()).doesNotContain("secret internals");
        assertThat(handled.failure()).contains("secret internals");
    }

    @Test
    void shouldAnswerHandlerFailed_withNoInternals_whenTheHandlerThrowsOrAnswersGarbage() {
        List<EventHandler> failures = List.of(
                (input, timeout) -> {
                    throw new HandlerFailedException("java.lang.NullPointerException at Handler.java:42");
                },
                (input, timeout) -> {
                    throw new IllegalStateException("an adapter's bug");
                },
                (input, timeout) -> "not json",
                (input, timeout) -> "[1,2]",
                (input, timeout) -> "{\"reply\":1}",
                (input, timeout) -> "{\"error\":{\"code\":\"has spaces\",\"message\":\"m\"}}",
                (input, timeout) -> "{\"error\":{\"code\":\"ok\",\"message\":42}}",
                (input, timeout) -> "{\"data\":\"" + "x".repeat(HandlerProtocol.MAX_REPLY_BYTES) + "\"}");
        for (EventHandler failure : failures) {
            answer = failure;
            JsonNode error = send(actions(), "{\"action\":\"event\",\"event\":\"e\",\"ackId\":2}");

            assertThat(error.path("error").asText()).isEqualTo("handler_failed");
            assertThat(error.path("message").asText())
                    .isEqualTo("the event handler failed; the stack's logs say why")
                    .doesNotContain("Handler.java");
        }
    }

    @Test
    void shouldRefuseOverTheRate_withoutCallingTheHandler() {
        ClientActions actions = actions(
                Optional.of((input, timeout) -> answer.call(input, timeout)),
                new HandlerSettings(Duration.ofSeconds(5), 2, false, false));

        List<String> answers = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            answers.add(send(actions, "{\"action\":\"event\",\"event\":\"e\",\"ackId\":" + i + "}")
                    .path("type")
                    .asText());
        }

        assertThat(answers).containsExactly("ack", "ack", "error");
        assertThat(send(actions, "{\"action\":\"event\",\"event\":\"e\"}")
                        .path("error")
                        .asText())
                .isEqualTo("rate_limited");
        assertThat(inputs).hasSize(2);
    }

    @Test
    void shouldRefuseEvents_whenTheStackHasNoHandler() {
        JsonNode error =
                send(actions(Optional.empty(), HandlerSettings.DEFAULTS), "{\"action\":\"event\",\"event\":\"e\"}");

        assertThat(error.path("error").asText()).isEqualTo("no_event_handler");
    }

    @Test
    void shouldPutEventsToTheBus_andAckThem_whenTheStackHasABusAndNoHandler() {
        ClientActions actions = actions(Optional.empty(), HandlerSettings.DEFAULTS, bus);

        JsonNode ack = send(actions, "{\"action\":\"event\",\"event\":\"seen\",\"data\":{\"page\":2},\"ackId\":4}");

        assertThat(ack.toString()).isEqualTo("{\"type\":\"ack\",\"action\":\"event\",\"ackId\":4,\"data\":null}");
        assertThat(bus.put())
                .containsExactly("ClientEvent {\"connectionId\":\"k1\",\"userId\":\"kevin\",\"at\":" + clock.millis()
                        + ",\"event\":\"seen\",\"data\":{\"page\":2}}");
    }

    @Test
    void shouldPutGroupJoinedAndGroupLeft_forTheClientsOwnJoinsAndLeaves() {
        Connection dee = Connection.opened(
                ConnectionId.of("d1"), UserId.of("dee"), clock.instant(), Grants.ofRoles("groupcast.joinLeaveGroup"));
        ClientActions actions = actions(Optional.empty(), HandlerSettings.DEFAULTS, bus);

        actions.handle(dee, "{\"action\":\"join\",\"group\":\"room-1\"}", Budget.unlimited());
        actions.handle(dee, "{\"action\":\"leave\",\"group\":\"room-1\"}", Budget.unlimited());
        actions.handle(dee, "{\"action\":\"join\",\"group\":\"user:kevin\"}", Budget.unlimited());

        String at = ",\"at\":" + clock.millis();
        assertThat(bus.put())
                .containsExactly(
                        "GroupJoined {\"connectionId\":\"d1\",\"userId\":\"dee\"" + at + ",\"group\":\"room-1\"}",
                        "GroupLeft {\"connectionId\":\"d1\",\"userId\":\"dee\"" + at + ",\"group\":\"room-1\"}");
    }

    @Test
    void shouldRefuseBadEventNames_withoutCallingTheHandler() {
        for (String frame : List.of(
                "{\"action\":\"event\"}",
                "{\"action\":\"event\",\"event\":42}",
                "{\"action\":\"event\",\"event\":\"\"}",
                "{\"action\":\"event\",\"event\":\"has space\"}",
                "{\"action\":\"event\",\"event\":\"" + "e".repeat(65) + "\"}")) {
            assertThat(send(actions(), frame).path("error").asText()).as(frame).isEqualTo("invalid_event");
        }
        assertThat(inputs).isEmpty();
    }

    @Test
    void shouldGiveTheHandlerOnlyTheTimeTheFunctionHasLeft() {
        actions().handle(kevin, "{\"action\":\"event\",\"event\":\"e\"}", () -> 2_500);
        JsonNode late = Json.parse(connections.frames(kevin.id()).get(0));
        actions().handle(kevin, "{\"action\":\"event\",\"event\":\"e\"}", () -> 500);

        assertThat(late.path("type").asText()).isEqualTo("ack");
        assertThat(timeouts).containsExactly(Duration.ofMillis(1_500));
        assertThat(Json.parse(connections.frames(kevin.id()).get(1))
                        .path("error")
                        .asText())
                .isEqualTo("handler_timeout");
    }
}
