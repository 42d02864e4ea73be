package io.groupcast.client;

import static io.groupcast.client.GroupcastClientRetryTest.body;
import static io.groupcast.client.GroupcastClientRetryTest.clientFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.groupcast.client.ScriptedServer.Answer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * What the AWS SDK's clients do and this one does too: user agent, region from the host name, the request id on
 * refusals, debug logs of attempts, the caller's mapper, and closing only what it created.
 */
class ConventionsTest {
    private final ScriptedServer server = ScriptedServer.start();

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void shouldNameItselfAndItsVersion_inTheUserAgent() {
        try (GroupcastClient client = clientFor(server.uri())) {
            client.userExists("kim");
        }

        assertThat(server.requests().get(0).header("User-Agent")).matches("groupcast-java/\\d+\\.\\d+\\.\\d+\\S*");
    }

    @Test
    void shouldSignForTheRegionInTheEndpointsHostName_whenNoRegionIsGiven() {
        RecordingHttpClient http = new RecordingHttpClient();
        try (GroupcastClient client = GroupcastClient.builder()
                .endpoint(URI.create("https://abc123.execute-api.eu-west-2.amazonaws.com"))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")))
                .httpClient(http)
                .build()) {
            client.sendToUser("kim", Map.of("n", 1));
        }

        assertThat(http.requests().get(0).firstMatchingHeader("Authorization"))
                .hasValueSatisfying(auth -> assertThat(auth).contains("/eu-west-2/execute-api/aws4_request"));
    }

    @Test
    void shouldSayWhatToDo_whenNoRegionIsGivenAndTheHostNameHasNone() {
        assertThatThrownBy(() -> GroupcastClient.builder()
                        .endpoint(URI.create("https://api.example.com/groupcast"))
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("no region: give .region(...), as the endpoint's host api.example.com is not"
                        + " {api}.execute-api.{region}.amazonaws.com");
    }

    @Test
    void shouldCarryApiGatewaysRequestId_onARefusal() {
        server.then(
                Answer.of(403, "{\"message\":\"Forbidden\"}").with("apigw-requestid", "Hs2fJjKZoAMEV7A="),
                Answer.of(404, "{\"message\":\"Not Found\"}").with("x-amzn-RequestId", "c6af9ac6-7b61-11e6"));
        try (GroupcastClient client = clientFor(server.uri())) {
            assertThatThrownBy(() -> client.userExists("kim"))
                    .isInstanceOfSatisfying(
                            GroupcastException.class,
                            e -> assertThat(e.requestId()).hasValue("Hs2fJjKZoAMEV7A="))
                    .hasMessage("403 forbidden: Forbidden (request id Hs2fJjKZoAMEV7A=)");
            assertThatThrownBy(() -> client.userExists("kim"))
                    .isInstanceOfSatisfying(
                            GroupcastException.class,
                            e -> assertThat(e.requestId()).hasValue("c6af9ac6-7b61-11e6"));
        }
    }

    @Test
    void shouldLogEachAttemptAtDebug_withItsOutcomeAndTheWaitBeforeTheNext() throws IOException {
        String user = "log-probe-" + UUID.randomUUID();
        server.then(Answer.of(503, "{\"error\":\"store_unavailable\",\"message\":\"x\"}")
                .with("apigw-requestid", "req-1"));
        try (GroupcastClient client = clientFor(server.uri())) {
            client.userExists(user);
        }

        List<String> lines = Files.readAllLines(Path.of(System.getProperty("org.slf4j.simpleLogger.logFile"))).stream()
                .filter(line -> line.contains(user))
                .toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0))
                .contains("DEBUG io.groupcast.client.GroupcastClient - groupcast attempt method=GET path=/users/" + user
                        + " attempt=1 status=503 outcome=store_unavailable requestId=req-1 elapsedMs=")
                .containsPattern("retryInMs=\\d+$");
        assertThat(lines.get(1)).contains("attempt=2 status=200 outcome=ok").endsWith("retryInMs=-");
    }

    /** A message as an application defines it. */
    record Chat(String fromUser, String text) {}

    @Test
    void shouldSerializeMessagesWithTheGivenMapper() {
        ObjectMapper snakeCase = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        try (GroupcastClient client = GroupcastClient.builder()
                .endpoint(server.uri())
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")))
                .objectMapper(snakeCase)
                .build()) {
            client.sendToGroup("room-42", new Chat("kevin", "hi"));
        }

        assertThat(body(server.requests().get(0)).get("message"))
                .hasToString("{\"from_user\":\"kevin\",\"text\":\"hi\"}");
    }

    @Test
    void shouldCloseWhatItCreated_andNothingItWasGiven() {
        RecordingHttpClient http = new RecordingHttpClient();
        ClosableCredentials credentials = new ClosableCredentials();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            GroupcastClient given = GroupcastClient.builder()
                    .endpoint(server.uri())
                    .region(Region.EU_WEST_1)
                    .credentialsProvider(credentials)
                    .httpClient(http)
                    .executor(executor)
                    .build();
            GroupcastClient own = GroupcastClient.builder()
                    .endpoint(server.uri())
                    .region(Region.EU_WEST_1)
                    .build();
            given.close();
            own.close();

            assertThat(given.created()).isEmpty();
            assertThat(http.closed()).isFalse();
            assertThat(credentials.closed).isFalse();
            assertThat(executor.isShutdown()).isFalse();
            assertThat(own.created()).containsExactly("credentials provider", "HTTP client", "async executor");
        } finally {
            executor.shutdown();
        }
    }

    /** Credentials a caller owns and would notice being closed. */
    private static final class ClosableCredentials implements AwsCredentialsProvider, AutoCloseable {
        private volatile boolean closed;

        @Override
        public AwsCredentials resolveCredentials() {
            return AwsBasicCredentials.create("AKID", "secret");
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
