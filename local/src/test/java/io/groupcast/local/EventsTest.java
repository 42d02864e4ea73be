package io.groupcast.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.groupcast.core.testing.Dynalite;
import io.groupcast.core.testing.NotifyAnswers;
import io.groupcast.standins.ProjectRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every sample in events/ runs through its function's handler, as `sam local invoke -e` would run it. */
class EventsTest {
    @RegisterExtension
    static final Dynalite DYNALITE = new Dynalite();

    /** Which function each sample is for, in the order a connection lives through them. */
    private static final Map<String, String> FUNCTION_OF = Map.of(
            "authorize.json", "AuthorizeFunction",
            "connect.json", "ConnectFunction",
            "message.json", "MessageFunction",
            "notify.json", "NotifyFunction",
            "fanout-worker.json", "FanoutWorkerFunction",
            "disconnect.json", "DisconnectFunction");
    /** The event type each sample is read into, as the function's handler declares it. */
    private static final Map<String, Class<?>> TYPE_OF = Map.of(
            "authorize.json", APIGatewayCustomAuthorizerEvent.class,
            "connect.json", APIGatewayV2WebSocketEvent.class,
            "message.json", APIGatewayV2WebSocketEvent.class,
            "notify.json", APIGatewayV2HTTPEvent.class,
            "fanout-worker.json", SQSEvent.class,
            "disconnect.json", APIGatewayV2WebSocketEvent.class);

    private static final List<String> ORDER = List.of(
            "authorize.json", "connect.json", "message.json", "notify.json", "fanout-worker.json", "disconnect.json");

    private final HandlerHarness system = new HandlerHarness(DYNALITE, DevDefaults.JWT_SECRET);

    @AfterEach
    void close() {
        system.close();
    }

    @Test
    void shouldHaveAFunctionForEverySampleEvent() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(ProjectRoot.event("")))) {
            List<String> samples = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json") && !n.equals("env.json"))
                    .sorted()
                    .toList();
            assertThat(samples).containsExactlyInAnyOrderElementsOf(FUNCTION_OF.keySet());
        }
        assertThat(system.template.functions().keySet()).containsExactlyInAnyOrderElementsOf(FUNCTION_OF.values());
    }

    @Test
    void shouldRunEverySampleThroughItsHandler_successfully() {
        String connection = HandlerHarness.sample("connect.json", APIGatewayV2WebSocketEvent.class)
                .getRequestContext()
                .getConnectionId();
        system.api.open(connection);
        long now = System.currentTimeMillis();
        for (String sample : ORDER) {
            Object event = HandlerHarness.sample(sample, TYPE_OF.get(sample));
            if (event instanceof APIGatewayV2WebSocketEvent webSocket) {
                // The samples carry a fixed connect time; memberships expire 2 h 5 min after it, so stamp it now.
                webSocket.getRequestContext().setConnectedAt(now);
                webSocket.getRequestContext().setRequestTimeEpoch(now);
            }
            JsonNode answer = system.invoke(FUNCTION_OF.get(sample), event);
            if (sample.equals("authorize.json")) {
                assertThat(answer.path("policyDocument")
                                .path("Statement")
                                .path(0)
                                .path("Effect")
                                .asText())
                        .isEqualTo("Allow");
                assertThat(answer.path("context").path("userId").asText()).isEqualTo("kevin");
            } else if (sample.equals("fanout-worker.json")) {
                // a slice of a notification that is no more: acknowledged, nothing sent
                assertThat(answer.path("batchItemFailures"))
                        .as(sample + ": " + answer)
                        .isEmpty();
            } else {
                assertThat(answer.path("statusCode").asInt())
                        .as(sample + ": " + answer)
                        .isEqualTo(200);
            }
            if (sample.equals("notify.json")) {
                assertThat(NotifyAnswers.counts(answer.path("body").asText()))
                        .isEqualTo(NotifyAnswers.expected(1, 1, 0, 0, 0));
            }
        }
        assertThat(system.api.frames(connection))
                .containsExactly(
                        "{\"type\":\"ack\",\"action\":\"join\",\"group\":\"room-42\"}",
                        "{\"text\":\"hello from the server\"}");
        // nothing outlives the connection: a plain connection's user stream takes no number and keeps nothing
        assertThat(DYNALITE.client().scan(b -> b.tableName(system.table)).items().stream()
                        .map(item -> item.get("pk").s() + " " + item.get("sk").s())
                        .sorted())
                .isEmpty();
    }
}
