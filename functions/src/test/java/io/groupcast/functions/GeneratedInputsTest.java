package io.groupcast.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.sun.net.httpserver.HttpServer;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Json;
import io.groupcast.core.model.UserId;
import io.groupcast.core.store.dynamodb.DynamoDbMembershipStore;
import io.groupcast.core.store.dynamodb.DynamoDbTable;
import io.groupcast.core.testing.Dynalite;
import io.groupcast.core.testing.TestEnvironment;
import io.groupcast.core.testing.TestTokens;
import io.groupcast.standins.LoopbackManagementApi;
import io.groupcast.standins.ProjectRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Thousands of generated inputs at every edge, through the real handlers, dynalite and the loopback management API:
 * each gets a documented answer (a 4xx with the JSON error shape, a Deny, an error frame, or a valid success), no
 * exception escapes, no answer leaks internals, and the table is unchanged by every refused input.
 */
class GeneratedInputsTest {
    private static final int TRIES = 1000;
    private static final Map<String, AtomicInteger> TRIED = new ConcurrentHashMap<>();
    private static final List<String> LEAKS =
            List.of("Exception", "\tat ", "io.groupcast", "java.", "software.amazon", "com.fasterxml", "requestId");

    private static Dynalite dynalite;
    private static LoopbackManagementApi api;
    private static DynamoDbMembershipStore store;
    private static String table;
    private static List<Map<String, AttributeValue>> seeded;
    private static ServerApiHandler notify;
    private static WebSocketHandler webSocket;
    private static AuthorizeHandler authorize;
    private static HttpServer handler;
    private static final String DATA = "{\"data\":{\"ok\":true}}";
    private static final AtomicReference<String> REPLY = new AtomicReference<>(DATA);

    @BeforeContainer
    static void start() {
        dynalite = new Dynalite().start();
        api = LoopbackManagementApi.start();
        table = dynalite.createTable();
        store = new DynamoDbMembershipStore(new DynamoDbTable(dynalite.client(), table));
        Instant now = Instant.now();
        store.connect(Connection.opened(ConnectionId.of("k1="), UserId.of("kevin"), now));
        store.connect(Connection.opened(ConnectionId.of("b1="), UserId.of("bob"), now));
        store.join(ConnectionId.of("b1="), GroupName.of("room-42"), now.plusSeconds(3600));
        api.open("k1=");
        api.open("b1=");
        seeded = items();
        handler = replying();
        Map<String, String> env = new HashMap<>(TestEnvironment.of(dynalite, table, api));
        env.put("EVENT_HANDLER_URL", "http://127.0.0.1:" + handler.getAddress().getPort() + "/events");
        env.put("MAX_PUBLISHES_PER_SECOND", "1000");
        notify = new ServerApiHandler(Wiring.of(env));
        webSocket = new WebSocketHandler(Wiring.of(env));
        authorize = new AuthorizeHandler(Wiring.of(env));
    }

    @AfterContainer
    static void stop() {
        System.out.println("generated inputs tried: " + new TreeMap<>(TRIED));
        if (api != null) {
            api.close();
        }
        if (handler != null) {
            handler.stop(0);
        }
        if (dynalite != null) {
            dynalite.stop();
        }
    }

    /** An input that may be null (jqwik values may not), and the roles of the connection that sends a frame. */
    record Input(String text, boolean base64, Optional<String> roles) {
        Input(String text, boolean base64) {
            this(text, base64, Optional.empty());
        }
    }

    private static final List<String> CONTEXT_ROLES = List.of(
            "groupcast.joinLeaveGroup.room-*",
            "groupcast.joinLeaveGroup groupcast.sendToGroup",
            "groupcast.sendToGroup.room-42",
            "other-app.admin");

    @Provide
    Arbitrary<Input> notifyBodies() {
        return Arbitraries.randomValue(r -> new Input(Generated.notifyBody(r), r.nextInt(6) == 0));
    }

    @Provide
    Arbitrary<Input> frames() {
        return Arbitraries.randomValue(r -> new Input(
                Generated.frame(r),
                r.nextInt(8) == 0,
                r.nextInt(5) == 0
                        ? Optional.empty()
                        : Optional.of(CONTEXT_ROLES.get(r.nextInt(CONTEXT_ROLES.size())))));
    }

    @Provide
    Arbitrary<APIGatewayV2HTTPEvent> permissionRequests() {
        return Arbitraries.randomValue(GeneratedInputsTest::permissionRequest);
    }

    @Provide
    Arbitrary<AuthorizerCase> authorizerEvents() {
        return Arbitraries.randomValue(GeneratedInputsTest::authorizerCase);
    }

    @Provide
    Arbitrary<APIGatewayV2WebSocketEvent> connectEvents() {
        return Arbitraries.randomValue(GeneratedInputsTest::webSocketEvent);
    }

    @Property(tries = TRIES)
    void everyConnectOrDisconnectEventGetsAStatus_andMalformedOnesChangeNothing(
            @ForAll("connectEvents") APIGatewayV2WebSocketEvent event) {
        count("websocket events");

        APIGatewayV2WebSocketResponse answer = webSocket.handleRequest(event, null);

        assertThat(answer.getStatusCode()).isIn(200, 400);
        if (answer.getStatusCode() == 200
                && event.getRequestContext().getRouteKey().equals("$connect")) {
            store.disconnect(ConnectionId.of(event.getRequestContext().getConnectionId()));
        }
        assertThat(items())
                .as("a connect is undone here; refusals and disconnects of strangers change nothing")
                .containsExactlyInAnyOrderElementsOf(seeded);
    }

    @Property(tries = TRIES)
    void notifyAnswersEveryBodyWithAStatusAndJson_andRefusalsChangeNothing(@ForAll("notifyBodies") Input input) {
        count("notify bodies");
        int postsBefore = api.posts();
        var itemsBefore = items();
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setRouteKey("POST /notify");
        event.setBody(
                input.base64() && input.text() != null
                        ? Base64.getEncoder().encodeToString(input.text().getBytes(StandardCharsets.UTF_8))
                        : input.text());
        event.setIsBase64Encoded(input.base64());

        APIGatewayV2HTTPResponse answer = notify.handleRequest(event, null);

        assertThat(answer.getStatusCode()).isIn(200, 400, 413);
        JsonNode body = Json.parse(answer.getBody());
        if (answer.getStatusCode() == 200) {
            assertThat(body.path("recipients").isInt()).isTrue();
            assertThat(body.path("delivered").asInt() + body.path("gone").asInt())
                    .as("every recipient delivered, or gone (a connectionId no one holds)")
                    .isEqualTo(body.path("recipients").asInt());
        } else {
            assertErrorShape(body);
            assertThat(api.posts()).as("a refused notify posts nothing").isEqualTo(postsBefore);
        }
        assertThat(items().stream()
                        .filter(item -> !item.get("pk").s().startsWith("stream#"))
                        .toList())
                .as("notify changes nothing here but its streams' numbers and kept messages")
                .containsExactlyInAnyOrderElementsOf(seeded);
        if (answer.getStatusCode() != 200) {
            assertThat(items()).as("a refused notify changes nothing").containsExactlyInAnyOrderElementsOf(itemsBefore);
        }
    }

    @Property(tries = TRIES)
    void everyFrameGetsOneAckOrErrorFrame_andRefusalsChangeNothing(@ForAll("frames") Input input) {
        count("client frames");
        APIGatewayV2WebSocketEvent event =
                EventLoader.loadEvent(ProjectRoot.event("message.json"), APIGatewayV2WebSocketEvent.class);
        event.getRequestContext().setConnectionId("k1=");
        event.getRequestContext().setConnectedAt(System.currentTimeMillis());
        Map<String, Object> authorizer = new HashMap<>(event.getRequestContext().getAuthorizer());
        authorizer.remove("roles");
        input.roles().ifPresent(roles -> authorizer.put("roles", roles));
        event.getRequestContext().setAuthorizer(authorizer);
        event.setBody(
                input.base64() && input.text() != null
                        ? Base64.getEncoder().encodeToString(input.text().getBytes(StandardCharsets.UTF_8))
                        : input.text());
        event.setIsBase64Encoded(input.base64());
        int framesBefore = api.frames("k1=").size();

        APIGatewayV2WebSocketResponse answer = webSocket.handleRequest(event, null);

        List<String> frames = api.frames("k1=");
        assertThat(frames).hasSize(framesBefore + 1);
        JsonNode frame = Json.parse(frames.get(frames.size() - 1));
        String type = frame.path("type").asText();
        assertThat(type).isIn("ack", "error", "pong");
        assertThat(answer.getStatusCode()).isEqualTo(type.equals("error") ? 400 : 200);
        if (type.equals("error")) {
            assertErrorShape(frame);
            assertThat(items()).as("a refused frame changes nothing").containsExactlyInAnyOrderElementsOf(seeded);
        } else {
            restore();
        }
    }

    /** An event handler on loopback that answers whatever {@link #REPLY} holds, as its body, with 200. */
    private static HttpServer replying() {
        try {
            // answers in one packet: without it Nagle holds each body back about 40 ms
            System.setProperty("sun.net.httpserver.nodelay", "true");
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                byte[] body = REPLY.get().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Provide
    Arbitrary<String> handlerReplies() {
        return Arbitraries.randomValue(Generated::handlerReply);
    }

    /** Fewer tries: each is a round trip to the loopback handler besides the frame's own. */
    @Property(tries = TRIES / 4)
    void everyHandlerReplyGivesTheClientItsDataItsRefusalOrHandlerFailed(@ForAll("handlerReplies") String reply) {
        count("handler replies");
        REPLY.set(reply);
        try {
            answersTheReply(reply);
        } finally {
            REPLY.set(DATA);
            restore();
        }
    }

    private void answersTheReply(String reply) {
        APIGatewayV2WebSocketEvent event =
                EventLoader.loadEvent(ProjectRoot.event("message.json"), APIGatewayV2WebSocketEvent.class);
        event.getRequestContext().setConnectionId("k1=");
        event.getRequestContext().setConnectedAt(System.currentTimeMillis());
        event.setBody("{\"action\":\"event\",\"event\":\"chat.send\",\"data\":{\"text\":\"hi\"},\"ackId\":4}");
        int framesBefore = api.frames("k1=").size();

        APIGatewayV2WebSocketResponse answer = webSocket.handleRequest(event, null);

        List<String> frames = api.frames("k1=");
        assertThat(frames).hasSize(framesBefore + 1);
        JsonNode frame = Json.parse(frames.get(frames.size() - 1));
        assertThat(frame.path("ackId").asLong()).isEqualTo(4);
        // what the handler sent: a lone surrogate does not survive UTF-8 on the wire
        JsonNode parsed = parsedOrNull(new String(reply.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
        boolean refusing = parsed != null && parsed.hasNonNull("error");
        boolean data = parsed != null && parsed.isObject() && !refusing && (parsed.has("data") || parsed.isEmpty());
        boolean refusal = parsed != null
                && parsed.isObject()
                && parsed.path("error").path("code").isTextual()
                && parsed.path("error").path("code").asText().matches("[A-Za-z0-9_.:-]{1,64}")
                && (parsed.path("error").path("message").isTextual()
                                && parsed.path("error").path("message").asText().length() <= 1024
                        || parsed.path("error").path("message").isMissingNode()
                        || parsed.path("error").path("message").isNull());
        if (data && Json.bytes(parsed.path("data")).length <= 128 * 1024 - 512) {
            assertThat(frame.path("type").asText()).isEqualTo("ack");
            assertThat(frame.get("data")).isEqualTo(parsed.isEmpty() ? NullNode.getInstance() : parsed.get("data"));
            assertThat(answer.getStatusCode()).isEqualTo(200);
        } else if (refusal) {
            assertThat(frame.path("error").asText())
                    .isEqualTo(parsed.path("error").path("code").asText());
            assertThat(answer.getStatusCode()).isEqualTo(400);
        } else {
            assertThat(frame.path("error").asText()).isEqualTo("handler_failed");
            assertThat(frame.path("message").asText()).isEqualTo("the event handler failed; the stack's logs say why");
            assertThat(answer.getStatusCode()).isEqualTo(400);
        }
        assertThat(frames.get(frames.size() - 1).getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(128 * 1024);
    }

    private static JsonNode parsedOrNull(String text) {
        try {
            return Json.parse(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Deletes what an accepted input added (a membership, a grant, a publish counter) and puts back what it changed
     * (a connection's count of groups): back to the seeded items.
     */
    private static void restore() {
        List<Map<String, AttributeValue>> now = items();
        for (Map<String, AttributeValue> item : now) {
            if (!seeded.contains(item)) {
                dynalite.client()
                        .deleteItem(b -> b.tableName(table).key(Map.of("pk", item.get("pk"), "sk", item.get("sk"))));
            }
        }
        for (Map<String, AttributeValue> item : seeded) {
            if (!now.contains(item)) {
                dynalite.client().putItem(b -> b.tableName(table).item(item));
            }
        }
        assertThat(items()).containsExactlyInAnyOrderElementsOf(seeded);
    }

    @Property(tries = TRIES)
    void everyPermissionRequestGetsAnAnswer_andRefusalsChangeNothing(
            @ForAll("permissionRequests") APIGatewayV2HTTPEvent event) {
        count("permission requests");

        APIGatewayV2HTTPResponse answer = notify.handleRequest(event, null);

        assertThat(answer.getStatusCode()).isIn(200, 400, 403, 404);
        JsonNode body = Json.parse(answer.getBody());
        if (answer.getStatusCode() == 200) {
            assertThat(body.path("granted").isBoolean()).as(body.toString()).isTrue();
            if (!event.getRouteKey().startsWith("GET")) {
                assertThat(body.path("granted").asBoolean())
                        .as("PUT grants, DELETE revokes")
                        .isEqualTo(event.getRouteKey().startsWith("PUT"));
            }
            restore();
        } else {
            assertErrorShape(body);
            assertThat(items()).as("a refused request changes nothing").containsExactlyInAnyOrderElementsOf(seeded);
        }
    }

    private static APIGatewayV2HTTPEvent permissionRequest(Random random) {
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        String method = List.of("PUT", "DELETE", "GET").get(random.nextInt(3));
        event.setRouteKey(method + " /connections/{connectionId}/permissions/{permission}");
        Map<String, String> path = new HashMap<>();
        if (random.nextInt(10) > 0) {
            path.put(
                    "connectionId",
                    List.of("k1=", "b1=", "gone=", Generated.string(random)).get(random.nextInt(4)));
        }
        if (random.nextInt(10) > 0) {
            path.put(
                    "permission",
                    List.of("joinLeaveGroup", "sendToGroup", "JoinLeaveGroup", Generated.string(random))
                            .get(random.nextInt(4)));
        }
        event.setPathParameters(path);
        if (random.nextBoolean()) {
            Map<String, String> query = new HashMap<>();
            query.put(
                    "group",
                    List.of("room-42", "room-*", "*", "", "user:kevin", "groupcast:priming", Generated.string(random))
                            .get(random.nextInt(7)));
            event.setQueryStringParameters(query);
        }
        if (random.nextInt(5) == 0) {
            event.setBody(Generated.value(random, 2));
        }
        return event;
    }

    record AuthorizerCase(APIGatewayCustomAuthorizerEvent event, boolean valid) {}

    @Property(tries = TRIES)
    void theAuthorizerAllowsOnlyValidTokens_andNeverThrows(@ForAll("authorizerEvents") AuthorizerCase input) {
        count("authorizer events");

        CapturedLogs captured = new CapturedLogs("AuthorizeFunction");
        IamPolicyResponse answer = authorize.handleRequest(input.event(), captured.context());
        String log = String.join("\n", captured.lines());

        String effect = Json.mapper()
                .valueToTree(answer.getPolicyDocument())
                .path("Statement")
                .path(0)
                .path("Effect")
                .asText();
        assertThat(effect).isEqualTo(input.valid() ? "Allow" : "Deny");
        assertThat(answer.getPrincipalId()).isNotBlank();
        if (!input.valid()) {
            assertThat(answer.getContext()).isNull();
        } else if (answer.getContext().containsKey("roles")) {
            String roles = String.valueOf(answer.getContext().get("roles"));
            assertThat(roles).hasSizeLessThanOrEqualTo(4096);
            assertThat(roles.split(" ")).allMatch(role -> role.startsWith("groupcast."));
        }
        assertThat(log).as("the authorizer logs every decision").isNotEmpty();
        for (String token : tokensIn(input.event())) {
            assertThat(log.toString()).as("a token is never logged").doesNotContain(token);
        }
    }

    /** The tokens (or parts long enough to identify one) an event carries. */
    private static List<String> tokensIn(APIGatewayCustomAuthorizerEvent event) {
        List<String> tokens = new ArrayList<>();
        if (event.getQueryStringParameters() != null) {
            tokens.add(event.getQueryStringParameters().get("token"));
        }
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((name, value) -> {
                if ("authorization".equalsIgnoreCase(name) && value != null) {
                    tokens.add(value.replaceFirst("^(?i)(bearer |basic |bearer)", ""));
                }
            });
        }
        tokens.removeIf(t -> t == null || t.length() < 24);
        return tokens;
    }

    private static AuthorizerCase authorizerCase(Random random) {
        APIGatewayCustomAuthorizerEvent event = new APIGatewayCustomAuthorizerEvent();
        event.setMethodArn(random.nextInt(5) == 0 ? null : "arn:aws:execute-api:us-east-1:1:api/prod/$connect");
        boolean signed = random.nextInt(4) == 0;
        boolean withRoles = random.nextBoolean();
        Generated.Roles roles = Generated.roles(random);
        String user = List.of("kevin", "bob", "a.b@c", "x".repeat(128)).get(random.nextInt(4));
        String token = signed
                ? TestTokens.hs256(TestTokens.SECRET, claims -> {
                    claims.subject(user).expirationTime(Date.from(Instant.now().plusSeconds(3600)));
                    return withRoles ? claims.claim("roles", roles.claim()) : claims;
                })
                : Generated.token(random);
        boolean valid = signed && (!withRoles || roles.valid());
        Map<String, String> query = random.nextInt(6) == 0 ? null : new HashMap<>();
        Map<String, String> headers = random.nextInt(6) == 0 ? null : new HashMap<>();
        if (signed) {
            if (query != null && random.nextBoolean()) {
                query.put("token", token);
            } else {
                headers = new HashMap<>();
                headers.put(random.nextBoolean() ? "Authorization" : "authorization", "Bearer " + token);
                if (query != null) {
                    query.remove("token");
                }
            }
        } else {
            if (query != null && random.nextBoolean()) {
                query.put("token", token);
            }
            if (headers != null && random.nextBoolean()) {
                headers.put(
                        "Authorization",
                        List.of("Bearer ", "Basic ", "", "bearer").get(random.nextInt(4)) + token);
            }
        }
        if (query != null && random.nextBoolean()) {
            query.put(Generated.string(random), Generated.string(random));
        }
        event.setQueryStringParameters(query);
        event.setHeaders(headers);
        return new AuthorizerCase(event, valid);
    }

    private static APIGatewayV2WebSocketEvent webSocketEvent(Random random) {
        APIGatewayV2WebSocketEvent event =
                EventLoader.loadEvent(ProjectRoot.event("connect.json"), APIGatewayV2WebSocketEvent.class);
        APIGatewayV2WebSocketEvent.RequestContext context = event.getRequestContext();
        switch (random.nextInt(7)) {
            case 0 -> event.setRequestContext(null);
            case 1 -> context.setConnectionId(random.nextBoolean() ? null : Generated.string(random));
            case 2 -> context.setAuthorizer(random.nextBoolean() ? null : new HashMap<>(Map.of("other", "x")));
            case 3 -> context.setAuthorizer(new HashMap<>(Map.of("userId", Generated.string(random))));
            case 4 -> context.setConnectedAt(random.nextBoolean() ? 0 : -random.nextInt(1000));
            case 5 -> context.setAuthorizer(new HashMap<>(Map.of("userId", 42)));
            default -> {
                context.setConnectionId("gen-" + random.nextInt(1_000_000) + "=");
                context.setConnectedAt(System.currentTimeMillis());
            }
        }
        if (event.getRequestContext() != null && random.nextInt(3) == 0) {
            event.getRequestContext().setRouteKey("$disconnect");
        }
        return event;
    }

    private static void assertErrorShape(JsonNode body) {
        assertThat(body.path("error").asText()).matches("[a-z_]+");
        assertThat(body.path("message").asText()).isNotBlank();
        String text = body.toString();
        for (String leak : LEAKS) {
            assertThat(text).as("an answer must not leak " + leak).doesNotContain(leak);
        }
    }

    private static List<Map<String, AttributeValue>> items() {
        return dynalite.client().scanPaginator(b -> b.tableName(table).consistentRead(true)).items().stream()
                .toList();
    }

    private static void count(String kind) {
        TRIED.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    }
}
