package io.groupcast.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groupcast.core.DynamoDbMembershipStore;
import io.groupcast.core.GroupName;
import io.groupcast.core.Json;
import io.groupcast.core.MembershipStore;
import io.groupcast.core.UserId;
import io.groupcast.core.testing.NotifyAnswers;
import io.groupcast.core.testing.ProjectRoot;
import io.groupcast.core.testing.TestTokens;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GetConnectionResponse;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** End to end: real WebSocket clients, the unmodified AWS SDK and plain HTTP against the local gateway. */
class LocalGatewayTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static LocalGateway gateway;
    private static DynamoDbClient dynamo;
    private static MembershipStore store;

    @BeforeAll
    static void start() {
        gateway = LocalGateway.start(options(Duration.ofMinutes(10), Duration.ofHours(2)), quietOut());
        dynamo = dynamoDb(gateway);
        store = new DynamoDbMembershipStore(dynamo, DevDefaults.TABLE_NAME);
    }

    @AfterAll
    static void stop() {
        dynamo.close();
        gateway.close();
    }

    /** A DynamoDB client for the gateway's dynalite. */
    static DynamoDbClient dynamoDb(LocalGateway gateway) {
        return DynamoDbClient.builder().endpointOverride(URI.create(gateway.dynamoDbEndpoint()))
                .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
    }

    static LocalGateway.Options options(Duration idle, Duration max) {
        return new LocalGateway.Options("localhost", 0, 0, ProjectRoot.get().resolve("template.yaml"), Optional.empty(),
                Optional.empty(), DevDefaults.TABLE_NAME, Map.of("JwtSecret", TestTokens.SECRET), idle, max, true);
    }

    /** Where the gateways' banner goes; the options make them quiet otherwise. */
    static PrintStream quietOut() {
        return System.out;
    }

    @Test
    void shouldRunTheSeedScenario_overRealWebSockets() {
        String kevin = TestTokens.hs256("kevin-seed");
        List<TestClient> tabs = List.of(connect(kevin), connect(kevin), connect(kevin));
        TestClient bob = connect(TestTokens.hs256("bob-seed"));
        awaitMembers("user:kevin-seed", 3);

        assertThat(notify("{\"user\":\"kevin-seed\",\"message\":{\"text\":\"hello\"}}"))
                .isEqualTo("200 " + NotifyAnswers.expected(3, 3, 0, 0, 0));
        for (TestClient tab : tabs) {
            assertThat(tab.next(WAIT)).isEqualTo("{\"text\":\"hello\"}");
        }

        tabs.get(1).close();
        awaitMembers("user:kevin-seed", 2);
        assertThat(notify("{\"user\":\"kevin-seed\",\"message\":\"again\"}"))
                .isEqualTo("200 " + NotifyAnswers.expected(2, 2, 0, 0, 0));
        assertThat(tabs.get(0).next(WAIT)).isEqualTo("\"again\"");
        assertThat(tabs.get(2).next(WAIT)).isEqualTo("\"again\"");
        assertThat(tabs.get(1).received()).containsExactly("{\"text\":\"hello\"}");
        assertThat(bob.received()).isEmpty();
    }

    @Test
    void shouldJoinAndLeaveGroups_withAckFrames() {
        TestClient alice = connect(TestTokens.hs256("alice-groups"));
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
        String expired = TestTokens.hs256(TestTokens.SECRET, c -> c.subject("mallory-expired")
                .expirationTime(java.util.Date.from(Instant.now().minusSeconds(3600))));
        String forged = TestTokens.hs256("another-secret-another-secret-0123456789", c -> c.subject("mallory-forged")
                .expirationTime(java.util.Date.from(Instant.now().plusSeconds(3600))));

        assertThatThrownBy(() -> TestClient.connect(gateway.webSocketUrl(), null))
                .isInstanceOfSatisfying(TestClient.Refused.class, e -> assertThat(e.status).isEqualTo(401));
        assertThatThrownBy(() -> TestClient.connect(gateway.webSocketUrl(), expired))
                .isInstanceOfSatisfying(TestClient.Refused.class, e -> assertThat(e.status).isEqualTo(403));
        assertThatThrownBy(() -> TestClient.connect(gateway.webSocketUrl(), forged))
                .isInstanceOfSatisfying(TestClient.Refused.class, e -> assertThat(e.status).isEqualTo(403));
        assertThatThrownBy(() -> TestClient.connect(gateway.webSocketUrl(), "not-a-jwt"))
                .isInstanceOfSatisfying(TestClient.Refused.class, e -> assertThat(e.status).isEqualTo(403));
        assertThat(store.members(GroupName.of("user:mallory-expired"), Instant.now())).isEmpty();
        assertThat(store.members(GroupName.of("user:mallory-forged"), Instant.now())).isEmpty();
    }

    @Test
    void shouldAcceptABearerHeader() {
        TestClient client = TestClient.connect(gateway.webSocketUrl(), "Authorization",
                "Bearer " + TestTokens.hs256("header-user"));
        awaitMembers("user:header-user", 1);
        client.close();
    }

    @Test
    void shouldRunDisconnect_whenAClientDropsWithoutACloseFrame() {
        TestClient client = connect(TestTokens.hs256("dropper"));
        awaitMembers("user:dropper", 1);

        client.drop();

        awaitMembers("user:dropper", 0);
    }

    @Test
    void shouldCloseWith1009_whenAMessageIsOver128KB() {
        TestClient client = connect(TestTokens.hs256("big-sender"));
        client.send("{\"action\":\"join\",\"group\":\"" + "x".repeat(LocalGateway.MAX_MESSAGE_BYTES) + "\"}");

        assertThat(client.closeCode(WAIT)).isEqualTo(1009);
        awaitMembers("user:big-sender", 0);
    }

    @Test
    void shouldAnswer410WithTheErrorHeader_forAnUnknownConnection() throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(
                        URI.create(gateway.managementEndpoint() + "/@connections/bm9wZQ%3D%3D"))
                .POST(HttpRequest.BodyPublishers.ofString("hi")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(410);
        assertThat(answer.headers().firstValue("x-amzn-ErrorType")).contains("GoneException");
        assertThatThrownBy(() -> managementClient().postToConnection(b -> b.connectionId("bm9wZQ==")
                .data(SdkBytes.fromUtf8String("x")))).isInstanceOf(GoneException.class);
    }

    @Test
    void shouldPostGetAndDelete_throughTheUnmodifiedAwsSdk() {
        TestClient client = connect(TestTokens.hs256("sdk-user"));
        awaitMembers("user:sdk-user", 1);
        String id = store.members(GroupName.of("user:sdk-user"), Instant.now()).findFirst().orElseThrow().value();
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
        awaitMembers("user:sdk-user", 0);
    }

    @Test
    void shouldCloseIdleConnections_andConnectionsPastTheMaximumDuration() {
        try (LocalGateway strict = LocalGateway.start(options(Duration.ofSeconds(1), Duration.ofMinutes(10)), quietOut());
             LocalGateway brief = LocalGateway.start(options(Duration.ofMinutes(10), Duration.ofSeconds(2)), quietOut())) {
            TestClient idle = TestClient.connect(strict.webSocketUrl(), TestTokens.hs256("idler"));
            TestClient busy = TestClient.connect(brief.webSocketUrl(), TestTokens.hs256("busy"));

            assertThat(idle.closeCode(WAIT)).isEqualTo(1001);
            assertThat(busy.closeCode(WAIT)).isEqualTo(1001);
        }
    }

    @Test
    void shouldServeTheDemoPage_andDevTokens_andAnswer404ForUnknownRoutes() throws Exception {
        HttpResponse<String> page = get("/");
        HttpResponse<String> token = get("/token?user=kevin");
        HttpResponse<String> badUser = get("/token?user=a%20b");
        HttpResponse<String> unknown = get("/nope");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Groupcast local demo").doesNotContain("__WS_PORT__");
        assertThat(token.statusCode()).isEqualTo(200);
        assertThat(new io.groupcast.core.TokenVerifier(io.groupcast.core.TokenSettings.from(
                io.groupcast.core.Environment.of(Map.of("JWT_SECRET", TestTokens.SECRET))))
                .verify(Json.parse(token.body()).path("token").asText())).isEqualTo(UserId.of("kevin"));
        assertThat(badUser.statusCode()).isEqualTo(400);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(Json.parse(unknown.body()).path("error").asText()).isEqualTo("not_found");
        assertThat(Json.parse(unknown.body()).path("message").asText())
                .isEqualTo("no route GET '/nope'; the server API's routes are in openapi.yaml");
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(gateway.httpUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static TestClient connect(String token) {
        return TestClient.connect(gateway.webSocketUrl(), token);
    }

    private static String notify(String body) {
        try {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.httpUrl() + "/notify"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            return answer.statusCode() + " " + NotifyAnswers.counts(answer.body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void awaitMembers(String group, int count) {
        Eventually.await(group + " has " + count + " live member(s)", WAIT,
                () -> store.members(GroupName.of(group), Instant.now()).count() == count);
    }

    private static ApiGatewayManagementApiClient managementClient() {
        return ApiGatewayManagementApiClient.builder()
                .endpointOverride(URI.create(gateway.managementEndpoint()))
                .region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
    }
}
