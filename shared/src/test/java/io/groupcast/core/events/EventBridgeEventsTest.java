package io.groupcast.core.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.groupcast.core.config.AwsClients;
import io.groupcast.core.config.Environment;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Json;
import io.groupcast.core.model.UserId;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The EventBridge adapter against a loopback server that speaks {@code PutEvents} as the SDK's client calls it (AWS
 * JSON 1.1, {@code X-Amz-Target: AWSEvents.PutEvents}), failing the entries or calls each test chooses.
 */
class EventBridgeEventsTest {
    private HttpServer server;
    private final List<JsonNode> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger lost = new AtomicInteger();
    private volatile Predicate<JsonNode> throttled = entry -> false;
    private volatile int status = 200;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            JsonNode body = Json.parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            calls.add(body);
            ObjectNode answer = Json.object();
            int failed = 0;
            ArrayNode entries = answer.putArray("Entries");
            for (JsonNode entry : body.path("Entries")) {
                if (throttled.test(entry)) {
                    failed++;
                    entries.addObject().put("ErrorCode", "ThrottlingException").put("ErrorMessage", "Rate exceeded");
                } else {
                    entries.addObject().put("EventId", "e-" + calls.size());
                }
            }
            answer.put("FailedEntryCount", failed);
            byte[] bytes = (status == 200 ? answer.toString() : "{\"__type\":\"InternalException\",\"message\":\"x\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private LifecycleEvents events() {
        return AwsClients.from(Environment.of(Map.of(
                        "AWS_REGION", "us-east-1",
                        "AWS_ACCESS_KEY_ID", "test",
                        "AWS_SECRET_ACCESS_KEY", "test",
                        "EVENT_BUS_NAME", "chat-bus",
                        "EVENTS_ENDPOINT",
                                "http://127.0.0.1:" + server.getAddress().getPort())))
                .lifecycleEvents(lost::addAndGet);
    }

    private static List<LifecycleEvent> joins(int count) {
        Connection kevin = Connection.opened(ConnectionId.of("k1"), UserId.of("kevin"), Instant.EPOCH);
        List<LifecycleEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(LifecycleEvent.joined(kevin, GroupName.of("room-" + i), Instant.EPOCH));
        }
        return events;
    }

    @Test
    void shouldPutEntriesOfSourceGroupcast_toTheBus_tenPerCall() {
        events().put(joins(25));

        assertThat(calls).hasSize(3);
        assertThat(calls.stream().map(call -> call.path("Entries").size())).containsExactly(10, 10, 5);
        JsonNode entry = calls.get(0).path("Entries").get(0);
        assertThat(entry.path("Source").asText()).isEqualTo("groupcast");
        assertThat(entry.path("DetailType").asText()).isEqualTo("GroupJoined");
        assertThat(entry.path("EventBusName").asText()).isEqualTo("chat-bus");
        assertThat(entry.path("Detail").asText())
                .isEqualTo("{\"connectionId\":\"k1\",\"userId\":\"kevin\",\"at\":0,\"group\":\"room-0\"}");
        assertThat(lost.get()).isZero();
    }

    @Test
    void shouldPutThrottledEntriesAgain_untilTheyGoIn() {
        AtomicInteger throttles = new AtomicInteger();
        throttled = entry -> entry.path("Detail").asText().contains("room-1\"") && throttles.incrementAndGet() <= 2;

        events().put(joins(3));

        assertThat(calls.stream().map(call -> call.path("Entries").size())).containsExactly(3, 1, 1);
        assertThat(lost.get()).isZero();
    }

    @Test
    void shouldCountWhatStillFails_withoutThrowing() {
        throttled = entry -> entry.path("Detail").asText().contains("room-1\"");
        events().put(joins(3));
        assertThat(lost.get()).isEqualTo(1);

        status = 500;
        events().put(joins(2));
        assertThat(lost.get())
                .as("a call that fails after the SDK's retries loses its entries")
                .isEqualTo(3);
    }

    @Test
    void shouldPutNothing_withoutABus() {
        LifecycleEvents none = AwsClients.from(Environment.of(Map.of("AWS_REGION", "us-east-1")))
                .lifecycleEvents(lost::addAndGet);

        none.put(LifecycleEvent.disconnected(ConnectionId.of("k1"), Optional.empty(), "gone", Instant.EPOCH));

        assertThat(none.enabled()).isFalse();
        assertThat(calls).isEmpty();
    }
}
