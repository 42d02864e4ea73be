package io.groupcast.local;

import static io.groupcast.local.GatewayExtension.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groupcast.core.model.Json;
import io.groupcast.core.testing.TestTokens;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Who may join, leave and publish, through the local gateway with real WebSocket clients: roles in tokens, the
 * stack's public groups, the server's grants, and the hole they close; and the per-user and per-connection limits.
 */
class PermissionsGatewayTest {
    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.with(
            "--parameter",
            "PublicGroups=lobby,open-*",
            "--parameter",
            "MaxPublishesPerSecond=2",
            "--parameter",
            "MaxConnectionsPerUser=3");

    @Test
    void shouldKeepAClientOutOfAGroupTheServerManages() {
        TestClient victim = GATEWAY.connect("victim");
        GATEWAY.call("PUT", "/groups/tenant:acme:admins/users/victim", null);
        TestClient mallory = GATEWAY.connect("mallory");

        mallory.send("{\"action\":\"join\",\"group\":\"tenant:acme:admins\"}");
        assertThat(Json.parse(mallory.next(WAIT)).path("error").asText()).isEqualTo("forbidden");
        mallory.send("{\"action\":\"leave\",\"group\":\"tenant:acme:admins\"}");
        assertThat(Json.parse(mallory.next(WAIT)).path("error").asText()).isEqualTo("forbidden");
        GATEWAY.members("tenant:acme:admins", 1);
        GATEWAY.call("POST", "/notify", "{\"group\":\"tenant:acme:admins\",\"message\":\"secret\"}");

        assertThat(victim.next(WAIT)).isEqualTo("\"secret\"");
        assertThat(mallory.received()).hasSize(2).noneMatch(frame -> frame.contains("secret"));
    }

    @Test
    void shouldJoinWhatRolesAndPublicGroupsAllow_only() {
        TestClient alice = GATEWAY.connect("alice", "groupcast.joinLeaveGroup.room-*");

        List<String> answers = new ArrayList<>();
        for (String group : List.of("room-1", "lobby", "open-mic", "roomy", "user:alice", "groupcast:priming")) {
            alice.send("{\"action\":\"join\",\"group\":\"" + group + "\"}");
            String answer = Json.parse(alice.next(WAIT)).path("error").asText("ack");
            answers.add(group + " " + answer);
        }

        assertThat(answers)
                .containsExactly(
                        "room-1 ack",
                        "lobby ack",
                        "open-mic ack",
                        "roomy forbidden",
                        "user:alice reserved_group",
                        "groupcast:priming reserved_group");
    }

    @Test
    void shouldPublishToAGroup_withSendToGroup_grantedRevokedAndCheckedByTheServer() {
        TestClient reader = GATEWAY.connect("reader", TestTokens.JOIN_ANY);
        reader.send("{\"action\":\"join\",\"group\":\"chat\"}");
        assertThat(reader.next(WAIT)).contains("\"ack\"");
        TestClient writer = GATEWAY.connect("writer");
        String id = GATEWAY.members("user:writer", 1).get(0);
        String permission = "/connections/" + GatewayExtension.encoded(id) + "/permissions/sendToGroup?group=chat";

        writer.send("{\"action\":\"send\",\"group\":\"chat\",\"data\":1}");
        assertThat(Json.parse(writer.next(WAIT)).path("error").asText()).isEqualTo("forbidden");
        assertThat(GATEWAY.call("GET", permission, null).path("granted").asBoolean())
                .isFalse();
        assertThat(GATEWAY.call("PUT", permission, null).path("granted").asBoolean())
                .isTrue();
        assertThat(GATEWAY.call("GET", permission, null).path("granted").asBoolean())
                .isTrue();

        writer.send("{\"action\":\"send\",\"group\":\"chat\",\"data\":{\"text\":\"hi\"},\"noEcho\":true}");
        assertThat(writer.next(WAIT)).isEqualTo("{\"type\":\"ack\",\"action\":\"send\",\"group\":\"chat\"}");
        assertThat(reader.next(WAIT))
                .isEqualTo("{\"type\":\"message\",\"from\":\"group\",\"group\":\"chat\",\"fromUserId\":\"writer\","
                        + "\"data\":{\"text\":\"hi\"}}");

        assertThat(GATEWAY.call("DELETE", permission, null).path("granted").asBoolean())
                .isFalse();
        writer.send("{\"action\":\"send\",\"group\":\"chat\",\"data\":2}");
        assertThat(Json.parse(writer.next(WAIT)).path("error").asText()).isEqualTo("forbidden");
        assertThat(GATEWAY.refusal("PUT", "/connections/" + GatewayExtension.encoded(id) + "/permissions/admin", null))
                .isEqualTo("400 invalid_permission");
        assertThat(GATEWAY.refusal("PUT", "/connections/gone%3D/permissions/sendToGroup", null))
                .isEqualTo("404 connection_not_found");
        assertThat(reader.received()).hasSize(2);
    }

    @Test
    void shouldLimitEachConnectionsPublishRate() {
        TestClient sender = GATEWAY.connect("sender", TestTokens.SEND_ANY);

        List<String> answers = new ArrayList<>();
        long firstSecond = System.currentTimeMillis() / 1000;
        for (int i = 0; i < 6; i++) {
            sender.send("{\"action\":\"send\",\"group\":\"quiet\",\"data\":" + i + "}");
            answers.add(Json.parse(sender.next(WAIT)).path("error").asText("ack"));
        }
        long windows = System.currentTimeMillis() / 1000 - firstSecond + 1;

        // The limit counts per second (the gateway's clock is this machine's): two sends in each second spanned.
        assertThat(answers).containsOnly("ack", "rate_limited").startsWith("ack", "ack");
        assertThat(answers.stream().filter("ack"::equals).count()).isLessThanOrEqualTo(2 * windows);
        if (windows <= 2) {
            assertThat(answers).contains("rate_limited");
        }
    }

    @Test
    void shouldRefuseAUsersConnectionBeyondMaxConnectionsPerUser_untilOneCloses() {
        List<TestClient> tabs = new ArrayList<>(GATEWAY.tabs("hoarder", 3));

        assertThatThrownBy(() -> GATEWAY.connect("hoarder"))
                .isInstanceOfSatisfying(
                        TestClient.Refused.class,
                        refused -> assertThat(refused.status).isEqualTo(429));
        GATEWAY.members("user:hoarder", 3);
        TestClient other = GATEWAY.connect("someone-else");
        tabs.get(0).close();
        GATEWAY.members("user:hoarder", 2);
        tabs.add(GATEWAY.connect("hoarder"));

        assertThat(GATEWAY.members("user:hoarder", 3)).hasSize(3);
        assertThat(other.isOpen()).isTrue();
    }
}
