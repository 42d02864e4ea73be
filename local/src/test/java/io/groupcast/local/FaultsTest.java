package io.groupcast.local;

import static io.groupcast.local.GatewayExtension.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The local gateway under faults: connections whose $disconnect was lost, and a store that loses its data. */
class FaultsTest {
    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.standard();

    @Test
    void shouldTellTheTruthOnTheFirstPresenceRead_afterConnectionsDiedWithoutTheirDisconnect() {
        // 50 users whose only connection died a minute ago with its $disconnect lost (a crash): the items remain.
        Instant aMinuteAgo = Instant.now().minus(Duration.ofMinutes(1));
        for (int i = 0; i < 50; i++) {
            GATEWAY.store()
                    .connect(Connection.opened(ConnectionId.of("ghost" + i + "="), UserId.of("ghost" + i), aMinuteAgo));
        }
        TestClient alive = GATEWAY.connect("ghost0");
        GATEWAY.members("user:ghost0", 2);

        List<String> online = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            JsonNode presence = GATEWAY.call("GET", "/users/ghost" + i, null);
            online.add(presence.path("online").asBoolean() + "/"
                    + presence.path("connections").asInt());
        }

        assertThat(online.get(0)).isEqualTo("true/1");
        assertThat(online.subList(1, 50)).containsOnly("false/0");
        assertThat(GATEWAY.store().members(GroupName.of("user:ghost7"), Instant.now()))
                .as("pruned as a notify would prune them")
                .isEmpty();
        assertThat(alive.isOpen()).isTrue();
    }

    @Test
    void shouldCountAGroupCheaply_andExactlyWhenAskedToVerify() {
        Instant aMinuteAgo = Instant.now().minus(Duration.ofMinutes(1));
        for (int i = 0; i < 3; i++) {
            ConnectionId dead = ConnectionId.of("wake" + i + "=");
            GATEWAY.store().connect(Connection.opened(dead, UserId.of("mourner" + i), aMinuteAgo));
            GATEWAY.store().join(dead, GroupName.of("wake"), aMinuteAgo.plus(Connection.LIFETIME));
        }
        TestClient alive = GATEWAY.connect("watcher");
        String id = GATEWAY.members("user:watcher", 1).get(0);
        GATEWAY.call("PUT", "/groups/wake/connections/" + GatewayExtension.encoded(id), null);

        JsonNode stored = GATEWAY.call("GET", "/groups/wake", null);
        JsonNode verified = GATEWAY.call("GET", "/groups/wake?verify=true", null);
        JsonNode after = GATEWAY.call("GET", "/groups/wake", null);

        assertThat(stored.toString()).isEqualTo("{\"group\":\"wake\",\"connections\":4,\"verified\":false}");
        assertThat(verified.toString()).isEqualTo("{\"group\":\"wake\",\"connections\":1,\"verified\":true}");
        assertThat(after.path("connections").asInt()).isEqualTo(1);
        assertThat(GATEWAY.refusal("GET", "/groups/wake?verify=yes", null)).isEqualTo("400 invalid_query");
        assertThat(alive.isOpen()).isTrue();
    }

    @Test
    void shouldMakeAWipedTableAgain_andTellConnectionsItLostToReconnect() {
        TestClient before = GATEWAY.connect("survivor");
        GATEWAY.members("user:survivor", 1);

        GATEWAY.dynamo().deleteTable(b -> b.tableName(GATEWAY.gateway().tableName()));
        TestClient after = GATEWAY.connect("newcomer");

        assertThat(before.closeCode(WAIT)).as("closed so that it reconnects").isEqualTo(1012);
        GATEWAY.members("user:newcomer", 1);
        TestClient again = GATEWAY.connect("survivor");
        GATEWAY.members("user:survivor", 1);
        assertThat(GATEWAY.call("POST", "/notify", "{\"users\":[\"survivor\",\"newcomer\"],\"message\":\"back\"}")
                        .path("delivered")
                        .asInt())
                .isEqualTo(2);
        assertThat(again.next(WAIT)).isEqualTo("\"back\"");
        assertThat(after.next(WAIT)).isEqualTo("\"back\"");
    }

    @Test
    void shouldNoticeAWipeWithoutAnyRequest_andCloseTheConnectionsItLeftInNoGroup() {
        TestClient quiet = GATEWAY.connect("quiet");
        GATEWAY.members("user:quiet", 1);

        GATEWAY.dynamo().deleteTable(b -> b.tableName(GATEWAY.gateway().tableName()));

        assertThat(quiet.closeCode(WAIT)).isEqualTo(1012);
        TestClient back = GATEWAY.connect("quiet");
        assertThat(GATEWAY.members("user:quiet", 1)).hasSize(1);
        assertThat(back.isOpen()).isTrue();
    }
}
