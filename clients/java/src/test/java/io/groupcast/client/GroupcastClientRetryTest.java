package io.groupcast.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * Retries against a real HTTP server on loopback that answers what each test scripts: 429 and 5xx are retried, 4xx
 * are not, and a server that does not answer at all is a typed exception after the retries.
 */
class GroupcastClientRetryTest {
    private final Queue<Integer> statuses = new ConcurrentLinkedQueue<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private Server server;

    private GroupcastClient clientFor(URI endpoint) {
        return GroupcastClient.builder()
                .endpoint(endpoint)
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")))
                .retryBaseDelay(Duration.ofMillis(1))
                .build();
    }

    private URI start() throws Exception {
        server = new Server(0);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                requests.add(request.getMethod() + " " + request.getHttpURI().getPathQuery() + " "
                        + request.getHeaders().get("Authorization").split(",")[0]);
                int status = statuses.isEmpty() ? 200 : statuses.poll();
                String body = status == 200
                        ? "{\"recipients\":2,\"delivered\":2,\"gone\":0,\"failed\":0,\"skipped\":0,\"elapsedMs\":7}"
                        : status == 429
                                ? "{\"message\":\"Too Many Requests\"}"
                                : status == 400
                                        ? "{\"error\":\"invalid_user\",\"message\":\"user 'a b' is not valid\"}"
                                        : "{\"error\":\"store_unavailable\",\"message\":\"try again\"}";
                response.setStatus(status);
                response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        server.start();
        return URI.create("http://localhost:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void shouldRetry503sAndSignEachAttempt_thenAnswerTheResult() throws Exception {
        statuses.addAll(List.of(503, 503));
        try (GroupcastClient client = clientFor(start())) {
            SendResult result = client.sendToGroup("room-42", "{\"text\":\"hi\"}");

            assertThat(result).isEqualTo(new SendResult(2, 2, 0, 0, 0, 7));
        }
        assertThat(requests)
                .hasSize(3)
                .allMatch(r -> r.startsWith("POST /notify AWS4-HMAC-SHA256 Credential=AKID/")
                        && r.endsWith("/eu-west-1/execute-api/aws4_request"));
    }

    @Test
    void shouldNotRetryARefusal_andGiveUpOnThrottlingAfterTheRetries() throws Exception {
        statuses.addAll(List.of(400, 429, 429, 429, 429));
        try (GroupcastClient client = clientFor(start())) {
            assertThatThrownBy(() -> client.sendToUser("a b", "1"))
                    .isInstanceOfSatisfying(GroupcastException.class, e -> {
                        assertThat(e.category()).isEqualTo(GroupcastException.Category.INVALID_REQUEST);
                        assertThat(e.code()).isEqualTo("invalid_user");
                        assertThat(e.status()).isEqualTo(400);
                    });
            assertThat(requests).hasSize(1);
            assertThatThrownBy(() -> client.userExists("kim")).isInstanceOfSatisfying(GroupcastException.class, e -> {
                assertThat(e.category()).isEqualTo(GroupcastException.Category.THROTTLED);
                assertThat(e.code()).isEqualTo("throttled");
            });
        }
        assertThat(requests).hasSize(5);
    }

    @Test
    void shouldReportAServerThatDoesNotAnswer_asServiceUnavailable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (GroupcastClient client = clientFor(URI.create("http://localhost:" + closedPort))) {
            assertThatThrownBy(() -> client.sendToUser("kim", "1"))
                    .isInstanceOfSatisfying(GroupcastException.class, e -> {
                        assertThat(e.category()).isEqualTo(GroupcastException.Category.UNAVAILABLE);
                        assertThat(e.code()).isEqualTo("unreachable");
                        assertThat(e.status()).isZero();
                    });
        }
    }
}
