package io.groupcast.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Json;
import io.groupcast.core.store.dynamodb.DynamoDbMembershipStore;
import io.groupcast.core.store.dynamodb.DynamoDbTable;
import io.groupcast.core.testing.ClassResource;
import io.groupcast.core.testing.Dynalite;
import io.groupcast.core.testing.TestTokens;
import io.groupcast.standins.ProjectRoot;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The local gateway, started before a test class and stopped after it (register with {@code @RegisterExtension
 * static}): quiet, on free ports, tokens signed with {@link TestTokens#SECRET}, with a DynamoDB client on its
 * dynalite and the HTTP calls the tests make.
 */
public final class GatewayExtension extends ClassResource {
    static final Duration WAIT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<String> extraArgs;
    private LocalGateway gateway;
    private DynamoDbClient dynamo;
    private DynamoDbMembershipStore store;

    private GatewayExtension(List<String> extraArgs) {
        this.extraArgs = List.copyOf(extraArgs);
    }

    /** The gateway with API Gateway's limits. */
    public static GatewayExtension standard() {
        return new GatewayExtension(List.of());
    }

    /** The gateway started with more command-line options, e.g. {@code --idle-timeout 1}. */
    public static GatewayExtension with(String... args) {
        return new GatewayExtension(List.of(args));
    }

    /** The command line tests start gateways with: free ports, quiet, the test secret, then {@code extra}. */
    public static GatewayOptions options(List<String> extra) {
        List<String> args = new ArrayList<>(List.of(
                "--ws-port",
                "0",
                "--http-port",
                "0",
                "--quiet",
                "--template",
                ProjectRoot.get().resolve("template.yaml").toString(),
                "--parameter",
                "JwtSecret=" + TestTokens.SECRET));
        args.addAll(extra);
        return GatewayOptions.parse(args, Map.of());
    }

    /** Starts the gateway (also usable outside JUnit's lifecycle, with try-with-resources on {@link #gateway()}). */
    @Override
    public GatewayExtension start() {
        gateway = LocalGateway.start(options(extraArgs), System.out);
        dynamo = Dynalite.clientFor(URI.create(gateway.dynamoDbEndpoint()));
        store = new DynamoDbMembershipStore(new DynamoDbTable(dynamo, gateway.tableName()));
        return this;
    }

    /** Stops it, dynalite included. */
    @Override
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
    public DynamoDbMembershipStore store() {
        return store;
    }

    /** A DynamoDB client on the gateway's dynalite. */
    public DynamoDbClient dynamo() {
        return dynamo;
    }

    /** A real WebSocket client connected as {@code user}, its token carrying these Groupcast roles. */
    public TestClient connect(String user, String... roles) {
        return TestClient.connect(gateway.webSocketUrl(), TestTokens.hs256(user, roles));
    }

    /** {@code count} real WebSocket clients of {@code user} (its tabs), once all are live members of its group. */
    public List<TestClient> tabs(String user, int count) {
        List<TestClient> tabs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tabs.add(connect(user));
        }
        members("user:" + user, count);
        return tabs;
    }

    /** A path segment percent-encoded, as a connection id must be in a route. */
    public static String encoded(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8);
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

    /**
     * A request that must be refused with Groupcast's error shape: answers its status and code, e.g.
     * {@code 404 not_found}.
     */
    public String refusal(String method, String path, String body) {
        HttpResponse<String> answer = send(method, path, body);
        JsonNode error = Json.parse(answer.body());
        if (answer.statusCode() == 200 || error.path("message").asText().isBlank()) {
            throw new AssertionError(
                    method + " " + path + " was not refused: " + answer.statusCode() + " " + answer.body());
        }
        return answer.statusCode() + " " + error.path("error").asText();
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
