package io.groupcast.local;

import static io.groupcast.local.GatewayExtension.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groupcast.core.model.ApiGatewayLimits;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Json;
import io.groupcast.core.testing.NotifyAnswers;
import io.groupcast.core.testing.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GetConnectionResponse;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;

/** End to end: real WebSocket clients, the unmodified AWS SDK and plain HTTP against the local gateway. */
class LocalGatewayTest {
    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.standard();

    @Test
    void shouldRunTheSeedScenario_overRealWebSockets() {
        List<TestClient> tabs =
                List.of(GATEWAY.connect("kevin-seed"), GATEWAY.connect("kevin-seed"), GATEWAY.connect("kevin-seed"));
        TestClient bob = GATEWAY.connect("bob-seed");
        GATEWAY.members("user:kevin-seed", 3);

        assertThat(notify("{\"user\":\"kevin-seed\",\"message\":{\"text\":\"hello\"}}"))
                .isEqualTo("200 " + NotifyAnswers.expected(3, 3, 0, 0, 0));
        for (TestClient tab : tabs) {
            assertThat(tab.next(WAIT)).isEqualTo("{\"text\":\"hello\"}");
        }

        tabs.get(1).close();
        GATEWAY.members("user:kevin-seed", 2);
        assertThat(notify("{\"user\":\"kevin-seed\",\"message\":\"again\"}"))
                .isEqualTo("200 " + NotifyAnswers.expected(2, 2, 0, 0, 0));
        assertThat(tabs.get(0).next(WAIT)).isEqualTo("\"again\"");
        assertThat(tabs.get(2).next(WAIT)).isEqualTo("\"again\"");
        assertThat(tabs.get(1).received()).containsExactly("{\"text\":\"hello\"}");
        assertThat(bob.received()).isEmpty();
    }

    @Test
    void shouldJoinAndLeaveGroups_withAckFrames() {
        TestClient alice = GATEWAY.connect("alice-groups", TestTokens.JOIN_ANY);
        alice.send("{\"action\":\"join\",\"group\":\"room-7\"}");
        assertThat(alice.next(WAIT)).isEqualTo("{\"type\":\"ack\",\"action\":\"join\",\"group\":\"room-7\"}");

        assertThat(notify("{\"group\":\"room-7\",\"message\":[1,2]}")).startsWith("200 {\"recipients\":1,");
        assertThat(alice.next(WAIT)).isEqualTo("[1,2]");

        alice.send("{\"action\":\"leave\",\"group\":\"room-7\"}");
        assertThat(alice.next(WAIT)).isEqualTo("{\"type\":\"ack\",\"action\":\"leave\",\"group\":\"room-7\"}");
        alice.send("{\"action\":\"shout\"}");
        assertThat(Json.parse(alice.next(WAIT)).path("error").asText()).isEqualTo("unknown_action");
        assertThat(notify("{\"group\":\"room-7\",\"message\":1}")).startsWith("200 {\"recipients\":0,");
    }

    @Test
    void shouldRefuseBadTokens_andWriteNothing() {
        String expired = TestTokens.hs256(
                TestTokens.SECRET,
                c -> c.subject("mallory-expired")
                        .expirationTime(Date.from(Instant.now().minusSeconds(3600))));
        String forged = TestTokens.hs256(
                "another-secret-another-secret-0123456789",
                c -> c.subject("mallory-forged")
                        .expirationTime(Date.from(Instant.now().plusSeconds(3600))));
        URI url = GATEWAY.gateway().webSocketUrl();

        assertThatThrownBy(() -> TestClient.connect(url, null))
                .isInstanceOfSatisfying(
                        TestClient.Refused.class, e -> assertThat(e.status).isEqualTo(401));
        assertThatThrownBy(() -> TestClient.connect(url, expired))
                .isInstanceOfSatisfying(
                        TestClient.Refused.class, e -> assertThat(e.status).isEqualTo(403));
        assertThatThrownBy(() -> TestClient.connect(url, forged))
                .isInstanceOfSatisfying(
                        TestClient.Refused.class, e -> assertThat(e.status).isEqualTo(403));
        assertThatThrownBy(() -> TestClient.connect(url, "not-a-jwt"))
                .isInstanceOfSatisfying(
                        TestClient.Refused.class, e -> assertThat(e.status).isEqualTo(403));
        assertThat(GATEWAY.store().members(GroupName.of("user:mallory-expired"), Instant.now()))
                .isEmpty();
        assertThat(GATEWAY.store().members(GroupName.of("user:mallory-forged"), Instant.now()))
                .isEmpty();
    }

    @Test
    void shouldAcceptABearerHeader() {
        TestClient client = TestClient.connect(
                GATEWAY.gateway().webSocketUrl(), "Authorization", "Bearer " + TestTokens.hs256("header-user"));
        GATEWAY.members("user:header-user", 1);
        client.close();
    }

    @Test
    void shouldRunDisconnect_whenAClientDropsWithoutACloseFrame() {
        TestClient client = GATEWAY.connect("dropper");
        GATEWAY.members("user:dropper", 1);

        client.drop();

        GATEWAY.members("user:dropper", 0);
    }

    @Test
    void shouldCloseWith1009_whenAMessageIsOver128KB() {
        TestClient client = GATEWAY.connect("big-sender");
        client.send("{\"action\":\"join\",\"group\":\"" + "x".repeat(ApiGatewayLimits.MESSAGE_BYTES) + "\"}");

        assertThat(client.closeCode(WAIT)).isEqualTo(1009);
        GATEWAY.members("user:big-sender", 0);
    }

    @Test
    void shouldAnswer410WithTheErrorHeader_forAnUnknownConnection() throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        GATEWAY.gateway().managementEndpoint() + "/@connections/bm9wZQ%3D%3D"))
                                .POST(HttpRequest.BodyPublishers.ofString("hi"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(410);
        assertThat(answer.headers().firstValue("x-amzn-ErrorType")).contains("GoneException");
        try (ApiGatewayManagementApiClient sdk = managementClient()) {
            assertThatThrownBy(() ->
                            sdk.postToConnection(b -> b.connectionId("bm9wZQ==").data(SdkBytes.fromUtf8String("x"))))
                    .isInstanceOf(GoneException.class);
        }
    }

    @Test
    void shouldPostGetAndDelete_throughTheUnmodifiedAwsSdk() {
        TestClient client = GATEWAY.connect("sdk-user");
        String id = GATEWAY.members("user:sdk-user", 1).get(0);
        try (ApiGatewayManagementApiClient sdk = managementClient()) {
            sdk.postToConnection(b -> b.connectionId(id).data(SdkBytes.fromUtf8String("{\"from\":\"sdk\"}")));
            assertThat(client.next(WAIT)).isEqualTo("{\"from\":\"sdk\"}");

            GetConnectionResponse info = sdk.getConnection(b -> b.connectionId(id));
            assertThat(info.connectedAt()).isBefore(Instant.now().plusSeconds(1));
            assertThat(info.identity().sourceIp()).isEqualTo("127.0.0.1");
            assertThat(info.lastActiveAt()).isNotNull();

            sdk.deleteConnection(b -> b.connectionId(id));
            assertThat(client.closeCode(WAIT)).isEqualTo(1000);
        }
        GATEWAY.members("user:sdk-user", 0);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"--idle-timeout, 1", "--max-connection, 2"})
    void shouldCloseConnectionsWith1001_pastTheIdleOrMaximumDuration(String limit, String seconds) {
        GatewayExtension limited = GatewayExtension.with(limit, seconds).start();
        try {
            TestClient client = TestClient.connect(limited.gateway().webSocketUrl(), TestTokens.hs256("limited"));

            assertThat(client.closeCode(WAIT)).isEqualTo(1001);
        } finally {
            limited.stop();
        }
    }

    @Test
    void shouldServeTheDemoPage() {
        HttpResponse<String> page = GATEWAY.send("GET", "/", null);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Groupcast local demo").doesNotContain("__WS_PORT__");
    }

    @Test
    void shouldAnswer404WithTheErrorShape_forUnknownRoutes() {
        HttpResponse<String> unknown = GATEWAY.send("GET", "/nope", null);

        assertThat(GATEWAY.refusal("GET", "/nope", null)).isEqualTo("404 not_found");
        assertThat(Json.parse(unknown.body()).path("message").asText())
                .isEqualTo("no route GET '/nope'; the server API's routes are in docs/openapi.yaml");
    }

    private static String notify(String body) {
        HttpResponse<String> answer = GATEWAY.send("POST", "/notify", body);
        return answer.statusCode() + " " + NotifyAnswers.counts(answer.body());
    }

    private static ApiGatewayManagementApiClient managementClient() {
        return ApiGatewayManagementApiClient.builder()
                .endpointOverride(URI.create(GATEWAY.gateway().managementEndpoint()))
                .region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
    }
}
