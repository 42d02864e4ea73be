package io.groupcast.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.groupcast.core.DynamoDbMembershipStore;
import io.groupcast.core.GroupName;
import io.groupcast.core.Json;
import io.groupcast.core.MembershipStore;
import io.groupcast.core.testing.TestTokens;
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
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Every server API operation through the local gateway, with real WebSocket clients receiving what it does. */
class ServerApiTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static LocalGateway gateway;
    private static DynamoDbClient dynamo;
    private static MembershipStore store;

    @BeforeAll
    static void start() {
        gateway = LocalGateway.start(LocalGatewayTest.options(Duration.ofMinutes(10), Duration.ofHours(2)),
                LocalGatewayTest.quietOut());
        dynamo = LocalGatewayTest.dynamoDb(gateway);
        store = new DynamoDbMembershipStore(dynamo, DevDefaults.TABLE_NAME);
    }

    @AfterAll
    static void stop() {
        dynamo.close();
        gateway.close();
    }

    @Test
    void shouldAddAndRemoveOneConnection_andSendToItAlone() {
        TestClient tab1 = connect("ann");
        TestClient tab2 = connect("ann");
        List<String> ids = ids("user:ann", 2);

        assertThat(call("PUT", "/groups/room+1@x/connections/" + enc(ids.get(0)), null).path("member").asBoolean())
                .isTrue();
        assertThat(status("PUT", "/groups/room-1/connections/nobody%3D", null)).isEqualTo(404);
        assertThat(status("PUT", "/groups/user:bob/connections/" + enc(ids.get(0)), null)).isEqualTo(403);
        assertThat(call("POST", "/notify", "{\"group\":\"room+1@x\",\"message\":\"to the room\"}")
                .path("delivered").asInt()).isEqualTo(1);
        assertThat(call("POST", "/notify", "{\"connectionId\":\"" + ids.get(1) + "\",\"message\":\"just you\"}")
                .path("delivered").asInt()).isEqualTo(1);
        call("DELETE", "/groups/room+1@x/connections/" + enc(ids.get(0)), null);

        assertThat(call("GET", "/groups/room+1@x", null).path("connections").asInt()).isZero();
        assertThat(List.of(tab1.next(WAIT), tab2.next(WAIT))).containsExactlyInAnyOrder("\"to the room\"", "\"just you\"");
        assertThat(tab1.received().size() + tab2.received().size()).isEqualTo(2);
    }

    @Test
    void shouldLinkAUser_reachingConnectionsNowAndLater_andUnlink() {
        TestClient before = connect("bea");
        ids("user:bea", 1);

        JsonNode linked = call("PUT", "/groups/team/users/bea", "{\"ttlSeconds\":3600}");
        TestClient after = connect("bea");
        ids("user:bea", 2);
        Eventually.await("both of bea's connections in team", WAIT,
                () -> store.members(GroupName.of("team"), Instant.now()).count() == 2);
        JsonNode sent = call("POST", "/notify", "{\"groups\":[\"team\",\"user:bea\"],\"message\":1}");

        assertThat(linked.path("expiresAt").asLong()).isBetween(Instant.now().getEpochSecond() + 3500,
                Instant.now().getEpochSecond() + 3700);
        assertThat(sent.path("recipients").asInt()).as("a connection in two named groups gets one frame").isEqualTo(2);
        assertThat(before.next(WAIT)).isEqualTo("1");
        assertThat(after.next(WAIT)).isEqualTo("1");

        call("DELETE", "/groups/team/users/bea", null);
        TestClient later = connect("bea");
        ids("user:bea", 3);
        assertThat(call("GET", "/groups/team", null).path("connections").asInt()).isZero();
        assertThat(status("PUT", "/groups/team/users/bea", "{\"ttlSeconds\":0}")).isEqualTo(400);
        assertThat(status("PUT", "/groups/team/users/bea", "{\"ttl\":5}")).isEqualTo(400);
        later.close();
    }

    @Test
    void shouldRemoveAUserFromAllGroups() {
        TestClient client = connect("cy");
        String id = ids("user:cy", 1).get(0);
        call("PUT", "/groups/g1/users/cy", null);
        call("PUT", "/groups/g2/connections/" + enc(id), null);
        client.send("{\"action\":\"join\",\"group\":\"g3\"}");
        assertThat(client.next(WAIT)).contains("\"ack\"");

        JsonNode answer = call("DELETE", "/users/cy/groups", null);

        assertThat(answer.path("groupsLeft").asInt()).isEqualTo(3);
        assertThat(store.groupsOf(io.groupcast.core.ConnectionId.of(id), Instant.now()))
                .containsExactly(GroupName.of("user:cy"));
        assertThat(store.links(io.groupcast.core.UserId.of("cy"), Instant.now())).isEmpty();
    }

    @Test
    void shouldAnswerPresence_andListConnectionsPageByPage_andForgetAbruptDrops() {
        List<TestClient> tabs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            tabs.add(connect("dee"));
        }
        List<String> ids = ids("user:dee", 5);

        JsonNode presence = call("GET", "/users/dee", null);
        Set<String> listed = new TreeSet<>();
        String next = null;
        int pages = 0;
        do {
            JsonNode page = call("GET", "/users/dee/connections?limit=2" + (next == null ? "" : "&next=" + enc(next)), null);
            page.path("connections").forEach(c -> listed.add(c.asText()));
            next = page.path("next").isNull() ? null : page.path("next").asText();
            pages++;
        } while (next != null && pages < 10);

        assertThat(presence.path("online").asBoolean()).isTrue();
        assertThat(presence.path("connections").asInt()).isEqualTo(5);
        assertThat(listed).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(pages).isGreaterThanOrEqualTo(3);
        assertThat(status("GET", "/users/dee/connections?limit=0", null)).isEqualTo(400);

        tabs.forEach(TestClient::drop);
        Eventually.await("dee offline after abrupt drops", WAIT,
                () -> !call("GET", "/users/dee", null).path("online").asBoolean());
        assertThat(call("GET", "/users/dee/connections", null).path("connections")).isEmpty();
    }

    @Test
    void shouldCloseOneConnection_aUsersConnections_andAGroupsConnections() {
        TestClient one = connect("eve");
        TestClient two = connect("eve");
        TestClient other = connect("fay");
        String otherId = ids("user:fay", 1).get(0);
        List<String> eve = ids("user:eve", 2);
        call("PUT", "/groups/closing/connections/" + enc(otherId), null);

        JsonNode single = call("DELETE", "/connections/" + enc(eve.get(0)), null);
        JsonNode again = call("DELETE", "/connections/" + enc(eve.get(0)), null);
        JsonNode user = call("DELETE", "/users/eve/connections", null);
        JsonNode group = call("DELETE", "/groups/closing/connections", null);

        assertThat(single.path("closed").asInt()).isEqualTo(1);
        assertThat(again.path("gone").asInt()).isEqualTo(1);
        assertThat(user.path("closed").asInt()).isEqualTo(1);
        assertThat(group.path("closed").asInt()).isEqualTo(1);
        assertThat(List.of(one.closeCode(WAIT), two.closeCode(WAIT), other.closeCode(WAIT))).allMatch(code -> code > 0);
        Eventually.await("every membership gone", WAIT, () -> call("GET", "/users/eve", null).path("connections").asInt() == 0
                && call("GET", "/users/fay", null).path("connections").asInt() == 0);
        assertThat(store.groupsOf(io.groupcast.core.ConnectionId.of(otherId), Instant.now())).isEmpty();
    }

    @Test
    void shouldShowTheMetricsTheFunctionsEmitted_atGetMetrics() {
        TestClient client = connect("gus");
        ids("user:gus", 1);
        JsonNode before = call("GET", "/metrics", null).path("metrics");

        call("POST", "/notify", "{\"user\":\"gus\",\"message\":\"m\"}");
        JsonNode after = call("GET", "/metrics", null);

        assertThat(client.next(WAIT)).isEqualTo("\"m\"");
        assertThat(after.path("namespace").asText()).isEqualTo("Groupcast");
        JsonNode metrics = after.path("metrics");
        assertThat(metrics.path("Delivered").path("sum").asDouble() - before.path("Delivered").path("sum").asDouble())
                .isEqualTo(1.0);
        assertThat(metrics.path("NotifyRequests").path("count").asLong()
                - before.path("NotifyRequests").path("count").asLong()).isEqualTo(1);
        assertThat(metrics.path("FanoutDuration").path("unit").asText()).isEqualTo("Milliseconds");
        assertThat(metrics.path("ConnectionsOpened").path("sum").asDouble()).isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void shouldPrettyPrintLogAndMetricLinesForATerminal() {
        String log = LocalLogger.pretty(Json.parse("{\"level\":\"INFO\",\"message\":\"connected\",\"requestId\":\"r\","
                + "\"function\":\"ConnectFunction\",\"connectionId\":\"c=\",\"userId\":\"kim\"}"), false);
        String metric = LocalLogger.pretty(Json.parse("{\"_aws\":{\"CloudWatchMetrics\":[{\"Namespace\":\"G\","
                + "\"Metrics\":[{\"Name\":\"Delivered\",\"Unit\":\"Count\"}]}]},\"Delivered\":3,"
                + "\"function\":\"NotifyFunction\"}"), true);

        assertThat(log).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  ConnectFunction connected connectionId=c= userId=kim");
        assertThat(metric).endsWith("METRIC NotifyFunction Delivered=3");
    }

    @Test
    void shouldRefuseUnknownRoutesAndBadNames_withTheErrorShape() {
        HttpResponse<String> unknown = send("GET", "/nothing/here", null);
        HttpResponse<String> badGroup = send("GET", "/groups/a%20b", null);
        HttpResponse<String> badCursor = send("GET", "/groups/x/connections?next=%20", null);

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(badGroup.statusCode()).isEqualTo(400);
        assertThat(Json.parse(badGroup.body()).path("error").asText()).isEqualTo("invalid_group");
        assertThat(badCursor.statusCode()).isEqualTo(400);
    }

    private static TestClient connect(String user) {
        return TestClient.connect(gateway.webSocketUrl(), TestTokens.hs256(user));
    }

    private static List<String> ids(String group, int count) {
        Eventually.await(group + " has " + count + " live member(s)", WAIT,
                () -> store.members(GroupName.of(group), Instant.now()).count() == count);
        return store.members(GroupName.of(group), Instant.now()).map(io.groupcast.core.ConnectionId::value).toList();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static JsonNode call(String method, String path, String body) {
        HttpResponse<String> answer = send(method, path, body);
        assertThat(answer.statusCode()).as(method + " " + path + ": " + answer.body()).isEqualTo(200);
        return Json.parse(answer.body());
    }

    private static int status(String method, String path, String body) {
        HttpResponse<String> answer = send(method, path, body);
        JsonNode error = Json.parse(answer.body());
        if (answer.statusCode() != 200) {
            assertThat(error.path("error").asText()).isNotBlank();
            assertThat(error.path("message").asText()).isNotBlank();
        }
        return answer.statusCode();
    }

    private static HttpResponse<String> send(String method, String path, String body) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(gateway.httpUrl() + path))
                    .header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
