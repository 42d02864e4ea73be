package io.groupcast.local;

import static io.groupcast.local.GatewayExtension.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Json;
import io.groupcast.core.model.UserId;
import io.groupcast.core.store.dynamodb.DynamoDbLinkStore;
import io.groupcast.core.testing.TestTokens;
import io.groupcast.local.lambda.LocalLogger;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every server API operation through the local gateway, with real WebSocket clients receiving what it does. */
class ServerApiTest {
    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.standard();

    @Test
    void shouldAddAndRemoveOneConnection_andSendToItAlone() {
        TestClient tab1 = GATEWAY.connect("ann");
        TestClient tab2 = GATEWAY.connect("ann");
        List<String> ids = GATEWAY.members("user:ann", 2);

        assertThat(call("PUT", "/groups/room+1@x/connections/" + enc(ids.get(0)), null)
                        .path("member")
                        .asBoolean())
                .isTrue();
        assertThat(GATEWAY.refusal("PUT", "/groups/room-1/connections/nobody%3D", null))
                .isEqualTo("404 connection_not_found");
        assertThat(GATEWAY.refusal("PUT", "/groups/user:bob/connections/" + enc(ids.get(0)), null))
                .isEqualTo("403 reserved_group");
        assertThat(call("POST", "/notify", "{\"group\":\"room+1@x\",\"message\":\"to the room\"}")
                        .path("delivered")
                        .asInt())
                .isEqualTo(1);
        assertThat(call("POST", "/notify", "{\"connectionId\":\"" + ids.get(1) + "\",\"message\":\"just you\"}")
                        .path("delivered")
                        .asInt())
                .isEqualTo(1);
        call("DELETE", "/groups/room+1@x/connections/" + enc(ids.get(0)), null);

        assertThat(call("GET", "/groups/room+1@x", null).path("connections").asInt())
                .isZero();
        assertThat(List.of(tab1.next(WAIT), tab2.next(WAIT)))
                .containsExactlyInAnyOrder("\"to the room\"", "\"just you\"");
        assertThat(tab1.received().size() + tab2.received().size()).isEqualTo(2);
    }

    @Test
    void shouldLinkAUser_reachingConnectionsNowAndLater_andUnlink() {
        TestClient before = GATEWAY.connect("bea");
        GATEWAY.members("user:bea", 1);

        JsonNode linked = call("PUT", "/groups/team/users/bea", "{\"ttlSeconds\":3600}");
        TestClient after = GATEWAY.connect("bea");
        GATEWAY.members("user:bea", 2);
        GATEWAY.members("team", 2);
        JsonNode sent = call("POST", "/notify", "{\"groups\":[\"team\",\"user:bea\"],\"message\":1}");

        assertThat(linked.path("expiresAt").asLong())
                .isBetween(Instant.now().getEpochSecond() + 3500, Instant.now().getEpochSecond() + 3700);
        assertThat(sent.path("recipients").asInt())
                .as("a connection in two named groups gets one frame")
                .isEqualTo(2);
        assertThat(before.next(WAIT)).isEqualTo("1");
        assertThat(after.next(WAIT)).isEqualTo("1");

        call("DELETE", "/groups/team/users/bea", null);
        TestClient later = GATEWAY.connect("bea");
        GATEWAY.members("user:bea", 3);
        assertThat(call("GET", "/groups/team", null).path("connections").asInt())
                .isZero();
        assertThat(GATEWAY.refusal("PUT", "/groups/team/users/bea", "{\"ttlSeconds\":0}"))
                .isEqualTo("400 invalid_ttl");
        assertThat(GATEWAY.refusal("PUT", "/groups/team/users/bea", "{\"ttl\":5}"))
                .isEqualTo("400 unknown_field");
        later.close();
    }

    @Test
    void shouldRemoveAUserFromAllGroups() {
        TestClient client = GATEWAY.connect("cy", TestTokens.JOIN_ANY);
        String id = GATEWAY.members("user:cy", 1).get(0);
        call("PUT", "/groups/g1/users/cy", null);
        call("PUT", "/groups/g2/connections/" + enc(id), null);
        client.send("{\"action\":\"join\",\"group\":\"g3\"}");
        assertThat(client.next(WAIT)).contains("\"ack\"");

        JsonNode answer = call("DELETE", "/users/cy/groups", null);

        assertThat(answer.path("groupsLeft").asInt()).isEqualTo(3);
        assertThat(GATEWAY.store().groupsOf(ConnectionId.of(id), Instant.now()))
                .containsExactly(GroupName.of("user:cy"));
        assertThat(new DynamoDbLinkStore(GATEWAY.store().table()).links(UserId.of("cy"), Instant.now()))
                .isEmpty();
    }

    @Test
    void shouldAnswerAUsersPresence() {
        for (int i = 0; i < 3; i++) {
            GATEWAY.connect("dee");
        }
        GATEWAY.members("user:dee", 3);

        JsonNode presence = call("GET", "/users/dee", null);
        JsonNode absent = call("GET", "/users/nobody-here", null);

        assertThat(presence.path("online").asBoolean()).isTrue();
        assertThat(presence.path("connections").asInt()).isEqualTo(3);
        assertThat(absent.path("online").asBoolean()).isFalse();
    }

    @Test
    void shouldListConnectionsPageByPage() {
        for (int i = 0; i < 5; i++) {
            GATEWAY.connect("dan");
        }
        List<String> ids = GATEWAY.members("user:dan", 5);

        Set<String> listed = new TreeSet<>();
        String next = null;
        int pages = 0;
        do {
            JsonNode page =
                    call("GET", "/users/dan/connections?limit=2" + (next == null ? "" : "&next=" + enc(next)), null);
            page.path("connections").forEach(c -> listed.add(c.asText()));
            next = page.path("next").isNull() ? null : page.path("next").asText();
            pages++;
        } while (next != null && pages < 10);

        assertThat(listed).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(pages).isGreaterThanOrEqualTo(3);
        assertThat(GATEWAY.refusal("GET", "/users/dan/connections?limit=0", null))
                .isEqualTo("400 invalid_limit");
    }

    @Test
    void shouldForgetConnectionsThatDroppedAbruptly() {
        List<TestClient> tabs = GATEWAY.tabs("dot", 3);

        tabs.forEach(TestClient::drop);

        Eventually.await(
                "dot offline after abrupt drops",
                WAIT,
                () -> !call("GET", "/users/dot", null).path("online").asBoolean());
        assertThat(call("GET", "/users/dot/connections", null).path("connections"))
                .isEmpty();
    }

    @Test
    void shouldCloseOneConnection_andCountItGoneWhenClosedAgain() {
        TestClient one = GATEWAY.connect("eve");
        String id = GATEWAY.members("user:eve", 1).get(0);

        JsonNode first = call("DELETE", "/connections/" + enc(id), null);
        assertThat(one.closeCode(WAIT)).isEqualTo(1000);
        GATEWAY.members("user:eve", 0);
        JsonNode again = call("DELETE", "/connections/" + enc(id), null);

        assertThat(first.path("closed").asInt()).isEqualTo(1);
        assertThat(again.path("gone").asInt()).isEqualTo(1);
    }

    @Test
    void shouldCloseEveryConnectionOfAUser() {
        TestClient one = GATEWAY.connect("fay");
        TestClient two = GATEWAY.connect("fay");
        TestClient other = GATEWAY.connect("gil");
        GATEWAY.members("user:fay", 2);
        GATEWAY.members("user:gil", 1);

        JsonNode closed = call("DELETE", "/users/fay/connections", null);

        assertThat(closed.path("closed").asInt()).isEqualTo(2);
        assertThat(List.of(one.closeCode(WAIT), two.closeCode(WAIT))).containsOnly(1000);
        GATEWAY.members("user:fay", 0);
        assertThat(other.isOpen()).isTrue();
    }

    @Test
    void shouldCloseEveryConnectionInAGroup() {
        TestClient member = GATEWAY.connect("hal");
        TestClient outsider = GATEWAY.connect("ida");
        String id = GATEWAY.members("user:hal", 1).get(0);
        GATEWAY.members("user:ida", 1);
        call("PUT", "/groups/closing/connections/" + enc(id), null);

        JsonNode closed = call("DELETE", "/groups/closing/connections", null);

        assertThat(closed.path("closed").asInt()).isEqualTo(1);
        assertThat(member.closeCode(WAIT)).isEqualTo(1000);
        GATEWAY.members("user:hal", 0);
        // $disconnect deletes the connection's record last: wait for it
        Eventually.await(
                "the closed connection's record is gone",
                WAIT,
                () -> GATEWAY.store()
                        .groupsOf(ConnectionId.of(id), Instant.now())
                        .isEmpty());
        assertThat(outsider.isOpen()).isTrue();
    }

    @Test
    void shouldShowTheMetricsTheFunctionsEmitted_atGetMetrics() {
        TestClient client = GATEWAY.connect("gus");
        GATEWAY.members("user:gus", 1);
        JsonNode before = call("GET", "/metrics", null).path("metrics");

        call("POST", "/notify", "{\"user\":\"gus\",\"message\":\"m\"}");
        JsonNode after = call("GET", "/metrics", null);

        assertThat(client.next(WAIT)).isEqualTo("\"m\"");
        assertThat(after.path("namespace").asText()).isEqualTo("Groupcast");
        JsonNode metrics = after.path("metrics");
        assertThat(metrics.path("Delivered").path("sum").asDouble()
                        - before.path("Delivered").path("sum").asDouble())
                .isEqualTo(1.0);
        assertThat(metrics.path("NotifyRequests").path("count").asLong()
                        - before.path("NotifyRequests").path("count").asLong())
                .isEqualTo(1);
        assertThat(metrics.path("FanoutDuration").path("unit").asText()).isEqualTo("Milliseconds");
        assertThat(metrics.path("ConnectionsOpened").path("sum").asDouble()).isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void shouldPrettyPrintLogAndMetricLinesForATerminal() {
        String log = LocalLogger.pretty(
                Json.parse("{\"level\":\"INFO\",\"message\":\"connected\",\"requestId\":\"r\","
                        + "\"function\":\"ConnectFunction\",\"connectionId\":\"c=\",\"userId\":\"kim\"}"),
                false);
        String metric = LocalLogger.pretty(
                Json.parse("{\"_aws\":{\"CloudWatchMetrics\":[{\"Namespace\":\"G\","
                        + "\"Metrics\":[{\"Name\":\"Delivered\",\"Unit\":\"Count\"}]}]},\"Delivered\":3,"
                        + "\"function\":\"NotifyFunction\"}"),
                true);

        assertThat(log)
                .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  ConnectFunction connected connectionId=c= userId=kim");
        assertThat(metric).endsWith("METRIC NotifyFunction Delivered=3");
    }

    @Test
    void shouldDeliverANotifyOnce_whenItsIdempotencyKeyIsSentAgain() {
        TestClient client = GATEWAY.connect("ivy");
        GATEWAY.members("user:ivy", 1);
        String body = "{\"user\":\"ivy\",\"message\":\"once\",\"idempotencyKey\":\"order-1\"}";

        JsonNode first = call("POST", "/notify", body);
        JsonNode repeat = call("POST", "/notify", body);
        call("POST", "/notify", "{\"user\":\"ivy\",\"message\":\"next\"}");

        assertThat(first.has("duplicate")).isFalse();
        assertThat(repeat.path("duplicate").asBoolean()).isTrue();
        assertThat(repeat.path("delivered").asInt())
                .isEqualTo(first.path("delivered").asInt())
                .isEqualTo(1);
        assertThat(client.next(GatewayExtension.WAIT)).isEqualTo("\"once\"");
        assertThat(client.next(GatewayExtension.WAIT))
                .as("the repeat delivered nothing")
                .isEqualTo("\"next\"");
        assertThat(GATEWAY.refusal(
                        "POST", "/notify", "{\"user\":\"ivy\",\"message\":\"other\",\"idempotencyKey\":\"order-1\"}"))
                .isEqualTo("422 idempotency_key_reused");
    }

    @Test
    void shouldAnswer404ForAnUnknownRoute() {
        assertThat(GATEWAY.refusal("GET", "/nothing/here", null)).isEqualTo("404 not_found");
    }

    @Test
    void shouldAnswer400ForABadGroupName() {
        assertThat(GATEWAY.refusal("GET", "/groups/a%20b", null)).isEqualTo("400 invalid_group");
    }

    @Test
    void shouldAnswer400ForABadCursor() {
        assertThat(GATEWAY.refusal("GET", "/groups/x/connections?next=%20", null))
                .isEqualTo("400 invalid_connection_id");
    }

    private static String enc(String value) {
        return GatewayExtension.encoded(value);
    }

    private static JsonNode call(String method, String path, String body) {
        return GATEWAY.call(method, path, body);
    }
}
