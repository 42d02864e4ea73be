package io.groupcast.core.streams;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.groupcast.core.connections.ClientActions;
import io.groupcast.core.connections.ConnectionLifecycle;
import io.groupcast.core.connections.UserLimits;
import io.groupcast.core.delivery.Budget;
import io.groupcast.core.groups.Groups;
import io.groupcast.core.groups.Permissions;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.Grants;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Json;
import io.groupcast.core.model.Protocol;
import io.groupcast.core.model.UserId;
import io.groupcast.core.notify.Idempotency;
import io.groupcast.core.notify.Notifier;
import io.groupcast.core.notify.NotifyRequest;
import io.groupcast.core.notify.Publisher;
import io.groupcast.core.protocol.ServerFrames;
import io.groupcast.core.testing.InMemoryMembershipStore;
import io.groupcast.core.testing.InMemoryStores;
import io.groupcast.core.testing.MovableClock;
import io.groupcast.core.testing.RecordingConnections;
import io.groupcast.core.testing.TestFanouts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Reliable delivery through the use cases a real app goes through: $connect, join frames with and without rewind,
 * sends with noEcho, notifies with exclusions, the server adding a connection, and resumes after all of it.
 */
class ReliableActionsTest {
    private final InMemoryStores stores = new InMemoryStores();
    private final InMemoryMembershipStore store = stores.memberships();
    private final RecordingConnections connections = new RecordingConnections();
    private final MovableClock clock = new MovableClock(Instant.parse("2026-11-28T04:30:00Z"));
    private final Streams streams =
            TestFanouts.streams(stores.streams(), store, connections, Duration.ofSeconds(120), clock);
    private final Idempotency idempotency = new Idempotency(stores.idempotency(), clock);
    private final ClientActions actions = new ClientActions(
            store,
            stores.counters(),
            connections,
            new Permissions(store, stores.grants(), Grants.publicGroups("lobby"), clock),
            new Publisher(
                    store,
                    stores.counters(),
                    TestFanouts.bounded(connections, store, 4),
                    streams,
                    idempotency,
                    new Publisher.Limits(10, 20),
                    clock),
            streams,
            ClientActions.DEFAULT_MAX_GROUPS,
            clock);
    private final ConnectionLifecycle lifecycle =
            new ConnectionLifecycle(store, stores.links(), streams, UserLimits.DEFAULTS, clock);
    private final Notifier notifier =
            new Notifier(store, TestFanouts.bounded(connections, store, 4), streams, idempotency, clock);
    private final Groups groups =
            new Groups(store, stores.links(), TestFanouts.bounded(connections, store, 4), streams, 100, clock);

    private Connection open(String id, String user, String roles) {
        Connection connection = Connection.opened(
                ConnectionId.of(id), UserId.of(user), clock.instant(), Grants.ofRoles(roles), Protocol.RELIABLE_V1);
        lifecycle.opened(connection);
        return connection;
    }

    private JsonNode frame(Connection connection, String frame) {
        return ServerFrames.tree(
                actions.handle(connection, frame, Budget.unlimited()).frame());
    }

    private void notify(String body) {
        notifier.notify(NotifyRequest.parse(body), Budget.unlimited());
    }

    /** What a connection received, replay frames unpacked: type:seq, gap:from-to, or the ack's action. */
    private List<String> received(Connection connection) {
        List<String> seen = new ArrayList<>();
        for (String text : connections.frames(connection.id())) {
            JsonNode frame = Json.parse(text);
            if (frame.path("type").asText().equals("replay")) {
                frame.path("frames").forEach(each -> seen.add(describe(each)));
            } else {
                seen.add(describe(frame));
            }
        }
        return seen;
    }

    private static String describe(JsonNode frame) {
        String type = frame.path("type").asText();
        return switch (type) {
            case "gap" ->
                "gap:" + frame.path("from").asText() + "-" + frame.path("to").asText("end");
            case "message", "skip" ->
                type + ":" + frame.path("stream").asText() + "#"
                        + frame.path("seq").asText();
            default -> type;
        };
    }

    @Test
    void shouldSendAnExcludedReliableConnectionASkip_live_andByResume_butNeverTheMessage() {
        Connection kim = open("kim=", "kim", "groupcast.joinLeaveGroup");
        Connection lee = open("lee=", "lee", "groupcast.joinLeaveGroup");
        frame(kim, "{\"action\":\"join\",\"group\":\"room\"}");
        frame(lee, "{\"action\":\"join\",\"group\":\"room\"}");

        notify("{\"group\":\"room\",\"message\":\"secret\",\"exceptConnectionIds\":[\"kim=\"]}");
        frame(kim, "{\"action\":\"resume\",\"streams\":{\"room\":0}}");

        assertThat(received(kim)).containsExactly("ack", "skip:room#1", "skip:room#1", "resumed");
        assertThat(received(lee)).containsExactly("ack", "message:room#1");
        assertThat(connections.frames(kim.id()).toString()).doesNotContain("secret");
    }

    @Test
    void shouldSendTheSenderOfANoEchoSendASkip_andNotReplayItsOwnMessageToIt() {
        Connection kim = open("kim=", "kim", "groupcast.joinLeaveGroup groupcast.sendToGroup");
        Connection lee = open("lee=", "lee", "groupcast.joinLeaveGroup");
        frame(kim, "{\"action\":\"join\",\"group\":\"room\"}");
        frame(lee, "{\"action\":\"join\",\"group\":\"room\"}");

        JsonNode ack = frame(kim, "{\"action\":\"send\",\"group\":\"room\",\"data\":\"mine\",\"noEcho\":true}");
        frame(kim, "{\"action\":\"resume\",\"streams\":{\"room\":0}}");

        assertThat(ack.path("type").asText()).isEqualTo("ack");
        assertThat(received(kim)).containsExactly("ack", "skip:room#1", "ack", "skip:room#1", "resumed");
        assertThat(received(lee)).containsExactly("ack", "message:room#1");
    }

    @Test
    void shouldNotReplayToAConnectionTheServerAddedLate_whatCameBeforeIt() {
        Connection kim = open("kim=", "kim", "groupcast.joinLeaveGroup");
        Connection lee = open("lee=", "lee", "");
        frame(kim, "{\"action\":\"join\",\"group\":\"room\"}");
        notify("{\"group\":\"room\",\"message\":1}");
        notify("{\"group\":\"room\",\"message\":2}");

        groups.addConnection(GroupName.of("room"), lee.id());
        notify("{\"group\":\"room\",\"message\":3}");
        frame(lee, "{\"action\":\"resume\",\"streams\":{\"room\":0}}");

        assertThat(received(lee)).containsExactly("message:room#3", "gap:1-2", "message:room#3", "resumed");
    }

    @Test
    void shouldApplyALinkAtConnect_asAJoinFromThatMomentOn() {
        groups.addUser(GroupName.of("team"), UserId.of("lee"), Optional.empty());
        Connection kim = open("kim=", "kim", "groupcast.joinLeaveGroup");
        frame(kim, "{\"action\":\"join\",\"group\":\"team\"}");
        notify("{\"group\":\"team\",\"message\":1}");

        Connection lee = open("lee=", "lee", "");
        notify("{\"group\":\"team\",\"message\":2}");
        frame(lee, "{\"action\":\"resume\",\"streams\":{\"team\":0}}");

        assertThat(received(lee)).containsExactly("message:team#2", "gap:1-1", "message:team#2", "resumed");
    }

    @Test
    void shouldRewindAJoin_forAConnectionAllowedByItsRoles_butNotIntoAPublicGroup() {
        Connection kim = open("kim=", "kim", "groupcast.joinLeaveGroup");
        frame(kim, "{\"action\":\"join\",\"group\":\"room\"}");
        frame(kim, "{\"action\":\"join\",\"group\":\"lobby\"}");
        for (int i = 1; i <= 3; i++) {
            notify("{\"groups\":[\"room\",\"lobby\"],\"message\":" + i + "}");
        }
        Connection lee = open("lee=", "lee", "groupcast.joinLeaveGroup.room");
        Connection guest = open("guest=", "guest", "");

        JsonNode joined = frame(lee, "{\"action\":\"join\",\"group\":\"room\",\"rewind\":2,\"ackId\":1}");
        JsonNode refused = frame(guest, "{\"action\":\"join\",\"group\":\"lobby\",\"rewindSeconds\":60}");

        assertThat(joined.path("type").asText()).isEqualTo("ack");
        assertThat(received(lee)).containsExactly("message:room#2", "message:room#3", "ack");
        assertThat(refused.path("error").asText()).isEqualTo("forbidden");
        assertThat(store.groupsOf(guest.id(), clock.instant())).doesNotContain(GroupName.of("lobby"));
        assertThat(frame(guest, "{\"action\":\"join\",\"group\":\"lobby\"}")
                        .path("type")
                        .asText())
                .as("without rewind the public group is open")
                .isEqualTo("ack");
    }

    @Test
    void shouldRefuseJoinsLeavesAndResumes_beyond300In10Seconds_andCountAgainInTheNextWindow() {
        Connection kim = open("kim=", "kim", "groupcast.joinLeaveGroup");
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < ClientActions.MAX_CONTROL_FRAMES; i++) {
            String frame = i % 2 == 0
                    ? "{\"action\":\"join\",\"group\":\"g" + (i % 50) + "\"}"
                    : "{\"action\":\"resume\",\"streams\":{\"user:kim\":0}}";
            answers.add(frame(kim, frame).path("type").asText());
        }
        JsonNode refused = frame(kim, "{\"action\":\"leave\",\"group\":\"g0\"}");
        clock.advance(Duration.ofSeconds(ClientActions.CONTROL_WINDOW_SECONDS));

        assertThat(answers).doesNotContain("error");
        assertThat(refused.path("error").asText()).isEqualTo("rate_limited");
        assertThat(store.groupsOf(kim.id(), clock.instant())).contains(GroupName.of("g0"));
        assertThat(frame(kim, "{\"action\":\"leave\",\"group\":\"g0\"}")
                        .path("type")
                        .asText())
                .isEqualTo("ack");
    }
}
