package io.groupcast.core.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.groupcast.core.config.AwsClients;
import io.groupcast.core.config.Environment;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The handler adapters against a real loopback server: the Lambda one as the SDK's LambdaClient speaks Lambda's Invoke
 * API ({@code POST /2015-03-31/functions/{name}/invocations}, errors in {@code X-Amz-Function-Error}), the HTTP one as
 * the local gateway's {@code --event-handler-url} is called.
 */
class HandlerAdaptersTest {
    private static final byte[] INPUT = "{\"type\":\"event\",\"event\":\"e\"}".getBytes(StandardCharsets.UTF_8);

    private HttpServer server;
    private final List<String> paths = new CopyOnWriteArrayList<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile Reply reply = new Reply(200, Map.of(), "{\"data\":1}");

    private record Reply(int status, Map<String, String> headers, String body) {}

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        paths.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
        bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Reply answer = reply;
        if (answer.status() < 0) {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(Math.abs(answer.status()), body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private EventHandler lambda() {
        return AwsClients.from(Environment.of(Map.of(
                        "AWS_REGION", "us-east-1",
                        "AWS_ACCESS_KEY_ID", "test",
                        "AWS_SECRET_ACCESS_KEY", "test",
                        "LAMBDA_ENDPOINT", endpoint(),
                        "EVENT_HANDLER_FUNCTION_ARN", "arn:aws:lambda:us-east-1:123456789012:function:chat")))
                .eventHandler()
                .orElseThrow();
    }

    private EventHandler http() {
        return AwsClients.from(Environment.of(Map.of(
                        "AWS_REGION", "us-east-1",
                        "EVENT_HANDLER_URL", endpoint() + "/events",
                        "EVENT_HANDLER_FUNCTION_ARN", "arn:aws:lambda:us-east-1:123456789012:function:chat")))
                .eventHandler()
                .orElseThrow();
    }

    @Test
    void shouldInvokeTheFunctionSynchronously_andAnswerItsPayload() {
        String answered = lambda().call(INPUT, Duration.ofSeconds(5));

        assertThat(answered).isEqualTo("{\"data\":1}");
        assertThat(paths)
                .containsExactly("POST /2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:chat"
                        + "/invocations");
        assertThat(bodies).containsExactly(new String(INPUT, StandardCharsets.UTF_8));
    }

    @Test
    void shouldFail_onceAndWithoutRetry_whenTheFunctionThrowsOrLambdaRefuses() {
        reply = new Reply(
                200,
                Map.of("X-Amz-Function-Error", "Unhandled"),
                "{\"errorMessage\":\"boom\",\"errorType\":\"java.lang.RuntimeException\"}");
        assertThatThrownBy(() -> lambda().call(INPUT, Duration.ofSeconds(5)))
                .isInstanceOf(HandlerFailedException.class)
                .hasMessageContaining("Unhandled")
                .hasMessageContaining("boom");

        reply = new Reply(
                429,
                Map.of("x-amzn-ErrorType", "TooManyRequestsException"),
                "{\"message\":\"Rate exceeded\",\"Type\":\"User\"}");
        assertThatThrownBy(() -> lambda().call(INPUT, Duration.ofSeconds(5)))
                .isInstanceOf(HandlerFailedException.class)
                .hasMessageContaining("Rate exceeded");
        assertThat(paths).hasSize(2);
    }

    @Test
    void shouldTimeOut_whenTheFunctionDoesNotAnswerInTime_orTimesOutItself() {
        reply = new Reply(
                200,
                Map.of("X-Amz-Function-Error", "Unhandled"),
                "{\"errorType\":\"Sandbox.Timedout\",\"errorMessage\":\"Task timed out after 3.00 seconds\"}");
        assertThatThrownBy(() -> lambda().call(INPUT, Duration.ofSeconds(5)))
                .isInstanceOf(HandlerTimeoutException.class);

        reply = new Reply(-200, Map.of(), "{\"data\":\"late\"}");
        long started = System.nanoTime();
        assertThatThrownBy(() -> lambda().call(INPUT, Duration.ofMillis(800)))
                .isInstanceOf(HandlerTimeoutException.class)
                .hasMessageContaining("800 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void shouldPostTheInput_andAnswerA2xxBody_overHttp() {
        String answered = http().call(INPUT, Duration.ofSeconds(5));

        assertThat(answered).isEqualTo("{\"data\":1}");
        assertThat(paths).containsExactly("POST /events");
        assertThat(bodies).containsExactly(new String(INPUT, StandardCharsets.UTF_8));
    }

    @Test
    void shouldFailOrTimeOut_overHttp_asTheEndpointDoes() throws IOException {
        reply = new Reply(500, Map.of(), "{\"data\":\"from a 500\"}");
        assertThatThrownBy(() -> http().call(INPUT, Duration.ofSeconds(5)))
                .isInstanceOf(HandlerFailedException.class)
                .hasMessageContaining("answered 500");

        reply = new Reply(-200, Map.of(), "{\"data\":\"late\"}");
        assertThatThrownBy(() -> http().call(INPUT, Duration.ofMillis(800)))
                .isInstanceOf(HandlerTimeoutException.class);

        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        EventHandler nowhere = io.groupcast.core.handlers.http.HttpEventHandler.at(
                URI.create("http://127.0.0.1:" + closed + "/events"));
        assertThatThrownBy(() -> nowhere.call(INPUT, Duration.ofSeconds(5)))
                .isInstanceOf(HandlerFailedException.class)
                .hasMessageContaining("cannot reach");
    }

    @Test
    void shouldHaveNoHandler_whenTheStackNamesNone() {
        assertThat(AwsClients.from(Environment.of(Map.of("AWS_REGION", "us-east-1")))
                        .eventHandler())
                .isEmpty();
    }
}
