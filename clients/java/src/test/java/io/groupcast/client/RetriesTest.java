package io.groupcast.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groupcast.client.ScriptedServer.Answer;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/** When a call is retried, how long it waits, and when it ends: the rules of {@link Retries}. */
class RetriesTest {
    private static final Answer FAILED = Answer.of(500, "{\"error\":\"internal\",\"message\":\"x\"}");
    private final ScriptedServer server = ScriptedServer.start();
    private final SdkHttpClient http = UrlConnectionHttpClient.create();

    @AfterEach
    void stop() throws Exception {
        http.close();
        server.close();
    }

    private Retries retries(Retries.Policy policy) {
        return new Retries(
                new Transport(
                        server.uri(),
                        Region.EU_WEST_1,
                        StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")),
                        http,
                        null),
                policy);
    }

    private static Retries.Policy policy(Duration base, Duration cap) {
        return new Retries.Policy(3, base, cap, Optional.empty(), Optional.empty());
    }

    private static Transport.Call post(boolean withKey) {
        return new Transport.Call("POST", "/notify", Map.of(), "{}".getBytes(), withKey);
    }

    @Test
    void shouldNotRepeatAPostWithoutAKey_afterTheServerRanIt() {
        server.then(FAILED, FAILED);

        assertThatThrownBy(() -> retries(policy(Duration.ZERO, Duration.ZERO)).run(post(false)))
                .isInstanceOfSatisfying(
                        GroupcastException.class, e -> assertThat(e.status()).isEqualTo(500));
        assertThat(server.requests()).hasSize(1);
        assertThat(retries(policy(Duration.ZERO, Duration.ZERO)).run(post(true)).status())
                .isEqualTo(200);
        assertThat(server.requests()).hasSize(3);
    }

    @Test
    void shouldRepeatAPostWithoutAKey_whenTheServerThrottledIt() {
        server.then(Answer.of(429, "{\"message\":\"Too Many Requests\"}"));

        assertThat(retries(policy(Duration.ZERO, Duration.ZERO))
                        .run(post(false))
                        .status())
                .isEqualTo(200);
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void shouldKeepEveryWaitUnderTheCap_andTheFirstUnderTheBaseDelay() {
        Retries retries = retries(policy(Duration.ofMillis(100), Duration.ofMillis(1000)));

        assertThat(IntStream.range(0, 1000).mapToObj(i -> retries.jitter(1))).allMatch(wait -> wait.toMillis() <= 100);
        assertThat(IntStream.range(0, 1000).mapToObj(i -> retries.jitter(30)))
                .allMatch(wait -> wait.toMillis() <= 1000)
                .anyMatch(wait -> wait.toMillis() > 100);
    }

    @Test
    void shouldGiveUpAtOnce_whenRetryAfterAsksForMoreThanTheCap() {
        server.then(FAILED.with("Retry-After", "120"));

        assertThatThrownBy(() ->
                        retries(policy(Duration.ZERO, Duration.ofSeconds(20))).run(post(true)))
                .isInstanceOf(GroupcastException.class);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void shouldAbortAnAttemptThatHangs_andRetryIt() {
        server.then(Answer.HANG);
        try (GroupcastClient client = clientWith(server.uri(), b -> b.attemptTimeout(Duration.ofMillis(300)))) {
            assertThat(client.sendToUser("kim", 1).delivered()).isEqualTo(2);
        }
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void shouldEndTheCall_whenItsTimeoutPasses() throws Exception {
        try (ScriptedServer hanging = ScriptedServer.start(request -> Answer.HANG);
                GroupcastClient client = clientWith(hanging.uri(), b -> b.callTimeout(Duration.ofMillis(500)))) {
            assertThatThrownBy(() -> client.sendToUser("kim", 1))
                    .isInstanceOfSatisfying(GroupcastException.class, e -> {
                        assertThat(e.code()).isEqualTo("call_timeout");
                        assertThat(e.category()).isEqualTo(GroupcastException.Category.UNAVAILABLE);
                    })
                    .hasMessage("the call took longer than its timeout of 500 ms (1 attempt(s))");
            assertThat(hanging.requests()).hasSize(1);
        }
    }

    @Test
    void shouldSendAsynchronouslyOnTheGivenExecutor_withTheSameRetries() throws Exception {
        server.then(Answer.of(503, "{\"error\":\"store_unavailable\",\"message\":\"x\"}"));
        ExecutorService executor = Executors.newSingleThreadExecutor(task -> new Thread(task, "app-pool"));
        try (GroupcastClient client = clientWith(server.uri(), b -> b.executor(executor))) {
            SendResult sent =
                    client.sendAsync(SendRequest.toUser("kim").message(1)).get(30, TimeUnit.SECONDS);

            assertThat(sent.delivered()).isEqualTo(2);
        } finally {
            executor.shutdown();
        }
        assertThat(server.requests()).hasSize(2);
        assertThat(GroupcastClientRetryTest.body(server.requests().get(0)).get("idempotencyKey"))
                .isEqualTo(
                        GroupcastClientRetryTest.body(server.requests().get(1)).get("idempotencyKey"));
    }

    private static GroupcastClient clientWith(URI endpoint, UnaryOperator<GroupcastClientBuilder> options) {
        return options.apply(GroupcastClient.builder()
                        .endpoint(endpoint)
                        .region(Region.EU_WEST_1)
                        .credentialsProvider(
                                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")))
                        .retryBaseDelay(Duration.ofMillis(1)))
                .build();
    }
}
