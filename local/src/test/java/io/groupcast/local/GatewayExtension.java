package io.groupcast.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Json;
import io.groupcast.core.store.DynamoDbMembershipStore;
import io.groupcast.core.store.MembershipStore;
import io.groupcast.core.testing.TestTokens;
import io.groupcast.testing.ProjectRoot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The local gateway, started before a test class and stopped after it (register with {@code @RegisterExtension
 * static}): quiet, on free ports, tokens signed with {@link TestTokens#SECRET}, with a DynamoDB client on its
 * dynalite and the HTTP calls the tests make.
 */
public final class GatewayExtension implements BeforeAllCallback, AfterAllCallback {
    static final Duration WAIT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final UnaryOperator<GatewayOptions.Builder> customize;
    private LocalGateway gateway;
    private DynamoDbClient dynamo;
    private MembershipStore store;

    private GatewayExtension(UnaryOperator<GatewayOptions.Builder> customize) {
        this.customize = customize;
    }

    /** The gateway with API Gateway's limits. */
    public static GatewayExtension standard() {
        return new GatewayExtension(UnaryOperator.identity());
    }

    /** The gateway with options changed, e.g. a short idle timeout. */
    public static GatewayExtension with(UnaryOperator<GatewayOptions.Builder> customize) {
        return new GatewayExtension(customize);
    }

    /** The options tests start gateways with: free ports, quiet, the test secret. */
    public static GatewayOptions.Builder testOptions() {
        return GatewayOptions.builder(ProjectRoot.get().resolve("template.yaml"))
                .ports(0, 0)
                .quiet(true)
                .parameter("JwtSecret", TestTokens.SECRET);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    /** Starts the gateway (also usable outside JUnit's lifecycle, with try-with-resources on {@link #gateway()}). */
    public GatewayExtension start() {
        gateway = LocalGateway.start(customize.apply(testOptions()).build(), System.out);
        dynamo = DynamoDbClient.builder()
                .endpointOverride(URI.create(gateway.dynamoDbEndpoint()))
                .region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
        store = new DynamoDbMembershipStore(dynamo, gateway.tableName());
        return this;
    }

    /** Stops it, dynalite included. */
    public void stop() {
        if (dynamo != null) {
            dynamo.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    public LocalGateway gateway() {
        return gateway;
    }

    /** The membership table, read directly. */
    public MembershipStore store() {
        return store;
    }

    /** A DynamoDB client on the gateway's dynalite. */
    public DynamoDbClient dynamo() {
        return dynamo;
    }

    /** A real WebSocket client connected as {@code user}. */
    public TestClient connect(String user) {
        return TestClient.connect(gateway.webSocketUrl(), TestTokens.hs256(user));
    }

    /** Waits until {@code group} has {@code count} live members, and answers their ids. */
    public List<String> members(String group, int count) {
        Eventually.await(
                group + " has " + count + " live member(s)",
                WAIT,
                () -> store.members(GroupName.of(group), Instant.now()).count() == count);
        return store.members(GroupName.of(group), Instant.now())
                .map(ConnectionId::value)
                .toList();
    }

    /** A request to the HTTP API, e.g. {@code send("POST", "/notify", body)}. */
    public HttpResponse<String> send(String method, String path, String body) {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create(gateway.httpUrl() + path))
                            .header("Content-Type", "application/json")
                            .method(
                                    method,
                                    body == null
                                            ? HttpRequest.BodyPublishers.noBody()
                                            : HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(method + " " + path + " failed", e);
        }
    }

    /** A request that must answer 200; its body parsed. */
    public JsonNode call(String method, String path, String body) {
        HttpResponse<String> answer = send(method, path, body);
        if (answer.statusCode() != 200) {
            throw new AssertionError(method + " " + path + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return Json.parse(answer.body());
    }
}
