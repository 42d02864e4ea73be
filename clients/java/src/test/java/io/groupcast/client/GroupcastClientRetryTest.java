package io.groupcast.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.groupcast.client.ScriptedServer.Answer;
import io.groupcast.client.ScriptedServer.Received;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * Retries against a real HTTP server on loopback that answers what each test scripts: 429, 5xx and 409
 * {@code request_in_progress} are retried, other 4xx are not, a notify is retried with the key it was first sent with,
 * and a server that does not answer at all is a typed exception after the retries.
 */
class GroupcastClientRetryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private ScriptedServer server;

    static GroupcastClient clientFor(URI endpoint) {
        return GroupcastClient.builder()
                .endpoint(endpoint)
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")))
                .retryBaseDelay(Duration.ofMillis(1))
                .build();
    }

    static JsonNode body(Received request) {
        try {
            return JSON.readTree(request.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void shouldRetry503sAndSignEachAttempt_thenAnswerTheResult() throws Exception {
        server = ScriptedServer.start().then(storeUnavailable(), storeUnavailable());
        try (GroupcastClient client = clientFor(server.uri())) {
            SendResult result = client.sendToGroup("room-42", Map.of("text", "hi"));

            assertThat(result).isEqualTo(new SendResult(2, 2, 0, 0, 0, 7));
        }
        assertThat(server.requests())
                .hasSize(3)
                .allMatch(r -> r.method().equals("POST")
                        && r.pathQuery().equals("/notify")
                        && r.header("Authorization").startsWith("AWS4-HMAC-SHA256 Credential=AKID/")
                        && r.header("Authorization").contains("/eu-west-1/execute-api/aws4_request"));
    }

    @Test
    void shouldNotRetryARefusal_andGiveUpOnThrottlingAfterTheRetries() throws Exception {
        Answer throttled = Answer.of(429, "{\"message\":\"Too Many Requests\"}");
        server = ScriptedServer.start()
                .then(
                        Answer.of(400, "{\"error\":\"invalid_user\",\"message\":\"user 'a b' is not valid\"}"),
                        throttled,
                        throttled,
                        throttled,
                        throttled);
        try (GroupcastClient client = clientFor(server.uri())) {
            assertThatThrownBy(() -> client.sendToUser("a b", 1))
                    .isInstanceOfSatisfying(GroupcastException.class, e -> {
                        assertThat(e.category()).isEqualTo(GroupcastException.Category.INVALID_REQUEST);
                        assertThat(e.code()).isEqualTo("invalid_user");
                        assertThat(e.status()).isEqualTo(400);
                    });
            assertThat(server.requests()).hasSize(1);
            assertThatThrownBy(() -> client.userExists("kim")).isInstanceOfSatisfying(GroupcastException.class, e -> {
                assertThat(e.category()).isEqualTo(GroupcastException.Category.THROTTLED);
                assertThat(e.code()).isEqualTo("throttled");
            });
        }
        assertThat(server.requests()).hasSize(5);
    }

    @Test
    void shouldReportAServerThatDoesNotAnswer_asServiceUnavailable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (GroupcastClient client = clientFor(URI.create("http://localhost:" + closedPort))) {
            assertThatThrownBy(() -> client.sendToUser("kim", 1))
                    .isInstanceOfSatisfying(GroupcastException.class, e -> {
                        assertThat(e.category()).isEqualTo(GroupcastException.Category.UNAVAILABLE);
                        assertThat(e.code()).isEqualTo("unreachable");
                        assertThat(e.status()).isZero();
                    });
        }
    }

    @Test
    void shouldDeliverOnce_whenTheServerAnswers500AfterDelivering_byRetryingWithTheSameKey() throws Exception {
        AtomicInteger deliveries = new AtomicInteger();
        Map<String, String> kept = new ConcurrentHashMap<>();
        server = ScriptedServer.start(request -> {
            String key = body(request).path("idempotencyKey").asText("");
            if (!key.isEmpty() && kept.containsKey(key)) {
                return Answer.of(200, kept.get(key).replace("}", ",\"duplicate\":true}"));
            }
            deliveries.incrementAndGet();
            if (!key.isEmpty()) {
                kept.put(key, ScriptedServer.SENT);
            }
            return deliveries.get() == 1 ? storeUnavailable() : Answer.of(200, ScriptedServer.SENT);
        });
        try (GroupcastClient client = clientFor(server.uri())) {
            client.sendToGroup("room-42", Map.of("order", 17));
        }

        assertThat(deliveries).as("fan-outs the server ran").hasValue(1);
        List<String> keys = server.requests().stream()
                .map(r -> body(r).path("idempotencyKey").asText())
                .toList();
        assertThat(keys).hasSize(2).doesNotContain("");
        assertThat(keys.get(1)).isEqualTo(keys.get(0));
    }

    @Test
    void shouldSendANewKeyWithEachNotify() throws Exception {
        server = ScriptedServer.start();
        try (GroupcastClient client = clientFor(server.uri())) {
            client.sendToGroup("room-42", Map.of("n", 1));
            client.sendToGroup("room-42", Map.of("n", 1));
        }

        List<String> keys = server.requests().stream()
                .map(r -> body(r).path("idempotencyKey").asText())
                .toList();
        assertThat(keys).hasSize(2).doesNotHaveDuplicates().allMatch(k -> k.matches("[0-9a-f-]{36}"), "a UUID");
    }

    @Test
    void shouldWaitAsRetryAfterSays_whenTheFirstAttemptIsStillRunning() throws Exception {
        server = ScriptedServer.start()
                .then(Answer.of(409, "{\"error\":\"request_in_progress\",\"message\":\"ask again in a moment\"}")
                        .with("Retry-After", "1"));
        try (GroupcastClient client = clientFor(server.uri())) {
            client.sendToUser("kim", Map.of("n", 1));
        }

        List<Received> requests = server.requests();
        assertThat(requests).hasSize(2);
        assertThat(Duration.ofNanos(requests.get(1).nanos() - requests.get(0).nanos()))
                .as("between the attempts")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    private static Answer storeUnavailable() {
        return Answer.of(503, "{\"error\":\"store_unavailable\",\"message\":\"try again\"}");
    }
}
